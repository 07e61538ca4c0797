"""Load the competency frameworks shipped in fixtures/frameworks (or the files named)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...competencies.frameworks import FrameworkFixtureError, framework_fixture_validate, framework_load

DEFAULT_DIR = Path(settings.BASE_DIR) / "fixtures" / "frameworks"


class Command(BaseCommand):
    help = "Load or refresh competency frameworks from JSON fixtures; running twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="fixture files (default: fixtures/frameworks/*.json)")

    def handle(self, *args, files, **options):
        paths = [Path(f) for f in files] or sorted(DEFAULT_DIR.glob("*.json"))
        if not paths:
            raise CommandError(f"No framework fixtures found in {DEFAULT_DIR}.")
        loaded = []
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise CommandError(f"{path}: no such file.") from None
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise CommandError(f"{path}: not valid JSON ({exc}).") from None
            if not isinstance(data, dict):
                raise CommandError(f"{path}: expected one framework object.")
            try:
                framework_fixture_validate(data)
            except FrameworkFixtureError as exc:
                raise CommandError(f"{path.name}: {exc}; nothing was loaded.") from None
            loaded.append((path, data))
        try:
            with transaction.atomic():
                reports = [(data, framework_load(data=data)) for _path, data in loaded]
        except FrameworkFixtureError as exc:
            raise CommandError(f"{exc}; nothing was loaded.") from None
        for data, counts in reports:
            self.stdout.write(
                f"{data['code']} {data['version']}: {counts['created']} created, "
                f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
                f"{counts['kept']} role targets kept as set"
            )

"""Import a competency framework from Moodle's CSV export, as HR does in the admin."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...competencies.models import CompetencyFramework
from ...competencies.moodle.services import (
    UNCHANGED,
    framework_import_apply,
    framework_import_check,
)


class Command(BaseCommand):
    help = (
        "Check (and with --commit, import) a Moodle competency framework CSV. A framework whose ID number "
        "is already here comes in as a new version."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="Import it; without it, a dry run.")
        parser.add_argument(
            "--version-label", default="", help="Label of the new version (default: the file's, or today)."
        )
        parser.add_argument(
            "--deactivate-previous", action="store_true", help="Deactivate the version this one replaces."
        )
        parser.add_argument(
            "--replaces",
            default="",
            help="Code of the framework this file is a new version of, when its ID number differs.",
        )

    def handle(self, *args, path, commit, version_label, deactivate_previous, replaces, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file {path}.")
        previous = None
        if replaces:
            previous = CompetencyFramework.objects.filter(code=replaces).order_by("-id").first()
            if previous is None:
                raise CommandError(f"No framework {replaces} to replace.")
        plan = framework_import_check(
            content=file.read_bytes(), version_label=version_label, replaces=previous
        )
        for problem in plan.problems:
            self.stdout.write(
                f"  row {problem.row}{', ' + problem.column if problem.column else ''}: {problem.reason}"
            )
        if plan.problems:
            raise CommandError(f"{len(plan.problems)} problems; nothing was imported.")
        for note in plan.notes:
            self.stdout.write(f"  note, row {note.row}: {note.reason}")
        if plan.action == UNCHANGED:
            self.stdout.write(
                f"{plan.code}: already here as version {plan.matches_version}; nothing to import."
            )
            return
        counts = plan.summary()["counts"]
        if plan.previous is None:
            self.stdout.write(
                f"{plan.code} {plan.version}: a new framework, {len(plan.levels)} levels, "
                f"{counts['areas']} areas, {counts['created']} competencies."
            )
        else:
            self.stdout.write(
                f"{plan.code} {plan.version}: a new version of {plan.previous.version}; {counts['matched']} "
                f"matched "
                f"({counts['changed']} changed), {counts['created']} new, {counts['unmatched']} not in the "
                f"new "
                f"version, {plan.role_targets} role targets taken over."
            )
            for item in plan.matched:
                if item["changes"]:
                    self.stdout.write(
                        f"  changed    {item['code']} {item['name']}: {', '.join(item['changes'])}"
                    )
            for item in plan.unmatched:
                self.stdout.write(f"  not in new {item['code']} {item['name']}")
        for item in plan.created:
            self.stdout.write(f"  create     {item['code']} {item['name']}")
        if plan.scale_change:
            self.stdout.write(f"  {plan.scale_change}")
        if not commit:
            self.stdout.write("Dry run: nothing was written (add --commit to import).")
            return
        with transaction.atomic():
            framework = framework_import_apply(plan=plan, deactivate_previous=deactivate_previous)
        self.stdout.write(self.style.SUCCESS(f"Imported {framework.code} version {framework.version}."))

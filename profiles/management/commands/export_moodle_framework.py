"""Write a competency framework in Moodle's CSV format (what Moodle's framework import reads)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...competencies.models import CompetencyFramework
from ...competencies.moodle.services import framework_export_csv


class Command(BaseCommand):
    help = "Export a competency framework (its latest version, or --version-label) as Moodle's framework CSV."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The framework's code (Moodle's ID number), e.g. DigComp-2.2.")
        parser.add_argument(
            "--version-label", default="", help="Which version (default: the latest)."
        )
        parser.add_argument("--output", "-o", default="-", help="File to write (default: standard output).")

    def handle(self, *args, code, version_label, output, **options):
        versions = CompetencyFramework.objects.filter(code=code)
        if version_label:
            versions = versions.filter(version=version_label)
        framework = versions.order_by("-id").first()
        if framework is None:
            known = (
                ", ".join(sorted(set(CompetencyFramework.objects.values_list("code", flat=True)))) or "none"
            )
            raise CommandError(
                f"No framework {code}{' ' + version_label if version_label else ''} (known: {known})."
            )
        content = framework_export_csv(framework=framework)
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Wrote {framework.code} {framework.version} to {output}.")

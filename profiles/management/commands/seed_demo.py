"""Fill an empty database with the demo department and print the demo logins."""

import time

from django.core.management.base import BaseCommand, CommandError

from ...competencies.models import LevelEvidence
from ...demo.build import DEMO_PASSWORD, demo_build, demo_logins, demo_reset
from ...organisation.models import Employee


class Command(BaseCommand):
    help = (
        "Create a deterministic demo department (org tree, staff, five fiscal years of evidence) "
        "and print the demo logins. Refuses a database that already holds staff unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=1500, help="how many staff (default 1500)")
        parser.add_argument("--seed", type=int, default=2566, help="random seed (default 2566)")
        parser.add_argument("--reset", action="store_true", help="replace existing staff and evidence")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (but print the logins) if staff exist"
        )

    def handle(self, *args, employees, seed, reset, if_empty, **options):
        if employees < 10 or employees > 200_000:
            raise CommandError("--employees must be between 10 and 200000.")
        present = Employee.objects.count()
        if present and not reset:
            if if_empty:
                self.stdout.write(
                    f"Demo data already present ({present} employees, "
                    f"{LevelEvidence.objects.count()} evidence records): serving the existing database."
                )
                self._print_logins()
                return
            raise CommandError(
                f"The database already holds {present} employees; run with --reset to replace them "
                "(this deletes staff and their evidence)."
            )
        started = time.monotonic()
        if present:
            demo_reset(stdout=self.stdout.write)
        result = demo_build(employees=employees, seed=seed, stdout=self.stdout.write)
        self.stdout.write(
            f"Done in {time.monotonic() - started:.1f}s: {result.units} units, {result.employees} employees, "
            f"{result.evidence} evidence records."
        )
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for login in demo_logins():
            self.stdout.write(f"  {login.role:<9} {login.email:<26} {login.description}")
        self.stdout.write("")

"""Anonymise departed staff kept longer than settings.DEPARTED_STAFF_RETENTION_DAYS, and say whom."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ...hr_data.personal_data import employee_anonymise, retention_due


class Command(BaseCommand):
    help = "Anonymise staff who left more than DEPARTED_STAFF_RETENTION_DAYS ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be anonymised; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        due = list(retention_due().order_by("end_date", "pk"))
        days = settings.DEPARTED_STAFF_RETENTION_DAYS
        for employee in due:
            verb = "would anonymise" if dry_run else "anonymised"
            self.stdout.write(
                f"{verb} employee #{employee.pk} ({employee.employee_number}), left {employee.end_date}"
            )
            if not dry_run:
                employee_anonymise(employee=employee, by=None)
        what = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{len(due)} departed staff {what} (retention {days} days).")

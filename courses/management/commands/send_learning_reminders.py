"""E-mail learners about assignments due soon or overdue, and their managers a digest."""

from django.core.management.base import BaseCommand, CommandError

from courses.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind employees of assigned courses due within N days or overdue, and send their managers a "
        "digest. Running it again the same day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="remind about courses due within N days (7)")

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        report = reminders_send(within_days=days)
        for address, count in report.learner_emails:
            self.stdout.write(f"learner reminder to {address}: {count} course(s)")
        for address, count in report.manager_emails:
            self.stdout.write(f"manager digest to {address}: {count} assignment(s)")
        for address, error in report.failed:
            self.stderr.write(f"failed to send to {address}: {error} (will retry on the next run)")
        for name in report.skipped_without_address:
            self.stdout.write(f"skipped {name}: no e-mail address")
        self.stdout.write(
            f"Sent {len(report.learner_emails)} learner reminder(s) and "
            f"{len(report.manager_emails)} manager digest(s)."
        )

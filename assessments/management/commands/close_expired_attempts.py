"""Submit every attempt whose time ran out, with the answers saved in time (run from cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.services import attempts_close_expired


class Command(BaseCommand):
    help = "Submit attempts whose time limit has passed, with the answers saved before the deadline."

    def handle(self, *args, **options):
        closed = attempts_close_expired(now=timezone.now())
        self.stdout.write(f"Closed {closed} expired attempt(s).")

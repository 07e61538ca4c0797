"""Check or rebuild the stored level timeline against the evidence log.

``manage.py rebuild_timeline --check`` lists every pair (and placement) whose stored intervals differ
from the level policy applied to the log from scratch, and every counted cell that differs from the
timeline counted from scratch, and exits 1 if any does; without ``--check`` it rebuilds the timeline
of everyone (or of ``--employee NUMBER``) and prints the counts.
"""

from django.core.management.base import BaseCommand, CommandError

from ...competencies.counts import counts_differences
from ...competencies.timeline import timeline_differences, timeline_rebuild
from ...organisation.models import Employee


class Command(BaseCommand):
    help = "Compare the stored level timeline with the evidence log (--check), or rebuild it."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only compare; exit 1 on a difference")
        parser.add_argument("--employee", action="append", default=[], help="employee number (repeatable)")

    def handle(self, *args, check: bool, employee: list[str], **options):
        ids = None
        if employee:
            found = dict(
                Employee.objects.filter(employee_number__in=employee).values_list("employee_number", "id")
            )
            unknown = sorted(set(employee) - set(found))
            if unknown:
                raise CommandError(f"No employee with number {', '.join(unknown)}.")
            ids = list(found.values())
        if check:
            differences = timeline_differences(ids, limit=200)
            if ids is None:  # the counted moments hold everyone
                differences += counts_differences(limit=200)
            for line in differences:
                self.stdout.write(line)
            if differences:
                raise CommandError(
                    f"{len(differences)} difference(s) between the stored timeline and the log."
                )
            self.stdout.write("The stored level timeline matches the evidence log.")
            if ids is None:
                self.stdout.write("The counted moments match the timeline.")
            return
        counts = timeline_rebuild(ids)
        self.stdout.write(
            f"Rebuilt the timeline of {counts['people']:,} people: {counts['intervals']:,} level intervals, "
            f"{counts['placements']:,} placements."
        )

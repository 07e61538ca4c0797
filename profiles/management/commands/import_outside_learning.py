"""Import an outside platform's completions (CSV or Excel), as HR does in the admin."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...prior_learning.completions import completions_check, completions_commit, completions_upload


class Command(BaseCommand):
    help = (
        "Check (and with --commit, record) completions of outside learning: staff number, course code or "
        "title, completed on, provider, external id. Each is recorded once per provider and external id."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="Record them; without it, a dry run.")
        parser.add_argument(
            "--user", required=True, help="Username of the HR officer the import is recorded under."
        )

    def handle(self, *args, path, commit, user, **options):
        try:
            hr_user = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {user}.") from error
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file {path}.")
        content = file.read_bytes()
        plan = completions_check(content=content, file_name=file.name)
        if plan.file_error:
            raise CommandError(plan.file_error)
        self.stdout.write(
            f"{plan.rows} rows: {len(plan.to_record)} to record, {plan.unchanged} already here."
        )
        for row in plan.to_record:
            levels = ", ".join(f"{competency}:{level}" for competency, level in row.levels)
            self.stdout.write(
                f"  row {row.row}: {row.employee.employee_number} {row.provider} {row.external_id} -> "
                f"{levels}"
            )
        for problem in plan.problems:
            self.stdout.write(f"  row {problem.row}, {problem.column}: {problem.reason}")
        if plan.problems:
            raise CommandError(f"{len(plan.problems)} problems; nothing was written.")
        if not commit:
            self.stdout.write("Dry run: nothing was written (add --commit to record).")
            return
        upload = completions_upload(content=content, file_name=file.name, user=hr_user)
        result = completions_commit(completion_import=upload, user=hr_user)
        self.stdout.write(self.style.SUCCESS(f"Recorded {len(result.to_record)} completions."))

"""Import org units, staff, unit heads or legacy ratings from a CSV/Excel file, as HR does in the admin."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from ...hr_data.models import StaffImport
from ...hr_data.staff_import import (
    ImportFileError,
    ImportNotCommittable,
    import_check,
    import_commit,
    import_upload,
)


class Command(BaseCommand):
    help = "Check (and with --commit, apply) an HR file: units, staff, heads or ratings."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=StaffImport.Kind.values)
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="Apply the file; without it, a dry run.")
        parser.add_argument(
            "--deactivate-missing", action="store_true", help="Staff: deactivate people not in the file."
        )
        parser.add_argument(
            "--user",
            required=True,
            help="Username or e-mail of the HR officer the import is recorded under (in the audit log).",
        )

    def handle(self, *args, kind, path, commit, deactivate_missing, user, **options):
        users = get_user_model().objects.filter(Q(username=user) | Q(email__iexact=user))
        if len(users) != 1:
            raise CommandError(f"No single user with the username or e-mail {user}.")
        hr_user = users[0]
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file {path}.")
        content = file.read_bytes()
        try:
            result, _plan = import_check(
                kind=kind,
                content=content,
                file_name=file.name,
                deactivate_missing=deactivate_missing,
                user=hr_user,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{result.rows} rows: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
        for change in result.changes:
            if change.action != "unchanged":
                self.stdout.write(f"  {change.action:<10} {change.key} {change.detail}")
        for problem in result.problems:
            self.stdout.write(f"  row {problem.row}, {problem.column}: {problem.reason}")
        if result.problems:
            raise CommandError(f"{len(result.problems)} problems; nothing was written.")
        if not commit:
            self.stdout.write("Dry run: nothing was written (add --commit to apply).")
            return
        staff_import = import_upload(
            kind=kind,
            content=content,
            file_name=file.name,
            deactivate_missing=deactivate_missing,
            user=hr_user,
        )

        def progress(done, total):
            self.stderr.write(f"  applied {done}/{total}")

        try:
            import_commit(staff_import=staff_import, user=hr_user, progress=progress)
        except ImportNotCommittable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("Committed."))

"""List the Wagtail admin's strings that have no Thai translation, in Wagtail's catalogue or ours.

``manage.py wagtail_thai_gaps`` prints, per Wagtail app, every msgid of its English catalogue that
the Thai admin would show in English, as ready-to-fill .po entries (``--po``) or one per line, and
exits 1 if there are any (``--check``). Our translations live in ``skills_site/locale_wagtail``
(see LOCALE_PATHS), apart from the project's catalogue so that ``makemessages`` never rewrites them.
"""

import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...po_files import PoEntry, read_po

OUR_CATALOGUE = Path(__file__).resolve().parents[2] / "locale_wagtail" / "th" / "LC_MESSAGES" / "django.po"


def wagtail_catalogues(language: str = "en", domain: str = "django") -> dict[str, Path]:
    """Each installed Wagtail app's catalogue for ``language``, by app label."""
    found = {}
    for config in apps.get_app_configs():
        if config.name == "wagtail" or config.name.startswith("wagtail."):
            path = Path(config.path) / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                found[config.name] = path
    return found


def project_catalogues(language: str = "th", domain: str = "django") -> list[Path]:
    """The project's own catalogues: its apps' and LOCALE_PATHS, apart from ours."""
    found = [Path(config.path) for config in apps.get_app_configs() if not config.name.startswith("wagtail")]
    # the project's apps sit under BASE_DIR; installed packages may too (a .venv inside the checkout)
    paths = [
        path / "locale"
        for path in found
        if path.is_relative_to(settings.BASE_DIR) and not path.is_relative_to(sys.prefix)
    ]
    paths += [Path(path) for path in settings.LOCALE_PATHS]
    ours = OUR_CATALOGUE.parents[2]
    catalogues = [path / language / "LC_MESSAGES" / f"{domain}.po" for path in paths if path != ours]
    return [path for path in catalogues if path.exists()]


def translated_keys(paths) -> set:
    return {entry.key for path in paths for entry in read_po(path) if entry.translated}


def thai_gaps(domain: str = "django") -> dict[str, list[PoEntry]]:
    """The msgids of each Wagtail app's catalogue that no Thai catalogue translates (Wagtail's, the
    project's, which wins where both have a msgid, or ours)."""
    ours = OUR_CATALOGUE.with_name(f"{domain}.po")
    done = translated_keys(
        [
            *wagtail_catalogues("th", domain).values(),
            *project_catalogues("th", domain),
            *([ours] if ours.exists() else []),
        ]
    )
    gaps: dict[str, list[PoEntry]] = {}
    seen = set()
    for app, path in wagtail_catalogues("en", domain).items():
        missing = []
        for entry in read_po(path):
            if entry.key not in done and entry.key not in seen:
                seen.add(entry.key)
                missing.append(entry)
        if missing:
            gaps[app] = missing
    return gaps


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class Command(BaseCommand):
    help = "List Wagtail's admin strings with no Thai translation (in Wagtail's catalogue or ours)."

    def add_arguments(self, parser):
        parser.add_argument("--po", action="store_true", help="print as empty .po entries to fill in")
        parser.add_argument("--check", action="store_true", help="exit 1 if any string is untranslated")
        parser.add_argument("--domain", default="django", help="django (templates, Python) or djangojs")
        parser.add_argument("--app", action="append", default=[], help="only this Wagtail app (repeatable)")

    def handle(self, *args, po: bool, check: bool, domain: str, app: list[str], **options):
        gaps = thai_gaps(domain)
        total = 0
        for name, entries in gaps.items():
            if app and name not in app:
                continue
            total += len(entries)
            self.stdout.write(f"# {name}: {len(entries)} untranslated")
            for entry in entries:
                if not po:
                    context = "" if entry.msgctxt is None else f"{entry.msgctxt} | "
                    self.stdout.write(f"{context}{entry.msgid}")
                    continue
                self.stdout.write(f"#: {' '.join(entry.references[:3])}")
                if entry.msgctxt is not None:
                    self.stdout.write(f"msgctxt {_quote(entry.msgctxt)}")
                self.stdout.write(f"msgid {_quote(entry.msgid)}")
                if entry.msgid_plural is not None:
                    self.stdout.write(f"msgid_plural {_quote(entry.msgid_plural)}")
                    self.stdout.write('msgstr[0] ""')
                else:
                    self.stdout.write('msgstr ""')
                self.stdout.write("")
        self.stdout.write(f"{total} untranslated string(s).")
        if check and total:
            raise CommandError(f"{total} Wagtail admin string(s) have no Thai translation.")

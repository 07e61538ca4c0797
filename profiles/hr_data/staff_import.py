"""HR imports: org units, the staff list, unit heads and legacy competency ratings from CSV or Excel.

A file is first read and checked as a whole (``import_check``): the result lists what would be
created, updated, moved or deactivated and every problem with its row, column and reason. Only a
file without problems can be committed (``import_commit``), all in one transaction; committing the
same file again changes nothing, because each row is compared with what is already stored.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..competencies.models import Competency, LevelEvidence, ProficiencyLevel
from ..competencies.services import evidence_changed, evidence_correct, evidence_record
from ..competencies.timeline import timeline_deferred
from ..organisation.changes import employees_changing_in_bulk
from ..organisation.models import Employee, OrgUnit, PersonnelGroup
from .audit import audit_log
from .models import LegacyRating, StaffImport
from .progress import import_progress_set

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
# From this many changes on, the counted moments are recounted once after the file instead of
# following each row (about ten queries a changed person against one count of the whole workforce).
BULK_FROM = 200

# Accepted headers per column, English and Thai; matched case-, space- and underscore-insensitively.
COLUMNS: dict[str, dict[str, list[str]]] = {
    StaffImport.Kind.UNITS: {
        "code": ["code", "unit code", "รหัสหน่วยงาน", "รหัส"],
        "name_th": ["name th", "name (thai)", "ชื่อหน่วยงาน", "ชื่อ"],
        "name_en": ["name en", "name (english)", "ชื่อหน่วยงานภาษาอังกฤษ", "ชื่อภาษาอังกฤษ"],
        "kind": ["kind", "type", "ประเภท", "ระดับหน่วยงาน"],
        "parent_code": ["parent code", "parent", "รหัสหน่วยงานต้นสังกัด", "หน่วยงานต้นสังกัด"],
        "active": ["active", "ใช้งาน"],
    },
    StaffImport.Kind.STAFF: {
        "employee_number": ["employee number", "staff number", "รหัสพนักงาน", "เลขประจำตัว"],
        "first_name_th": ["first name th", "first name (thai)", "ชื่อ"],
        "last_name_th": ["last name th", "last name (thai)", "นามสกุล"],
        "first_name_en": ["first name en", "first name (english)", "ชื่อภาษาอังกฤษ"],
        "last_name_en": ["last name en", "last name (english)", "นามสกุลภาษาอังกฤษ"],
        "email": ["email", "e-mail", "อีเมล"],
        "position_title": ["position", "position title", "ตำแหน่ง"],
        "unit_code": ["unit code", "org unit", "รหัสหน่วยงาน", "หน่วยงาน"],
        "personnel_group": ["personnel group", "group", "กลุ่มบุคลากร"],
        "start_date": ["start date", "วันที่เริ่มงาน", "วันเริ่มงาน"],
        "end_date": ["end date", "left on", "วันที่พ้นสภาพ", "วันพ้นสภาพ"],
        "birth_date": ["birth date", "date of birth", "วันเกิด", "วันเดือนปีเกิด"],
    },
    StaffImport.Kind.HEADS: {
        "unit_code": ["unit code", "org unit", "รหัสหน่วยงาน", "หน่วยงาน"],
        "head_employee_number": ["head employee number", "head", "รหัสพนักงานหัวหน้า", "หัวหน้า"],
    },
    StaffImport.Kind.RATINGS: {
        "employee_number": ["employee number", "staff number", "รหัสพนักงาน", "เลขประจำตัว"],
        "framework": ["framework", "กรอบสมรรถนะ"],
        "competency_code": ["competency", "competency code", "รหัสสมรรถนะ", "สมรรถนะ"],
        "level": ["level", "ระดับ"],
        "rated_on": ["rated on", "date", "วันที่ประเมิน"],
    },
}
REQUIRED = {
    StaffImport.Kind.UNITS: ["code", "name_th", "kind"],
    StaffImport.Kind.STAFF: [
        "employee_number",
        "first_name_th",
        "last_name_th",
        "unit_code",
        "personnel_group",
        "start_date",
    ],  # fmt: skip
    StaffImport.Kind.HEADS: ["unit_code", "head_employee_number"],
    StaffImport.Kind.RATINGS: ["employee_number", "competency_code", "level", "rated_on"],
}
COLUMN_LABELS = {
    "code": gettext_lazy("Unit code"),
    "name_th": gettext_lazy("Name (Thai)"),
    "name_en": gettext_lazy("Name (English)"),
    "kind": gettext_lazy("Kind"),
    "parent_code": gettext_lazy("Parent unit code"),
    "active": gettext_lazy("Active"),
    "employee_number": gettext_lazy("Employee number"),
    "first_name_th": gettext_lazy("First name (Thai)"),
    "last_name_th": gettext_lazy("Last name (Thai)"),
    "first_name_en": gettext_lazy("First name (English)"),
    "last_name_en": gettext_lazy("Last name (English)"),
    "email": gettext_lazy("Email"),
    "position_title": gettext_lazy("Position"),
    "unit_code": gettext_lazy("Unit code"),
    "personnel_group": gettext_lazy("Personnel group"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "birth_date": gettext_lazy("Date of birth"),
    "head_employee_number": gettext_lazy("Head's employee number"),
    "framework": gettext_lazy("Framework"),
    "competency_code": gettext_lazy("Competency code"),
    "level": gettext_lazy("Level"),
    "rated_on": gettext_lazy("Rated on"),
}
UNIT_KINDS = {
    "department": OrgUnit.Kind.DEPARTMENT, "กรม": OrgUnit.Kind.DEPARTMENT,
    "bureau": OrgUnit.Kind.BUREAU, "division": OrgUnit.Kind.BUREAU, "สำนัก": OrgUnit.Kind.BUREAU,
    "กอง": OrgUnit.Kind.BUREAU, "section": OrgUnit.Kind.SECTION, "ฝ่าย": OrgUnit.Kind.SECTION,
    "กลุ่มงาน": OrgUnit.Kind.SECTION,
}  # fmt: skip
TRUE_WORDS = {"1", "yes", "y", "true", "ใช่", "ใช้งาน"}
FALSE_WORDS = {"0", "no", "n", "false", "ไม่", "ไม่ใช้งาน", "ยกเลิก"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read: wrong type, encoding, no rows, too many rows."""


@dataclass
class Problem:
    row: int  # the row number a spreadsheet shows (header is row 1)
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Change:
    action: str  # create, update, move, deactivate, unchanged
    key: str
    detail: str = ""
    apply: Callable[[], None] | None = field(default=None, repr=False)


@dataclass
class ImportResult:
    kind: str
    rows: int
    changes: list[Change]
    problems: list[Problem]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "move": 0, "deactivate": 0, "unchanged": 0}
        for change in self.changes:
            counts[change.action] += 1
        return counts

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "counts": self.counts,
            "changes": [
                {"action": c.action, "key": c.key, "detail": c.detail}
                for c in self.changes
                if c.action != "unchanged"
            ][:2000],
            "problems": [p.as_dict() for p in self.problems][:2000],
            "problem_count": len(self.problems),
        }


# --- Reading ---------------------------------------------------------------------------------------


def _normalise_header(text) -> str:
    return re.sub(r"[\s_]+", " ", str(text).replace("\ufeff", "")).strip().lower()


def _looks_like_utf16(head: bytes) -> bool:
    """A byte-order mark, or text whose every other byte is zero (UTF-16 without a mark)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = head[:512]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > len(even) * 0.3 or odd.count(0) > len(odd) * 0.3


def _decode(content: bytes) -> str:
    if _looks_like_utf16(content[:4096]):
        raise ImportFileError(
            _(
                "This file is saved as UTF-16 (Excel's \"Unicode Text\"), which the import does not read. "
                "In Excel choose File → Save As → \"CSV UTF-8 (Comma delimited)\", or upload the .xlsx "
                "workbook itself, and try again."
            )
        )
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("This is not a text file. Upload a CSV file or an Excel workbook (.xlsx)."))
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp874" and not re.search("[\u0e00-\u0e7f]", text):
            break  # cp874 decodes almost anything; accept it only when it gives Thai text
        return text
    raise ImportFileError(
        _("The file's encoding is not recognised. Save it as CSV UTF-8 (or Thai Windows-874) and try again.")
    )


def read_table(content: bytes, file_name: str) -> pd.DataFrame:
    """Every cell as text (blank cells as ""), headers as in the file."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    name = file_name.lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise ImportFileError(_("This Excel file is damaged or is not an .xlsx workbook."))
        try:
            frame = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl", keep_default_na=False)
        except Exception as error:  # openpyxl raises many kinds for broken workbooks
            raise ImportFileError(
                _("This Excel file cannot be read: %(error)s") % {"error": error}
            ) from error
    elif name.endswith((".csv", ".txt")):
        text = _decode(content)
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise ImportFileError(_("This CSV file cannot be read: %(error)s") % {"error": error}) from error
    else:
        raise ImportFileError(_("Upload a CSV file or an Excel workbook (.xlsx)."))
    frame = frame.dropna(how="all")
    frame = frame[~(frame.astype(str).apply(lambda column: column.str.strip()) == "").all(axis=1)]
    if frame.empty:
        raise ImportFileError(_("The file has a header but no rows."))
    if len(frame) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(rows)s rows; at most %(max)s can be imported at once. Split it into parts.")
            % {"rows": f"{len(frame):,}", "max": f"{MAX_ROWS:,}"}
        )
    return frame.fillna("").astype(str).apply(lambda column: column.str.strip())


def map_columns(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rename the file's headers (Thai or English) to field names; report missing required ones."""
    aliases = {
        _normalise_header(alias): field_name
        for field_name, names in COLUMNS[kind].items()
        for alias in [field_name, *names]
    }
    renamed, taken = {}, set()
    for header in frame.columns:
        target = aliases.get(_normalise_header(header))
        if target and target not in taken:
            renamed[header] = target
            taken.add(target)
    frame = frame[list(renamed)].rename(columns=renamed)
    problems = [
        Problem(1, str(COLUMN_LABELS[name]), _("This column is missing."))
        for name in REQUIRED[kind]
        if name not in frame.columns
    ]
    in_file = set(frame.columns)
    for name in COLUMNS[kind]:
        if name not in frame.columns:
            frame[name] = ""
    frame.attrs["in_file"] = in_file  # an optional column left out of the file changes nothing
    return frame, problems


def parse_date(text: str) -> dt.date | None:
    """ISO dates or day/month/year; years after 2400 are Buddhist Era."""
    text = text.strip()
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0]
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if not match:
            raise ValueError
        day, month, year = (int(part) for part in match.groups())
    if year > 2400:
        year -= 543
    return dt.date(year, month, day)


# --- Checking and planning -------------------------------------------------------------------------


class _Plan:
    def __init__(self, kind: str, frame: pd.DataFrame, *, deactivate_missing: bool, user):
        self.kind = kind
        self.frame = frame
        self.deactivate_missing = deactivate_missing
        self.user = user
        self.changes: list[Change] = []
        self.problems: list[Problem] = []

    def problem(self, row: int, column: str, reason: str) -> None:
        self.problems.append(Problem(row, str(COLUMN_LABELS.get(column, column)), reason))

    def rows(self):
        for position, record in enumerate(self.frame.to_dict("records")):
            yield position + 2, record


def _units_plan(plan: _Plan) -> None:
    existing = {unit.code: unit for unit in OrgUnit.objects.all()}
    seen: dict[str, int] = {}
    parents: dict[str, str | None] = {code: None for code in existing}
    for code, unit in existing.items():
        parents[code] = unit.parent.code if unit.parent_id else None
    file_rows = []
    for row, record in plan.rows():
        code = record["code"]
        if not code:
            plan.problem(row, "code", _("A unit code is required."))
            continue
        if code in seen:
            plan.problem(row, "code", _("Unit %(code)s appears twice (also on row %(row)s).") % {
                "code": code, "row": seen[code]})  # fmt: skip
            continue
        seen[code] = row
        kind = UNIT_KINDS.get(record["kind"].lower())
        if kind is None:
            plan.problem(row, "kind", _("Unknown kind “%(kind)s”: use department, bureau or section.") % {
                "kind": record["kind"]})  # fmt: skip
            continue
        if not record["name_th"]:
            plan.problem(row, "name_th", _("A Thai name is required."))
            continue
        parent_code = record["parent_code"] or None
        if kind == OrgUnit.Kind.DEPARTMENT and parent_code:
            plan.problem(row, "parent_code", _("A department is the top of the tree."))
            continue
        if kind != OrgUnit.Kind.DEPARTMENT and not parent_code:
            plan.problem(row, "parent_code", _("Only a department may have no parent unit."))
            continue
        active = True
        if record["active"]:
            word = record["active"].lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                plan.problem(row, "active", _("Write yes or no."))
                continue
            active = word in TRUE_WORDS
        parents[code] = parent_code
        file_rows.append((row, code, kind, parent_code, record, active))
    for row, _code, _kind, parent_code, _record, _active in file_rows:
        if parent_code and parent_code not in parents:
            plan.problem(row, "parent_code", _("Unknown unit %(code)s.") % {"code": parent_code})
    # A cycle: walking up from a unit comes back to it.
    for row, code, *_rest in file_rows:
        node, path = parents.get(code), [code]
        while node is not None and node not in path and len(path) <= len(parents):
            path.append(node)
            node = parents.get(node)
        if node == code:
            plan.problem(row, "parent_code", _("The unit tree has a cycle: %(path)s.") % {
                "path": " → ".join([*path, code])})  # fmt: skip
    if plan.problems:
        return
    created: dict[str, OrgUnit] = {}

    def resolve(code: str | None) -> OrgUnit | None:
        if code is None:
            return None
        return created.get(code) or existing.get(code)

    def depth(code: str) -> int:
        steps, node = 0, parents.get(code)
        while node is not None and steps <= len(parents):
            steps, node = steps + 1, parents.get(node)
        return steps

    # Parents before their children, whatever the order of the file.
    file_rows.sort(key=lambda item: depth(item[1]))
    for _row, code, kind, parent_code, record, active in file_rows:
        values = {
            "name_th": record["name_th"],
            "name_en": record["name_en"],
            "kind": kind,
            "is_active": active,
        }
        unit = existing.get(code)
        if unit is None:
            new = OrgUnit(code=code, **values)
            created[code] = new

            def apply(new=new, parent_code=parent_code):
                new.parent = resolve(parent_code)
                new.save()

            plan.changes.append(Change("create", code, record["name_th"], apply))
            continue
        old_parent = unit.parent.code if unit.parent_id else None
        differs = [name for name, value in values.items() if getattr(unit, name) != value]
        if old_parent != parent_code:
            detail = f"{old_parent or '—'} → {parent_code or '—'}"
            action = "move"
        elif differs and unit.is_active and not active:
            action, detail = "deactivate", ""
        elif differs:
            action, detail = "update", ", ".join(differs)
        else:
            plan.changes.append(Change("unchanged", code))
            continue

        def apply(unit=unit, values=values, parent_code=parent_code):
            for name, value in values.items():
                setattr(unit, name, value)
            unit.parent = resolve(parent_code)
            unit.save()

        plan.changes.append(Change(action, code, detail, apply))


def _stored(instance, name: str):
    """A field's stored value, foreign keys as ids, so a comparison needs no query."""
    field_object = instance._meta.get_field(name)
    return getattr(instance, field_object.attname)


def _comparable(value):
    return value.pk if hasattr(value, "_meta") else value


def _staff_plan(plan: _Plan) -> None:
    User = get_user_model()
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    groups = {}
    for group in PersonnelGroup.objects.all():
        for key in (group.code, group.name_th, group.name_en):
            if key:
                groups[key.lower()] = group
    employees = {e.employee_number: e for e in Employee.objects.select_related("user")}
    usernames = set(User.objects.values_list("username", flat=True))
    seen: dict[str, int] = {}
    parsed = []
    for row, record in plan.rows():
        number = record["employee_number"]
        if not number:
            plan.problem(row, "employee_number", _("An employee number is required."))
            continue
        if number in seen:
            plan.problem(row, "employee_number", _("Employee %(number)s appears twice (also on row %(row)s).")
                         % {"number": number, "row": seen[number]})  # fmt: skip
            continue
        seen[number] = row
        ok = True
        for name in ("first_name_th", "last_name_th"):
            if not record[name]:
                plan.problem(row, name, _("This value is required."))
                ok = False
        unit = units.get(record["unit_code"])
        if unit is None:
            plan.problem(row, "unit_code", _("Unknown unit %(code)s.") % {"code": record["unit_code"] or "—"})
            ok = False
        group = groups.get(record["personnel_group"].lower())
        if group is None:
            plan.problem(row, "personnel_group", _("Unknown personnel group “%(group)s”.") % {
                "group": record["personnel_group"]})  # fmt: skip
            ok = False
        dates = {}
        for name in ("start_date", "end_date", "birth_date"):
            try:
                dates[name] = parse_date(record[name])
            except ValueError:
                plan.problem(
                    row, name, _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": record[name]}
                )
                ok = False
        if ok and dates["start_date"] is None:
            plan.problem(row, "start_date", _("This value is required."))
            ok = False
        if ok and dates["end_date"] and dates["end_date"] < dates["start_date"]:
            plan.problem(row, "end_date", _("The end date comes before the start date."))
            ok = False
        if ok and dates["birth_date"] and not (
            dt.date(1900, 1, 1) <= dates["birth_date"] <= dates["start_date"] - dt.timedelta(days=15 * 365)
        ):
            plan.problem(
                row, "birth_date", _("A date of birth must be at least 15 years before the start date.")
            )
            ok = False
        if record["email"] and "@" not in record["email"]:
            plan.problem(row, "email", _("“%(value)s” is not an email address.") % {"value": record["email"]})
            ok = False
        existing = employees.get(number)
        if existing is None and number.lower() in usernames:
            plan.problem(row, "employee_number", _("A user account named %(name)s already exists.") % {
                "name": number.lower()})  # fmt: skip
            ok = False
        if existing is not None and existing.anonymised_at is not None:
            plan.problem(
                row, "employee_number", _("This person was anonymised and cannot be imported again.")
            )
            ok = False
        if ok:
            parsed.append((number, record, unit, group, dates, existing))
    if plan.problems:
        return
    for number, record, unit, group, dates, existing in parsed:
        values = {
            "first_name_th": record["first_name_th"],
            "last_name_th": record["last_name_th"],
            "first_name_en": record["first_name_en"],
            "last_name_en": record["last_name_en"],
            "position_title": record["position_title"],
            "org_unit": unit,
            "personnel_group": group,
            "start_date": dates["start_date"],
            "end_date": dates["end_date"],
            "is_active": dates["end_date"] is None or dates["end_date"] > timezone.localdate(),
        }
        if "birth_date" in plan.frame.attrs.get("in_file", ()):
            values["birth_date"] = dates["birth_date"]
        if existing is None:

            def apply(number=number, values=values, email=record["email"]):
                user = User(username=number.lower(), email=email, is_active=values["is_active"])
                user.set_unusable_password()
                user.save()
                Employee.objects.create(user=user, employee_number=number, **values)

            name = f"{values['first_name_th']} {values['last_name_th']}"
            plan.changes.append(Change("create", number, name, apply))
            continue
        differs = [name for name, value in values.items() if _stored(existing, name) != _comparable(value)]
        email_differs = bool(record["email"]) and existing.user.email != record["email"]
        if not differs and not email_differs:
            plan.changes.append(Change("unchanged", number))
            continue
        if existing.is_active and not values["is_active"]:
            action, detail = "deactivate", str(dates["end_date"] or "")
        elif "org_unit" in differs:
            action, detail = "move", f"{existing.org_unit.code} → {unit.code}"
        else:
            action, detail = "update", ", ".join(differs + (["email"] if email_differs else []))

        def apply(existing=existing, values=values, email=record["email"]):
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            user = existing.user
            if (email and user.email != email) or user.is_active != values["is_active"]:
                user.email = email or user.email
                user.is_active = values["is_active"]
                user.save(update_fields=["email", "is_active"])

        plan.changes.append(Change(action, number, detail, apply))
    if plan.deactivate_missing:
        today = timezone.localdate()
        for number, employee in employees.items():
            if number in seen or not employee.is_active:
                continue

            def apply(employee=employee):
                employee.is_active = False
                employee.end_date = employee.end_date or today
                employee.save(update_fields=["is_active", "end_date"])
                employee.user.is_active = False
                employee.user.save(update_fields=["is_active"])

            plan.changes.append(Change("deactivate", number, _("not in the file"), apply))


def _heads_plan(plan: _Plan) -> None:
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    employees = {e.employee_number: e for e in Employee.objects.all()}
    seen: dict[str, int] = {}
    for row, record in plan.rows():
        unit = units.get(record["unit_code"])
        if unit is None:
            plan.problem(row, "unit_code", _("Unknown unit %(code)s.") % {"code": record["unit_code"] or "—"})
            continue
        if unit.code in seen:
            plan.problem(row, "unit_code", _("Unit %(code)s appears twice (also on row %(row)s).") % {
                "code": unit.code, "row": seen[unit.code]})  # fmt: skip
            continue
        seen[unit.code] = row
        number = record["head_employee_number"]
        head = employees.get(number) if number else None
        if number and head is None:
            plan.problem(
                row, "head_employee_number", _("%(number)s is not an employee.") % {"number": number}
            )
            continue
        if head is not None and not head.is_active:
            plan.problem(row, "head_employee_number", _("%(number)s has left.") % {"number": number})
            continue
        if unit.head_id == (head.pk if head else None):
            plan.changes.append(Change("unchanged", unit.code))
            continue

        def apply(unit=unit, head=head):
            unit.head = head
            unit.save(update_fields=["head"])

        plan.changes.append(Change("update", unit.code, number or "—", apply))


def _ratings_plan(plan: _Plan) -> None:
    employees = {e.employee_number: e for e in Employee.objects.all()}
    competencies: dict[tuple[str, str], Competency] = {}
    by_code: dict[str, list[Competency]] = {}
    for competency in Competency.objects.select_related("framework"):
        competencies[(competency.framework.code.lower(), competency.code.lower())] = competency
        by_code.setdefault(competency.code.lower(), []).append(competency)
    scales: dict[int, set[int]] = {}
    for framework_id, level in ProficiencyLevel.objects.values_list("framework_id", "level"):
        scales.setdefault(framework_id, set()).add(level)
    ratings = {(r.employee_id, r.competency_id, r.observed_on): r for r in LegacyRating.objects.all()}
    seen: dict[tuple, int] = {}
    parsed = []
    for row, record in plan.rows():
        employee = employees.get(record["employee_number"])
        if employee is None:
            plan.problem(row, "employee_number", _("%(number)s is not an employee.") % {
                "number": record["employee_number"] or "—"})  # fmt: skip
            continue
        code = record["competency_code"].lower()
        if record["framework"]:
            competency = competencies.get((record["framework"].lower(), code))
        else:
            matches = by_code.get(code, [])
            competency = matches[0] if len(matches) == 1 else None
            if len(matches) > 1:
                plan.problem(row, "framework", _("Several frameworks have %(code)s; name the framework.") % {
                    "code": record["competency_code"]})  # fmt: skip
                continue
        if competency is None:
            plan.problem(row, "competency_code", _("Unknown competency %(code)s.") % {
                "code": record["competency_code"] or "—"})  # fmt: skip
            continue
        try:
            level = int(float(record["level"]))
        except ValueError:
            plan.problem(row, "level", _("“%(value)s” is not a number.") % {"value": record["level"]})
            continue
        scale = scales.get(competency.framework_id, set())
        if level not in scale:
            plan.problem(row, "level", _("Level %(level)s is outside the scale (%(low)s to %(high)s).") % {
                "level": level, "low": min(scale, default="?"), "high": max(scale, default="?")})  # fmt: skip
            continue
        try:
            rated_on = parse_date(record["rated_on"])
        except ValueError:
            rated_on = None
        if rated_on is None:
            plan.problem(row, "rated_on", _("“%(value)s” is not a date (use YYYY-MM-DD).") % {
                "value": record["rated_on"]})  # fmt: skip
            continue
        key = (employee.pk, competency.pk, rated_on)
        if key in seen:
            plan.problem(row, "competency_code", _("The same rating appears twice (also on row %(row)s).") % {
                "row": seen[key]})  # fmt: skip
            continue
        seen[key] = row
        parsed.append((employee, competency, level, rated_on, ratings.get(key)))
    if plan.problems:
        return

    for employee, competency, level, rated_on, existing in parsed:
        label = f"{employee.employee_number} {competency.code} {rated_on}"
        observed_at = timezone.make_aware(dt.datetime.combine(rated_on, dt.time(12)))
        if existing is not None and existing.level == level:
            plan.changes.append(Change("unchanged", label))
            continue

        def apply(employee=employee, competency=competency, level=level, rated_on=rated_on,
                  existing=existing, observed_at=observed_at):  # fmt: skip
            if existing is None:
                rating = LegacyRating.objects.create(
                    employee=employee, competency=competency, observed_on=rated_on, level=level
                )
                evidence_record(
                    employee=employee, competency=competency, level=level, source=LevelEvidence.Source.IMPORT,
                    observed_at=observed_at, recorded_by=plan.user, source_object=rating,
                    source_label=_("HR system rating"),
                )  # fmt: skip
                return
            previous = LevelEvidence.objects.filter(
                source=LevelEvidence.Source.IMPORT, source_object_id=str(existing.pk),
                employee=employee, competency=competency, corrections__isnull=True,
            ).order_by("-id").first()  # fmt: skip
            LegacyRating.objects.filter(pk=existing.pk).update(level=level)
            if previous is not None:
                evidence_correct(evidence=previous, level=level, recorded_by=plan.user,
                                 note=_("Corrected by an HR import"))  # fmt: skip

        action = "create" if existing is None else "update"
        detail = f"{level}" if existing is None else f"{existing.level} → {level}"
        plan.changes.append(Change(action, label, detail, apply))


PLANNERS = {
    StaffImport.Kind.UNITS: _units_plan,
    StaffImport.Kind.STAFF: _staff_plan,
    StaffImport.Kind.HEADS: _heads_plan,
    StaffImport.Kind.RATINGS: _ratings_plan,
}


def import_check(*, kind: str, content: bytes, file_name: str, deactivate_missing: bool = False, user=None):
    """Read and check a whole file; returns what would change and every problem. Writes nothing."""
    frame = read_table(content, file_name)
    frame, problems = map_columns(frame, kind)
    plan = _Plan(kind, frame, deactivate_missing=deactivate_missing, user=user)
    plan.problems.extend(problems)
    if not problems:
        PLANNERS[kind](plan)
    plan.problems.sort(key=lambda problem: problem.row)
    return ImportResult(kind=kind, rows=len(frame), changes=plan.changes, problems=plan.problems), plan


def import_upload(
    *, kind: str, content: bytes, file_name: str, deactivate_missing: bool, user
) -> StaffImport:
    """The dry run: check the file and keep it, with what it would do, for HR to commit."""
    # The name shows in the audit log and its spreadsheet export: no leading formula characters.
    file_name = file_name.lstrip("=+-@\t\r ") or "upload"
    try:
        result, _plan = import_check(
            kind=kind, content=content, file_name=file_name, deactivate_missing=deactivate_missing, user=user
        )
    except ImportFileError as error:
        summary = {"rows": 0, "counts": {}, "changes": [], "file_error": str(error),
                   "problems": [], "problem_count": 0}  # fmt: skip
        status = StaffImport.Status.REJECTED
    else:
        summary = result.summary()
        status = StaffImport.Status.REJECTED if result.problems else StaffImport.Status.CHECKED
    return StaffImport.objects.create(
        kind=kind, file_name=file_name[:255], content=content, sha256=hashlib.sha256(content).hexdigest(),
        deactivate_missing=deactivate_missing, status=status, summary=summary, uploaded_by=user,
    )  # fmt: skip


class ImportNotCommittable(Exception):
    pass


def import_commit(*, staff_import: StaffImport, user, progress: Callable[[int, int], None] | None = None):
    """Apply a checked file, all of it or nothing. The file is checked again against today's data.

    Each stage (checking, writing n of m, finished or failed) is also kept with
    ``import_progress_set`` for the commit page's progress bar.
    """
    started = False
    try:
        with transaction.atomic():
            locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
            if locked.status == StaffImport.Status.COMMITTED:
                raise ImportNotCommittable(_("This file has already been imported."))
            if locked.status != StaffImport.Status.CHECKED:
                raise ImportNotCommittable(_("This file has problems; fix them and upload it again."))
            # Only the request holding the lock reports progress: a second click must not
            # overwrite the first one's figures.
            started = True
            import_progress_set(staff_import_id=locked.pk, stage="checking")
            try:
                result, _plan = import_check(
                    kind=locked.kind, content=bytes(locked.content), file_name=locked.file_name,
                    deactivate_missing=locked.deactivate_missing, user=user,
                )  # fmt: skip
            except ImportFileError as error:
                raise ImportNotCommittable(str(error)) from error
            if result.problems:
                raise ImportNotCommittable(
                    _("The data changed since the dry run and the file now has problems; upload it again.")
                )
            to_apply = [change for change in result.changes if change.apply is not None]
            total = len(to_apply)
            import_progress_set(staff_import_id=locked.pk, stage="writing", done=0, total=total)
            # ratings refresh the level timeline of the people they touch once, at the end; a large
            # file has the counted moments recounted once instead of followed row by row
            in_bulk = employees_changing_in_bulk() if total >= BULK_FROM else contextlib.nullcontext()
            with in_bulk, timeline_deferred():
                for done, change in enumerate(to_apply, start=1):
                    change.apply()
                    if done % 500 == 0 or done == total:
                        import_progress_set(
                            staff_import_id=locked.pk, stage="writing", done=done, total=total
                        )
                        if progress is not None:
                            progress(done, total)
            locked.status = StaffImport.Status.COMMITTED
            locked.committed_at = timezone.now()
            locked.summary = result.summary()
            locked.save(update_fields=["status", "committed_at", "summary"])

            audit_log(instance=locked, action="profiles.import_commit", user=user,
                      data={"kind": locked.kind, "file": locked.file_name, **result.counts})  # fmt: skip
    except BaseException:
        if started:
            import_progress_set(staff_import_id=staff_import.pk, stage="failed")
        raise
    import_progress_set(staff_import_id=staff_import.pk, stage="finished", done=total, total=total)
    if to_apply:
        evidence_changed()
    return result


def import_template(kind: str, *, language: str = "en") -> bytes:
    """An empty CSV (UTF-8 with BOM, so Excel shows Thai) with the headers of a kind of import."""
    index = 1 if language.startswith("en") else -1
    headers = []
    for name, aliases in COLUMNS[kind].items():
        thai = [alias for alias in aliases if re.search("[\u0e00-\u0e7f]", alias)]
        headers.append(thai[0] if index == -1 and thai else name)
    return ("\ufeff" + ",".join(headers) + "\r\n").encode("utf-8")

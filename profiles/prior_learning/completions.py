"""HR's import of an outside platform's completions (staff number, course code or title, date,
provider, external id), each counted as recognised prior learning.

Each completion's course is matched, in this order, with HR's outside courses (provider and code, or
provider and title) or with one of our courses (its code, the page's slug, or its title); it then
evidences the levels that mapping or course names. The file is checked as a whole first (a dry run
listing what would be recorded and every problem with its row and column); a commit writes all of it
or nothing, and importing the same file again changes nothing: a completion is recorded once per
provider and external id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skills_site.text_files import TextFileError, read_text_upload

from ..competencies.models import Competency, LevelEvidence
from ..competencies.services import evidence_record
from ..competencies.timeline import timeline_deferred
from ..hr_data.audit import audit_log
from ..hr_data.staff_import import MAX_BYTES, ImportFileError, Problem, parse_date, read_table
from ..organisation.models import Employee
from .contributions import match_key, our_courses
from .models import CompletionImport, OutsideCompletion, OutsideCourse
from .services import observed_at_of

COLUMNS: dict[str, list[str]] = {
    "employee_number": ["staff number", "employee number", "รหัสพนักงาน", "เลขประจำตัว"],
    "course_code": ["course code", "code", "รหัสหลักสูตร", "รหัสวิชา"],
    "course_title": ["course title", "course", "title", "ชื่อหลักสูตร", "หลักสูตร"],
    "completed_on": ["completed on", "completion date", "date", "วันที่สำเร็จ", "วันที่จบ", "วันที่"],
    "provider": ["provider", "platform", "ผู้จัด", "หน่วยงานผู้จัด", "แพลตฟอร์ม"],
    "external_id": ["external id", "record id", "id", "รหัสอ้างอิง", "เลขที่อ้างอิง"],
}
REQUIRED = ["employee_number", "completed_on", "provider", "external_id"]
COLUMN_LABELS = {
    "employee_number": gettext_lazy("Staff number"),
    "course_code": gettext_lazy("Course code"),
    "course_title": gettext_lazy("Course title"),
    "completed_on": gettext_lazy("Completed on"),
    "provider": gettext_lazy("Provider"),
    "external_id": gettext_lazy("External id"),
}


def _header(text: str) -> str:
    return re.sub(r"[\s_]+", " ", str(text).replace("\ufeff", "")).strip().lower()


@dataclass
class CompletionRow:
    row: int
    employee: Employee
    provider: str
    external_id: str
    course_code: str
    course_title: str
    completed_on: dt.date
    levels: list[tuple[int, int]]
    counted_as: str


@dataclass
class CompletionPlan:
    rows: int = 0
    to_record: list[CompletionRow] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    file_error: str = ""

    def summary(self) -> dict:
        names = {}
        ids = {competency_id for row in self.to_record for competency_id, _level in row.levels}
        for competency in Competency.objects.filter(pk__in=ids).select_related("framework"):
            names[competency.pk] = f"{competency.framework.code}/{competency.code}"
        return {
            "rows": self.rows,
            "file_error": self.file_error,
            "counts": {"create": len(self.to_record), "unchanged": self.unchanged},
            "changes": [
                {
                    "row": r.row,
                    "employee": r.employee.employee_number,
                    "course": r.course_title or r.course_code,
                    "provider": r.provider,
                    "completed_on": r.completed_on.isoformat(),
                    "counted_as": r.counted_as,
                    "levels": ", ".join(f"{names.get(c, c)} {level}" for c, level in r.levels),
                }
                for r in self.to_record
            ][:2000],
            "problems": [p.as_dict() for p in self.problems][:2000],
            "problem_count": len(self.problems),
        }


def _table(content: bytes, file_name: str):
    """CSV (UTF-8, UTF-16 or Windows-874) or Excel, every cell as text."""
    name = file_name.lower()
    if not name.endswith(".xlsx") and content[:2] != b"PK":
        try:
            content = read_text_upload(content, max_bytes=MAX_BYTES).text.encode("utf-8")
        except TextFileError as error:
            raise ImportFileError(str(error)) from None
        if not name.endswith((".csv", ".txt")):
            file_name = file_name + ".csv"
    return read_table(content, file_name)


def completions_check(*, content: bytes, file_name: str, today: dt.date | None = None) -> CompletionPlan:
    """Read and check a whole file; writes nothing."""
    plan = CompletionPlan()
    try:
        frame = _table(content, file_name)
    except ImportFileError as error:
        plan.file_error = str(error)
        return plan
    aliases = {_header(alias): key for key, names in COLUMNS.items() for alias in [key, *names]}
    renamed = {}
    for header in frame.columns:
        key = aliases.get(_header(header))
        if key and key not in renamed.values():
            renamed[header] = key
    frame = frame[list(renamed)].rename(columns=renamed)
    for key in COLUMNS:
        if key not in frame.columns:
            frame[key] = ""
    plan.rows = len(frame)
    missing = [key for key in REQUIRED if key not in renamed.values()]
    if "course_code" not in renamed.values() and "course_title" not in renamed.values():
        missing.append("course_title")
    if missing:
        plan.problems = [Problem(1, str(COLUMN_LABELS[key]), _("This column is missing.")) for key in missing]
        return plan
    records = frame.to_dict("records")
    employees = {
        e.employee_number: e
        for e in Employee.objects.filter(employee_number__in={r["employee_number"] for r in records})
    }
    mappings: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for mapping in OutsideCourse.objects.all():
        for key in (match_key(mapping.code), match_key(mapping.title)):
            if key:
                mappings.setdefault((match_key(mapping.provider), key), []).append(
                    (mapping.competency_id, mapping.level)
                )
    ours = our_courses({match_key(r[k]) for r in records for k in ("course_code", "course_title") if r[k]})
    existing = {
        (c.provider_key, c.external_id): c
        for c in OutsideCompletion.objects.filter(external_id__in={r["external_id"] for r in records})
    }
    seen: dict[tuple[str, str], int] = {}
    today = today or timezone.localdate()
    for position, record in enumerate(records):
        row = position + 2

        def problem(key: str, reason: str, row=row) -> None:
            plan.problems.append(Problem(row, str(COLUMN_LABELS[key]), reason))

        employee = employees.get(record["employee_number"])
        if employee is None:
            problem(
                "employee_number",
                _("%(number)s is not an employee.") % {"number": record["employee_number"] or "—"},
            )
            continue
        provider, external_id = record["provider"], record["external_id"]
        if not provider:
            problem("provider", _("The provider is required: completions are told apart by provider and id."))
            continue
        if not external_id:
            problem("external_id", _("The external id is required: it is what makes importing twice safe."))
            continue
        if not (record["course_code"] or record["course_title"]):
            problem("course_title", _("Give the course code or its title."))
            continue
        try:
            completed_on = parse_date(record["completed_on"])
        except ValueError:
            completed_on = None
        if completed_on is None:
            problem(
                "completed_on",
                _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": record["completed_on"]},
            )
            continue
        if completed_on > today:
            problem("completed_on", _("The completion date is in the future."))
            continue
        key = (match_key(provider), external_id)
        if key in seen:
            problem(
                "external_id",
                _("The same completion appears twice (also on row %(row)s).") % {"row": seen[key]},
            )
            continue
        seen[key] = row
        if key in existing:
            earlier = existing[key]
            if earlier.employee_id == employee.pk and earlier.completed_on == completed_on:
                plan.unchanged += 1
            else:
                problem(
                    "external_id",
                    _(
                        "%(provider)s %(id)s was already imported for %(number)s on %(day)s; nothing was "
                        "changed."
                    )
                    % {
                        "provider": provider,
                        "id": external_id,
                        "number": earlier.employee.employee_number,
                        "day": earlier.completed_on.isoformat(),
                    },
                )
            continue
        levels, counted_as = [], ""
        for text in (record["course_code"], record["course_title"]):
            found = mappings.get((match_key(provider), match_key(text))) if text else None
            if found:
                levels, counted_as = found, _("outside course mapped by HR")
                break
        if not levels:
            for text in (record["course_code"], record["course_title"]):
                match = ours.get(match_key(text)) if text else None
                if match is not None and match.levels:
                    levels, counted_as = match.levels, _("our course %(title)s") % {"title": match.label}
                    break
        if not levels:
            problem(
                "course_title",
                _(
                    "%(provider)s course “%(course)s” is not mapped: add it under Outside learning → Outside "
                    "courses, or use the code or title of one of our courses."
                )
                % {"provider": provider, "course": record["course_code"] or record["course_title"]},
            )
            continue
        plan.to_record.append(
            CompletionRow(
                row=row,
                employee=employee,
                provider=provider[:255],
                external_id=external_id[:100],
                course_code=record["course_code"][:100],
                course_title=record["course_title"][:255],
                completed_on=completed_on,
                levels=levels,
                counted_as=counted_as[:255],
            )
        )
    return plan


def completions_upload(*, content: bytes, file_name: str, user) -> CompletionImport:
    """The dry run: check the file and keep it, with what it would record, for HR to commit."""
    file_name = file_name.lstrip("=+-@\t\r ") or "completions.csv"
    plan = completions_check(content=content, file_name=file_name)
    status = (
        CompletionImport.Status.REJECTED
        if plan.problems or plan.file_error
        else CompletionImport.Status.CHECKED
    )
    return CompletionImport.objects.create(
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        status=status,
        summary=plan.summary(),
        uploaded_by=user,
    )


class CompletionsNotCommittable(Exception):
    pass


def completions_commit(*, completion_import: CompletionImport, user) -> CompletionPlan:
    """Record every completion of a checked file and its evidence, all or nothing, once."""
    with transaction.atomic():
        locked = CompletionImport.objects.select_for_update().get(pk=completion_import.pk)
        if locked.status == CompletionImport.Status.COMMITTED:
            raise CompletionsNotCommittable(_("This file has already been imported."))
        if locked.status != CompletionImport.Status.CHECKED:
            raise CompletionsNotCommittable(_("This file has problems; fix them and upload it again."))
        plan = completions_check(content=bytes(locked.content), file_name=locked.file_name)
        if plan.problems or plan.file_error:
            raise CompletionsNotCommittable(
                _("The data changed since the dry run and the file now has problems; upload it again.")
            )
        competencies = Competency.objects.in_bulk({c for r in plan.to_record for c, _level in r.levels})
        with timeline_deferred():  # the level timeline of everyone touched, refreshed once at the end
            for item in plan.to_record:
                completion = OutsideCompletion.objects.create(
                    employee=item.employee,
                    provider=item.provider,
                    provider_key=match_key(item.provider),
                    external_id=item.external_id,
                    course_code=item.course_code,
                    course_title=item.course_title,
                    completed_on=item.completed_on,
                    counted_as=item.counted_as,
                    source_import=locked,
                )
                for competency_id, level in item.levels:
                    evidence_record(
                        employee=item.employee,
                        competency=competencies[competency_id],
                        level=level,
                        source=LevelEvidence.Source.PRIOR_LEARNING,
                        observed_at=observed_at_of(item.completed_on),
                        recorded_by=user,
                        source_object=completion,
                        source_label=f"{item.provider}: {item.course_title or item.course_code}",
                    )
        locked.status = CompletionImport.Status.COMMITTED
        locked.committed_at = timezone.now()
        locked.summary = plan.summary()
        locked.save(update_fields=["status", "committed_at", "summary"])
        audit_log(
            instance=locked,
            action="profiles.completions_import",
            user=user,
            data={"file": locked.file_name, "recorded": len(plan.to_record), "unchanged": plan.unchanged},
        )
    return plan


def completions_template(*, language: str = "en") -> bytes:
    """An empty CSV (UTF-8 with BOM, so Excel shows Thai) with the columns the import reads."""
    thai = not language.startswith("en")
    headers = [
        next((a for a in aliases if re.search("[\u0e00-\u0e7f]", a)), key) if thai else aliases[0]
        for key, aliases in COLUMNS.items()
    ]
    return ("\ufeff" + ",".join(headers) + "\r\n").encode("utf-8")

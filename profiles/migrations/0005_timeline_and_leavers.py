"""Date the people who left without an end date, then build the level timeline from the evidence log.

End dates come from the best record available: the committed HR import that deactivated the person
(its commit day), else the last change to their record in the audit log. People neither gives a
date are listed; they stay out of every year's figures until HR records their end date.
The timeline is the level policy applied to the whole log (profiles/competencies/levels.py).
"""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import migrations

BANGKOK = ZoneInfo("Asia/Bangkok")


def date_leavers(apps, schema_editor):
    Employee = apps.get_model("profiles", "Employee")
    StaffImport = apps.get_model("profiles", "StaffImport")
    ContentType = apps.get_model("contenttypes", "ContentType")
    undated = Employee.objects.filter(is_active=False, end_date__isnull=True)
    if not undated.exists():
        return
    by_number = {e.employee_number: e for e in undated}
    found: dict[int, dt.date] = {}
    for staff_import in StaffImport.objects.filter(status="committed", kind="staff").order_by("committed_at"):
        for change in (staff_import.summary or {}).get("changes", []):
            employee = by_number.get(change.get("key"))
            if change.get("action") == "deactivate" and employee is not None and staff_import.committed_at:
                found[employee.pk] = staff_import.committed_at.astimezone(BANGKOK).date()
    try:
        ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
        content_type = ContentType.objects.filter(app_label="profiles", model="employee").first()
    except LookupError:
        ModelLogEntry, content_type = None, None
    if ModelLogEntry is not None and content_type is not None:
        missing = [str(e.pk) for e in by_number.values() if e.pk not in found]
        for object_id, timestamp in (
            ModelLogEntry.objects.filter(content_type=content_type, object_id__in=missing)
            .order_by("timestamp")
            .values_list("object_id", "timestamp")
        ):
            found[int(object_id)] = timestamp.astimezone(BANGKOK).date()
    for employee in by_number.values():
        if employee.pk in found:
            employee.end_date = max(found[employee.pk], employee.start_date)
            employee.save(update_fields=["end_date"])
    left_undated = sorted(e.employee_number for e in by_number.values() if e.pk not in found)
    if left_undated:
        print(
            f"\n  {len(left_undated)} people who left have no end date in any record; they are counted in no "
            f"year until HR records one: {', '.join(left_undated[:50])}{' …' if len(left_undated) > 50 else ''}"
        )


def build_timeline(apps, schema_editor):
    from profiles.competencies.levels import (
        EvidenceRow,
        PlacementRow,
        level_timeline,
        placement_timeline,
    )

    Employee = apps.get_model("profiles", "Employee")
    LevelEvidence = apps.get_model("profiles", "LevelEvidence")
    LevelInterval = apps.get_model("profiles", "LevelInterval")
    PlacementInterval = apps.get_model("profiles", "PlacementInterval")
    ids = list(Employee.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), 2000):
        block = ids[start : start + 2000]
        log = LevelEvidence.objects.filter(employee_id__in=block)
        corrected = set(log.filter(corrects__isnull=False).values_list("corrects_id", flat=True))
        pairs, places = defaultdict(list), defaultdict(list)
        for row in log.values(
            "id", "employee_id", "competency_id", "level", "source", "observed_at", "recorded_at",
            "org_unit_at_time_id", "personnel_group_at_time_id", "corrects_id",
        ):  # fmt: skip
            if row["corrects_id"] is None:
                places[row["employee_id"]].append(
                    PlacementRow(row["id"], row["employee_id"], row["observed_at"], row["recorded_at"],
                                 row["org_unit_at_time_id"], row["personnel_group_at_time_id"])  # fmt: skip
                )
            if row["id"] not in corrected:
                pairs[(row["employee_id"], row["competency_id"])].append(
                    EvidenceRow(row["id"], row["employee_id"], row["competency_id"], row["level"], row["source"],
                                row["observed_at"], row["recorded_at"])  # fmt: skip
                )
        LevelInterval.objects.bulk_create(
            (
                LevelInterval(
                    employee_id=e, competency_id=c, valid_from=i.valid_from, valid_until=i.valid_until,
                    level=i.level, rank=i.rank, method=i.method, deciding_id=i.deciding.id,
                )  # fmt: skip
                for (e, c), rows in pairs.items()
                for i in level_timeline(rows)
            ),
            batch_size=2000,
        )
        PlacementInterval.objects.bulk_create(
            (
                PlacementInterval(
                    employee_id=e, valid_from=p.valid_from, valid_until=p.valid_until,
                    org_unit_id=p.org_unit_id, personnel_group_id=p.personnel_group_id,
                )  # fmt: skip
                for e, rows in places.items()
                for p in placement_timeline(rows)
            ),
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0004_level_timeline"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(date_leavers, migrations.RunPython.noop),
        migrations.RunPython(build_timeline, migrations.RunPython.noop),
    ]

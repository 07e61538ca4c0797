"""Loading the published competency frameworks from their fixtures (``manage.py load_frameworks``)."""

from __future__ import annotations

from django.db import transaction

from ..organisation.models import PersonnelGroup
from .models import Competency, CompetencyArea, CompetencyFramework, ProficiencyLevel, RoleTarget


class FrameworkFixtureError(ValueError):
    """A framework fixture that cannot be loaded; the message is one line for the operator."""


def _check_unique(items: list[dict], what: str, key: str = "code") -> None:
    seen = set()
    for item in items:
        value = item.get(key)
        if value in (None, ""):
            raise FrameworkFixtureError(f"a {what} has no {key}")
        if value in seen:
            raise FrameworkFixtureError(f"duplicate {what} {key} {value!r}")
        seen.add(value)


def framework_fixture_validate(data: dict) -> None:
    """Check a fixture completely before anything is written."""
    for required in ("code", "version", "name_en", "levels", "areas"):
        if not data.get(required):
            raise FrameworkFixtureError(f"missing {required!r}")
    _check_unique(data["levels"], "level", key="level")
    _check_unique(data["areas"], "area")
    competencies = [c for area in data["areas"] for c in area.get("competencies", [])]
    _check_unique(competencies, "competency")
    _check_unique(data.get("personnel_groups", []), "personnel group")
    levels = {lv["level"] for lv in data["levels"]}
    areas = {area["code"] for area in data["areas"]}
    for group, targets in data.get("role_targets", {}).items():
        for area_code, level in targets.items():
            if area_code not in areas:
                raise FrameworkFixtureError(f"role target for {group} names unknown area {area_code!r}")
            if level not in levels:
                raise FrameworkFixtureError(f"role target {group}/{area_code} level {level} is off the scale")


def _sync(model, lookup: dict, values: dict, counts: dict):
    """Create or bring up to date one row; counts what changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts["created"] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return obj


@transaction.atomic
def framework_load(*, data: dict) -> dict[str, int]:
    """Load or refresh one framework from its fixture. Idempotent: a second run changes nothing.

    Published names, levels, areas and competencies are brought up to date. Role targets are
    only created where missing: HR edits them, and a reload must not undo HR's decisions.
    """

    framework_fixture_validate(data)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0}
    framework = _sync(
        CompetencyFramework,
        {"code": data["code"], "version": data["version"]},
        {
            "name_th": data.get("name_th", ""),
            "name_en": data["name_en"],
            "reference": data.get("reference", ""),
            "issued": data.get("issued", ""),
            "thai_names_by_department": bool(data.get("thai_names_by_department", False)),
        },
        counts,
    )
    for lv in data["levels"]:
        _sync(
            ProficiencyLevel,
            {"framework": framework, "level": lv["level"]},
            {
                "name_th": lv.get("name_th", ""),
                "name_en": lv["name_en"],
                "group_en": lv.get("group_en", ""),
                "descriptor_th": lv.get("descriptor_th", ""),
                "descriptor_en": lv.get("descriptor_en", ""),
            },
            counts,
        )
    areas = {}
    for order, area_data in enumerate(data["areas"], start=1):
        area = _sync(
            CompetencyArea,
            {"framework": framework, "code": area_data["code"]},
            {
                "name_th": area_data.get("name_th", ""),
                "name_en": area_data["name_en"],
                "sort_order": order,
            },
            counts,
        )
        areas[area.code] = area
        for c_order, comp in enumerate(area_data.get("competencies", []), start=1):
            _sync(
                Competency,
                {"framework": framework, "code": comp["code"]},
                {
                    "area": area,
                    "name_th": comp.get("name_th", ""),
                    "name_en": comp["name_en"],
                    "sort_order": order * 100 + c_order,
                },
                counts,
            )
    groups = {}
    for order, group in enumerate(data.get("personnel_groups", []), start=1):
        groups[group["code"]] = _sync(
            PersonnelGroup,
            {"code": group["code"]},
            {"name_th": group["name_th"], "name_en": group["name_en"], "sort_order": order},
            counts,
        )
    for group_code, targets in data.get("role_targets", {}).items():
        group = groups.get(group_code) or PersonnelGroup.objects.filter(code=group_code).first()
        if group is None:
            raise FrameworkFixtureError(f"role targets name unknown personnel group {group_code!r}")
        for area_code, level in targets.items():
            _target, created = RoleTarget.objects.get_or_create(
                personnel_group=group,
                area=areas[area_code],
                defaults={"framework": framework, "level": level},
            )
            counts["created" if created else "kept"] += 1
    return counts

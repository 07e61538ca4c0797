"""Importing a Moodle competency framework file (a dry run, then all of it or nothing) and exporting a
framework in the same format.

**Versions.** A file whose framework ID number is new creates a framework. A file whose ID number is
the ``code`` of a framework already here creates a **new version** of it (unless it matches a version
exactly: then there is nothing to import). The new version's competencies are matched with the latest
version's by ID number: a matched one records which one it ``continues`` and gets its role targets
copied; the others are listed as new, or as not in the new version.

**How levels and reports read across versions** (README, "Competency frameworks"): evidence belongs
to the competency it was recorded for, so to one version, and is never copied or moved; a new
version starts without levels, and gains them as evidence is recorded for its competencies. Staff
profiles show every active version (the previous one can be deactivated at import or later, in the
admin); a capability plan reads the competencies its targets name, so a plan over the old version
keeps its figures, and the next plan's targets name the new version's competencies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ...hr_data.audit import audit_log
from ..models import Competency, CompetencyArea, CompetencyFramework, ProficiencyLevel, RoleTarget
from .csv_format import (
    LEVEL_TEXTS,
    FrameworkCsvError,
    Problem,
    framework_csv_read,
    framework_csv_write,
    framework_data,
    moodle_framework,
)
from .models import FrameworkImport

CREATE, NEW_VERSION, UNCHANGED = "create", "new_version", "unchanged"


class FrameworkImportRefused(Exception):
    """A commit that cannot go ahead; the message is for HR."""


# --- Reading a framework as data -------------------------------------------------------------------


def framework_as_data(framework: CompetencyFramework) -> dict:
    """A framework of this site in the shape ``csv_format`` reads and writes (five queries)."""
    framework = (
        CompetencyFramework.objects.filter(pk=framework.pk)
        .prefetch_related(
            Prefetch("levels", queryset=ProficiencyLevel.objects.order_by("level")),
            Prefetch("areas", queryset=CompetencyArea.objects.order_by("sort_order", "code")),
            Prefetch("competencies", queryset=Competency.objects.order_by("sort_order", "code")),
        )
        .get()
    )
    by_area: dict[int, list[Competency]] = {}
    for competency in framework.competencies.all():
        by_area.setdefault(competency.area_id, []).append(competency)
    return {
        "code": framework.code,
        "version": framework.version,
        "name_th": framework.name_th,
        "name_en": framework.name_en,
        "issued": framework.issued,
        "reference": framework.reference,
        "moodle": framework.moodle or {},
        "levels": [
            {"level": level.level} | {key: getattr(level, key) for key in LEVEL_TEXTS}
            for level in framework.levels.all()
        ],
        "areas": [
            {
                "code": area.code,
                "name_th": area.name_th,
                "name_en": area.name_en,
                "moodle": area.moodle or {},
                "competencies": [
                    {
                        "id": competency.pk,
                        "code": competency.code,
                        "name_th": competency.name_th,
                        "name_en": competency.name_en,
                        "description": competency.description,
                        "moodle": competency.moodle or {},
                    }
                    for competency in by_area.get(area.pk, [])
                ],
            }
            for area in framework.areas.all()
        ],
    }


def framework_export_csv(*, framework: CompetencyFramework) -> bytes:
    """The framework as Moodle's import tool reads it (and this site reads back unchanged)."""
    return framework_csv_write(moodle_framework(framework_as_data(framework)))


def _comparable(data: dict) -> dict:
    """What a version is made of, without file rows, ids and Moodle's exported ids (which differ on
    every site): two versions that compare equal are the same framework."""

    def moodle(attrs: dict) -> dict:
        return {key: value for key, value in (attrs or {}).items() if key != "exportid"}

    return {
        "names": (
            data.get("name_th", ""),
            data.get("name_en", ""),
            data.get("issued", ""),
            data.get("reference", ""),
        ),
        "moodle": moodle(data.get("moodle")),
        "levels": [tuple(level.get(key, "") for key in ("level", *LEVEL_TEXTS)) for level in data["levels"]],
        "areas": [
            (
                area["code"],
                area.get("name_th", ""),
                area.get("name_en", ""),
                moodle(area.get("moodle")),
                [
                    (
                        c["code"],
                        c.get("name_th", ""),
                        c.get("name_en", ""),
                        c.get("description", ""),
                        moodle(c.get("moodle")),
                    )
                    for c in area.get("competencies", [])
                ],
            )
            for area in data["areas"]
        ],
    }


# --- The dry run -------------------------------------------------------------------------------------


@dataclass
class FrameworkPlan:
    """What importing a file would do, and every problem that stops it."""

    action: str = ""
    code: str = ""
    version: str = ""
    name: str = ""
    data: dict = field(default_factory=dict, repr=False)
    previous: CompetencyFramework | None = None
    matches_version: str = ""
    levels: list[str] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)  # new: code, name
    created: list[dict] = field(default_factory=list)  # competencies only in the file
    matched: list[dict] = field(default_factory=list)  # in both: code, name, changes
    unmatched: list[dict] = field(default_factory=list)  # only in the previous version
    scale_change: str = ""
    role_targets: int = 0  # copied to the new version
    role_targets_dropped: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "UTF-8"

    def summary(self) -> dict:
        return {
            "action": self.action,
            "code": self.code,
            "version": self.version,
            "name": self.name,
            "previous": self.previous.version if self.previous else "",
            "previous_code": self.previous.code if self.previous else "",
            "matches_version": self.matches_version,
            "levels": self.levels,
            "areas": self.areas,
            "created": self.created,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "scale_change": self.scale_change,
            "role_targets": self.role_targets,
            "role_targets_dropped": self.role_targets_dropped,
            "notes": [p.as_dict() for p in self.notes],
            "problems": [p.as_dict() for p in self.problems],
            "encoding": self.encoding,
            "counts": {
                "areas": len(self.areas),
                "created": len(self.created),
                "matched": len(self.matched),
                "changed": sum(1 for m in self.matched if m["changes"]),
                "unmatched": len(self.unmatched),
            },
        }


def _name(item: dict) -> str:
    return item.get("name_en") or item.get("name_th") or item.get("code", "")


def _flat(data: dict) -> dict[str, tuple[dict, dict]]:
    return {c["code"]: (c, area) for area in data["areas"] for c in area.get("competencies", [])}


def _free_label(code: str, wanted: str, taken: set[str]) -> str:
    label, counter = wanted, 1
    while label in taken:
        counter += 1
        label = f"{wanted}-{counter}"[:32]
    return label


def framework_import_check(
    *,
    content: bytes,
    version_label: str = "",
    today: dt.date | None = None,
    replaces: CompetencyFramework | None = None,
) -> FrameworkPlan:
    """Read and check a file and compare it with what is here; writes nothing.

    ``replaces`` makes the file a new version of that framework even when its ID number differs (a
    later DigComp exported from Moodle as "DigComp-3.0" replacing our "DigComp-2.2"); its competencies
    are then matched with that framework's, by ID number, as for a version with the same ID number.
    """
    plan = FrameworkPlan()
    try:
        moodle = framework_csv_read(content)
    except FrameworkCsvError as error:
        plan.problems = error.problems
        return plan
    data = framework_data(moodle)
    plan.data, plan.notes, plan.encoding = data, list(moodle.notes), moodle.encoding
    plan.code, plan.name = data["code"], _name(data)
    plan.levels = [_name(level) for level in data["levels"]]
    versions = list(CompetencyFramework.objects.filter(code=data["code"]).order_by("-id"))
    taken = {framework.version for framework in versions}
    comparable = _comparable(data)
    for framework in versions:
        if _comparable(framework_as_data(framework)) == comparable:
            plan.action, plan.matches_version, plan.version = UNCHANGED, framework.version, framework.version
            return plan
    label = version_label.strip()
    if label and label in taken:
        plan.problems.append(
            Problem(
                moodle.row,
                "",
                _("Version %(version)s of %(code)s is already here: give the new version another label.")
                % {"version": label, "code": data["code"]},
            )
        )
        return plan
    if not label:
        from_file = (data.get("version") or "").strip()
        default = (today or timezone.localdate()).isoformat() if versions else "1"
        label = _free_label(
            data["code"], from_file if from_file and from_file not in taken else default, taken
        )
    plan.version = label
    if replaces is not None and replaces.code != data["code"]:
        versions = [replaces]
    if not versions:
        plan.action = CREATE
        plan.areas = [{"code": a["code"], "name": _name(a)} for a in data["areas"]]
        plan.created = [
            {"code": c["code"], "name": _name(c), "area": a["code"]} for c, a in _flat(data).values()
        ]
        return plan
    plan.action = NEW_VERSION
    previous = plan.previous = versions[0]
    old = framework_as_data(previous)
    old_flat, new_flat = _flat(old), _flat(data)
    old_areas = {area["code"] for area in old["areas"]}
    plan.areas = [{"code": a["code"], "name": _name(a)} for a in data["areas"] if a["code"] not in old_areas]
    for code, (competency, area) in new_flat.items():
        if code not in old_flat:
            plan.created.append({"code": code, "name": _name(competency), "area": area["code"]})
            continue
        before, before_area = old_flat[code]
        changes = []
        for key, label_text in (
            ("name_th", _("Thai name")),
            ("name_en", _("English name")),
            ("description", _("description")),
        ):
            if (before.get(key) or "") != (competency.get(key) or ""):
                changes.append(str(label_text))
        if before_area["code"] != area["code"]:
            changes.append(_("area %(old)s → %(new)s") % {"old": before_area["code"], "new": area["code"]})
        if {k: v for k, v in before["moodle"].items() if k != "exportid"} != {
            k: v for k, v in competency["moodle"].items() if k != "exportid"
        }:
            changes.append(_("Moodle rules or links"))
        plan.matched.append({"code": code, "name": _name(competency), "changes": changes})
    plan.unmatched = [
        {"code": code, "name": _name(c)} for code, (c, _a) in old_flat.items() if code not in new_flat
    ]
    old_levels = [_name(level) for level in old["levels"]]
    if old_levels != plan.levels:
        plan.scale_change = _("The scale changes from %(old)s to %(new)s.") % {
            "old": ", ".join(old_levels),
            "new": ", ".join(plan.levels),
        }
    new_levels = {level["level"] for level in data["levels"]}
    new_areas = {area["code"] for area in data["areas"]}
    for target in RoleTarget.objects.filter(framework=previous).select_related(
        "area", "competency", "personnel_group"
    ):
        subject = target.competency.code if target.competency_id else target.area.code
        exists = subject in new_flat if target.competency_id else subject in new_areas
        if exists and target.level in new_levels:
            plan.role_targets += 1
        else:
            plan.role_targets_dropped.append(f"{target.personnel_group.code} · {subject}: {target.level}")
    return plan


def framework_import_upload(
    *,
    content: bytes,
    file_name: str,
    version_label: str = "",
    deactivate_previous: bool = False,
    replaces: CompetencyFramework | None = None,
    user,
) -> FrameworkImport:
    """The dry run: check the file and keep it, with what it would do, for HR to commit."""
    plan = framework_import_check(content=content, version_label=version_label, replaces=replaces)
    if plan.problems:
        status = FrameworkImport.Status.REJECTED
    elif plan.action == UNCHANGED:
        status = FrameworkImport.Status.UNCHANGED
    else:
        status = FrameworkImport.Status.CHECKED
    return FrameworkImport.objects.create(
        file_name=(file_name.lstrip("=+-@\t\r ") or "framework.csv")[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        version_label=plan.version or version_label.strip()[:32],
        deactivate_previous=deactivate_previous,
        replaces=replaces,
        status=status,
        summary=plan.summary(),
        uploaded_by=user,
    )


def framework_import_apply(*, plan: FrameworkPlan, deactivate_previous: bool = False) -> CompetencyFramework:
    """Write a checked plan: the framework (or new version), its scale, areas, competencies and the
    role targets it takes over. Call inside a transaction."""
    data = plan.data
    framework = CompetencyFramework.objects.create(
        code=data["code"],
        version=plan.version,
        name_th=data.get("name_th", ""),
        name_en=data.get("name_en", ""),
        issued=data.get("issued", ""),
        reference=data.get("reference", ""),
        moodle=data.get("moodle") or {},
        supersedes=plan.previous,
    )
    ProficiencyLevel.objects.bulk_create(
        [
            ProficiencyLevel(
                framework=framework, level=level["level"], **{k: level.get(k, "") for k in LEVEL_TEXTS}
            )
            for level in data["levels"]
        ]
    )
    old_competencies = {}
    if plan.previous is not None:
        old_competencies = {c.code: c for c in Competency.objects.filter(framework=plan.previous)}
    areas = CompetencyArea.objects.bulk_create(
        [
            CompetencyArea(
                framework=framework,
                code=area["code"],
                name_th=area.get("name_th", ""),
                name_en=area.get("name_en", ""),
                sort_order=order,
                moodle=area.get("moodle") or {},
            )
            for order, area in enumerate(data["areas"], start=1)
        ]
    )
    new_competencies = []
    order = 0
    for area, area_data in zip(areas, data["areas"], strict=True):
        for competency in area_data.get("competencies", []):
            order += 1
            new_competencies.append(
                Competency(
                    framework=framework,
                    area=area,
                    code=competency["code"],
                    name_th=competency.get("name_th", ""),
                    name_en=competency.get("name_en", ""),
                    description=competency.get("description", ""),
                    sort_order=order,
                    moodle=competency.get("moodle") or {},
                    continues=old_competencies.get(competency["code"]),
                )
            )
    Competency.objects.bulk_create(new_competencies)
    if plan.previous is not None:
        by_code = {c.code: c for c in new_competencies}
        area_by_code = {a.code: a for a in areas}
        levels = {level["level"] for level in data["levels"]}
        copies = []
        for target in RoleTarget.objects.filter(framework=plan.previous).select_related("area", "competency"):
            if target.level not in levels:
                continue
            if target.competency_id and target.competency.code in by_code:
                copies.append(
                    RoleTarget(
                        framework=framework,
                        personnel_group_id=target.personnel_group_id,
                        competency=by_code[target.competency.code],
                        level=target.level,
                    )
                )
            elif target.area_id and target.area.code in area_by_code:
                copies.append(
                    RoleTarget(
                        framework=framework,
                        personnel_group_id=target.personnel_group_id,
                        area=area_by_code[target.area.code],
                        level=target.level,
                    )
                )
        RoleTarget.objects.bulk_create(copies)
        if deactivate_previous:
            CompetencyFramework.objects.filter(pk=plan.previous.pk).update(is_active=False)
    return framework


def framework_import_commit(*, framework_import: FrameworkImport, user) -> CompetencyFramework:
    """Apply a checked file, all of it or nothing; it is checked again against today's data first."""
    try:
        with transaction.atomic():
            locked = FrameworkImport.objects.select_for_update().get(pk=framework_import.pk)
            if locked.status == FrameworkImport.Status.COMMITTED:
                raise FrameworkImportRefused(_("This file has already been imported."))
            if locked.status == FrameworkImport.Status.UNCHANGED:
                raise FrameworkImportRefused(
                    _("This framework is already here, unchanged: there is nothing to import.")
                )
            if locked.status != FrameworkImport.Status.CHECKED:
                raise FrameworkImportRefused(_("This file has problems; fix them and upload it again."))
            plan = framework_import_check(
                content=bytes(locked.content), version_label=locked.version_label, replaces=locked.replaces
            )
            if plan.problems or plan.action in ("", UNCHANGED) or plan.version != locked.version_label:
                raise FrameworkImportRefused(
                    _(
                        "The frameworks changed since the dry run; upload the file again to see what it "
                        "would do now."
                    )
                )
            framework = framework_import_apply(plan=plan, deactivate_previous=locked.deactivate_previous)
            locked.status = FrameworkImport.Status.COMMITTED
            locked.committed_at = timezone.now()
            locked.framework = framework
            locked.summary = plan.summary()
            locked.save(update_fields=["status", "committed_at", "framework", "summary"])
            audit_log(
                instance=locked,
                action="profiles.framework_import",
                user=user,
                data={
                    "file": locked.file_name,
                    "framework": framework.code,
                    "version": framework.version,
                    **plan.summary()["counts"],
                },
            )
    except IntegrityError:
        raise FrameworkImportRefused(
            _("Another import created this version at the same moment; upload the file again.")
        ) from None
    return framework

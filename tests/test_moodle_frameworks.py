"""Competency frameworks to and from Moodle's CSV (admin/tool/lpimportcsv): import, export, re-import,
new versions with matched and unmatched competencies, bad files, the admin pages and the commands."""

import codecs
import csv
import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from profiles.competencies.levels import current_levels
from profiles.competencies.moodle.csv_format import (
    COLUMNS,
    HEADERS,
    MAX_BYTES,
    TAXONOMY_TERMS,
    FrameworkCsvError,
    framework_csv_read,
    scale_configuration_items,
)
from profiles.competencies.moodle.models import FrameworkImport
from profiles.competencies.moodle.services import (
    CREATE,
    NEW_VERSION,
    UNCHANGED,
    framework_export_csv,
    framework_import_check,
    framework_import_commit,
    framework_import_upload,
)
from profiles.factories import LevelEvidenceFactory
from profiles.models import Competency, CompetencyArea, CompetencyFramework, LevelEvidence, RoleTarget

MOODLE = Path(settings.BASE_DIR) / "fixtures" / "moodle"
V1 = MOODLE / "digital-workplace.csv"
V2 = MOODLE / "digital-workplace-2025.csv"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def command(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rows(content: bytes) -> list[dict]:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    header = next(reader)
    return [dict(zip(header, row, strict=True)) for row in reader]


def commit(path, user, **options):
    upload = framework_import_upload(content=path.read_bytes(), file_name=path.name, user=user, **options)
    assert upload.status == "checked", upload.summary
    return framework_import_commit(framework_import=upload, user=user)


# --- Import ------------------------------------------------------------------------------------------


def test_a_moodle_export_imports_with_its_tree_scale_rules_and_formats(hana):
    framework = commit(V1, hana)
    assert (framework.code, framework.version, framework.name_en) == ("DW", "1", "Digital workplace")
    assert list(framework.levels.values_list("level", "name_en")) == [
        (1, "Not yet competent"), (2, "Competent"), (3, "Expert"),
    ]  # fmt: skip
    areas = {a.code: a for a in CompetencyArea.objects.filter(framework=framework)}
    assert list(areas) == ["DW-DOC", "DW-SEC", "DW-DATA"]
    codes = {c.code: c for c in Competency.objects.filter(framework=framework)}
    assert sorted(codes) == ["DW-DATA", "DW-DOC-1", "DW-DOC-2", "DW-DOC-2a", "DW-SEC-1", "DW-SEC-2"]
    assert codes["DW-DOC-2a"].area == areas["DW-DOC"] and codes["DW-DOC-2a"].moodle["parent"] == "DW-DOC-2"
    assert codes["DW-DATA"].area == areas["DW-DATA"] and codes["DW-DATA"].name_th == "ข้อมูลเปิดภาครัฐ"
    assert codes["DW-DOC-1"].moodle["rule_type"] == "core_competency\\competency_rule_all"
    assert areas["DW-SEC"].moodle["rule_type"] == "core_competency\\competency_rule_points"
    assert codes["DW-SEC-1"].moodle["related"] == "DW-DOC-2"
    assert (codes["DW-DATA"].description, codes["DW-DATA"].moodle["description_format"]) == (
        "**Open data** for citizens", "markdown",
    )  # fmt: skip
    assert framework.moodle["taxonomies"] == "domain,competency,indicator"


def test_the_dry_run_lists_what_would_be_created_and_writes_nothing(hana):
    plan = framework_import_check(content=V1.read_bytes())
    assert (plan.action, plan.code, plan.version) == (CREATE, "DW", "1")
    assert [item["code"] for item in plan.created] == [
        "DW-DOC-1", "DW-DOC-2", "DW-DOC-2a", "DW-SEC-1", "DW-SEC-2", "DW-DATA",
    ]  # fmt: skip
    assert plan.levels == ["Not yet competent", "Competent", "Expert"]
    assert not CompetencyFramework.objects.exists()


# --- Export and re-import ------------------------------------------------------------------------------


def test_export_then_import_again_finds_nothing_to_change_and_a_fresh_import_exports_the_same_file(hana):
    framework = commit(V1, hana)
    exported = framework_export_csv(framework=framework)
    assert framework_import_check(content=exported).action == UNCHANGED
    Competency.objects.all().delete()
    CompetencyFramework.objects.all().delete()
    again = commit_bytes(exported, hana)
    assert framework_export_csv(framework=again) == exported


def commit_bytes(content, user):
    upload = framework_import_upload(content=content, file_name="export.csv", user=user)
    return framework_import_commit(framework_import=upload, user=user)


@pytest.mark.parametrize("code", ["DigComp-2.2", "OCSC-2561"])
def test_the_projects_own_frameworks_export_as_moodle_reads_them_and_import_back_unchanged(code, hana):
    command("load_frameworks")
    framework = CompetencyFramework.objects.get(code=code)
    exported = framework_export_csv(framework=framework)
    records = rows(exported)
    # What Moodle's framework_importer needs: its fourteen columns, one framework row with its scale and a
    # valid scale configuration, known taxonomy terms, and every parent present.
    assert list(records[0]) == [HEADERS[key] for key in COLUMNS]
    (top,) = [r for r in records if r["Is framework"] == "1"]
    assert top["ID number"] == code and len(top["Short name"]) <= 100
    values = top["Scale values"].split(",")
    assert len(values) == framework.levels.count()
    items = scale_configuration_items(top["Scale configuration"])
    assert sum(i["scaledefault"] for i in items) == 1 and any(i["proficient"] for i in items)
    assert set(top["Taxonomy"].split(",")) <= TAXONOMY_TERMS
    idnumbers = {r["ID number"] for r in records if r["Is framework"] != "1"}
    assert all(r["Parent ID number"] in idnumbers | {""} for r in records)
    assert all(len(r["Short name"]) <= 100 and r["ID number"] for r in records)
    # And back here: nothing to change; imported afresh, the same framework, Thai names and descriptors kept.
    assert framework_import_check(content=exported).action == UNCHANGED
    before = framework_export_csv(framework=framework)
    RoleTarget.objects.all().delete()
    Competency.objects.all().delete()
    CompetencyFramework.objects.all().delete()
    again = commit_bytes(exported, hana)
    assert (again.code, again.version, again.name_th) == (
        framework.code,
        framework.version,
        framework.name_th,
    )
    assert framework_export_csv(framework=again) == before


def test_ocsc_areas_assessed_as_one_competency_are_one_moodle_row(hana):
    command("load_frameworks")
    records = rows(framework_export_csv(framework=CompetencyFramework.objects.get(code="OCSC-2561")))
    assert [r["ID number"] for r in records[1:]] == ["DLit", "DG", "DT", "DS", "SPM", "DL"]
    assert all(r["Parent ID number"] == "" for r in records[1:])


# --- New versions -----------------------------------------------------------------------------------------


@pytest.fixture
def version_one(hana, alice, academic):
    framework = commit(V1, hana)
    competencies = {c.code: c for c in framework.competencies.all()}
    LevelEvidenceFactory(employee=alice, competency=competencies["DW-SEC-1"], level=2)
    RoleTarget.objects.create(framework=framework, personnel_group=academic,
                              area=framework.areas.get(code="DW-SEC"), level=2)  # fmt: skip
    RoleTarget.objects.create(framework=framework, personnel_group=academic,
                              competency=competencies["DW-DOC-2a"], level=3)  # fmt: skip
    return framework


def test_a_framework_already_here_comes_in_as_a_new_version(version_one, hana):
    plan = framework_import_check(content=V2.read_bytes(), version_label="2025")
    assert (plan.action, plan.version, plan.previous) == (NEW_VERSION, "2025", version_one)
    matched = {item["code"]: item["changes"] for item in plan.matched}
    assert set(matched) == {"DW-DOC-1", "DW-DOC-2", "DW-SEC-1", "DW-SEC-2", "DW-DATA"}
    assert matched["DW-DOC-2"] == ["English name"] and matched["DW-DOC-1"] == []
    assert [item["code"] for item in plan.created] == ["DW-SEC-3"]
    assert [item["code"] for item in plan.unmatched] == ["DW-DOC-2a"]
    assert plan.role_targets == 1 and plan.role_targets_dropped == ["Academic · DW-DOC-2a: 3"]


def test_the_old_version_keeps_its_evidence_and_levels_read_per_version(version_one, hana, alice):
    new = commit(V2, hana, version_label="2025", deactivate_previous=True)
    version_one.refresh_from_db()
    assert (new.supersedes, version_one.is_active, new.is_active) == (version_one, False, True)
    old_sec1 = version_one.competencies.get(code="DW-SEC-1")
    new_sec1 = new.competencies.get(code="DW-SEC-1")
    assert new_sec1.continues == old_sec1
    assert new.competencies.get(code="DW-SEC-3").continues is None
    # Evidence belongs to the competency it was recorded for: it stays with version 1, nothing is copied.
    assert LevelEvidence.objects.filter(competency=old_sec1).count() == 1
    assert not LevelEvidence.objects.filter(competency__framework=new).exists()
    levels = current_levels(alice)
    assert levels[old_sec1.pk].level == 2 and new_sec1.pk not in levels
    # The area target is taken over; the target of the competency the new version dropped is not.
    assert list(RoleTarget.objects.filter(framework=new).values_list("area__code", "level")) == [
        ("DW-SEC", 2)
    ]


def test_without_a_label_the_new_version_is_named_by_the_date(version_one):
    import datetime as dt

    plan = framework_import_check(content=V2.read_bytes(), today=dt.date(2026, 3, 2))
    assert plan.version == "2026-03-02"
    taken = framework_import_check(content=V2.read_bytes(), version_label="1")
    assert "already here" in taken.problems[0].reason


def test_importing_the_same_file_again_and_committing_twice_change_nothing(version_one, hana):
    again = framework_import_upload(content=V1.read_bytes(), file_name="again.csv", user=hana)
    assert again.status == "unchanged" and again.summary["matches_version"] == "1"
    upload = framework_import_upload(
        content=V2.read_bytes(), file_name="v2.csv", user=hana, version_label="2"
    )
    framework_import_commit(framework_import=upload, user=hana)
    with pytest.raises(Exception, match="already been imported"):
        framework_import_commit(framework_import=upload, user=hana)
    assert CompetencyFramework.objects.filter(code="DW").count() == 2


# --- Bad files ---------------------------------------------------------------------------------------------


def _csv(*lines: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([HEADERS[key] for key in COLUMNS])
    for line in lines:
        writer.writerow(line)
    return out.getvalue().encode()


FRAMEWORK_ROW = ["", "FW", "Framework", "", "1", "Low,High",
                 '[{"scaleid":"1"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}]',
                 "", "", "", "", "", "1", "competency"]  # fmt: skip


def row(parent, idnumber, name="Name"):
    return [parent, idnumber, name, "", "1", "", "", "", "0", "null", "", "", "", ""]


@pytest.mark.parametrize(
    ("content", "problem_row", "reason"),
    [
        (b"", 1, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "not a text file"),
        (V1.read_bytes()[: V1.read_bytes().index(b"tables and")], 4, "cut off"),
        (V1.read_bytes()[: V1.read_bytes().index(b"DW-DOC-2,")], 5, "cut off"),
        (b"x" * (MAX_BYTES + 1), 1, "at most 5 MB"),
        (b"name,code\nA,B\n", 1, "not a Moodle competency framework file"),
        (_csv(), 1, "no rows"),
        (_csv(row("", "A")), 2, "No row is marked as the framework"),
        (_csv(FRAMEWORK_ROW, FRAMEWORK_ROW), 3, "second framework row"),
        (_csv(FRAMEWORK_ROW, row("", "A"), row("B", "C")), 4, "The parent B is not in the file"),
        (_csv(FRAMEWORK_ROW, row("B", "A"), row("A", "B")), 3, "loop: A → B → A"),
        (_csv(FRAMEWORK_ROW, row("A", "A")), 3, "loop: A → A"),
        (_csv(FRAMEWORK_ROW, row("", "A"), row("", "A")), 4, "appears twice"),
        (_csv(FRAMEWORK_ROW, row("", "")), 3, "ID number is required"),
        (_csv(FRAMEWORK_ROW[:6] + ["[]"] + FRAMEWORK_ROW[7:]), 2, "Moodle's JSON"),
        (_csv(FRAMEWORK_ROW[:13] + ["skills, other"]), 2, "taxonomy terms"),
    ],
)
def test_bad_files_are_refused_with_the_row_and_why(content, problem_row, reason, hana):
    with pytest.raises(FrameworkCsvError) as caught:
        framework_csv_read(content)
    problem = caught.value.problems[0]
    assert (problem.row, reason in problem.reason) == (problem_row, True), caught.value.problems
    upload = framework_import_upload(content=content, file_name="bad.csv", user=hana)
    assert upload.status == "rejected" and upload.summary["problems"]
    assert not CompetencyFramework.objects.exists()


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-16"),  # Excel's "Unicode text" / Notepad's "Unicode", with a BOM
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("cp874"),  # Thai Windows ("ANSI")
    ],
)
def test_utf16_and_windows_874_files_are_read(encode):
    text = _csv(FRAMEWORK_ROW, row("", "A", "การสื่อสาร")).decode()
    plan = framework_import_check(content=encode(text))
    assert not plan.problems and plan.created[0]["name"] == "การสื่อสาร"
    assert plan.encoding in ("UTF-16", "Windows-874")


def test_a_loop_anywhere_stops_the_whole_file(hana):
    content = _csv(FRAMEWORK_ROW, row("", "OK"), row("OK", "fine"), row("Y", "X"), row("X", "Y"))
    upload = framework_import_upload(content=content, file_name="loop.csv", user=hana)
    assert [p["reason"] for p in upload.summary["problems"]] == [
        "The parents form a loop: X → Y → X. Each competency needs a parent above it, or none."
    ]
    assert not Competency.objects.exists()


# --- Admin pages and commands ---------------------------------------------------------------------


@pytest.fixture
def hr_client(client, hana):
    client.force_login(hana)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_hr_uploads_reads_the_dry_run_and_commits_once(hr_client, english):
    upload = SimpleUploadedFile("dw.csv", V1.read_bytes(), content_type="text/csv")
    response = hr_client.post(reverse("moodle_frameworks:index"), {"file": upload})
    framework_import = FrameworkImport.objects.get()
    assert response["Location"] == reverse("moodle_frameworks:detail", args=[framework_import.pk])
    page = hr_client.get(response["Location"]).content.decode()
    assert "A new framework, version 1." in page and "DW-DOC-2a" in page
    commit_url = reverse("moodle_frameworks:commit", args=[framework_import.pk])
    hr_client.post(commit_url)
    assert CompetencyFramework.objects.filter(code="DW").count() == 1
    response = hr_client.post(commit_url, follow=True)
    assert "already been imported" in response.content.decode()
    assert CompetencyFramework.objects.filter(code="DW").count() == 1
    framework = CompetencyFramework.objects.get(code="DW")
    export = hr_client.get(reverse("moodle_frameworks:export") + f"?framework={framework.pk}")
    assert export["Content-Disposition"] == 'attachment; filename="dw-1.csv"'
    assert export.content == framework_export_csv(framework=framework)


def test_the_dry_run_page_lists_matched_and_unmatched_competencies(hr_client, version_one, english):
    upload = SimpleUploadedFile("dw2.csv", V2.read_bytes(), content_type="text/csv")
    response = hr_client.post(reverse("moodle_frameworks:index"), {"file": upload, "version_label": "2025"})
    page = hr_client.get(response["Location"]).content.decode()
    assert "A new version 2025 of a framework that is here (DW, latest version: 1)" in page
    assert "Not in the new version" in page and "DW-SEC-3" in page
    assert "Academic · DW-DOC-2a: 3" in page


def test_only_department_hr_imports(client, alice, bob, eddie, org):
    for user in (alice.user, bob.user, eddie):
        client.force_login(user)
        assert client.get(reverse("moodle_frameworks:index")).status_code in (302, 403)


def test_the_import_list_costs_the_same_queries_for_more_imports(
    hr_client, hana, django_assert_max_num_queries
):
    framework_import_upload(content=V1.read_bytes(), file_name="a.csv", user=hana)
    hr_client.get(reverse("moodle_frameworks:index"))  # the admin's own first-request queries
    with CaptureQueriesContext(connection) as one:
        hr_client.get(reverse("moodle_frameworks:index"))
    for index in range(15):
        framework_import_upload(content=b"", file_name=f"{index}.csv", user=hana)
    with django_assert_max_num_queries(len(one.captured_queries)):
        hr_client.get(reverse("moodle_frameworks:index"))


def test_the_commands_dry_run_commit_and_export(tmp_path):
    out = command("import_moodle_framework", str(V1))
    assert "DW 1: a new framework, 3 levels, 3 areas, 6 competencies." in out and "Dry run" in out
    assert not CompetencyFramework.objects.exists()
    command("import_moodle_framework", str(V1), "--commit")
    out = command("import_moodle_framework", str(V2), "--version-label", "2025")
    assert "a new version of 1; 5 matched (1 changed), 1 new, 1 not in the new version" in out
    assert "not in new DW-DOC-2a" in out
    target = tmp_path / "dw.csv"
    command("export_moodle_framework", "DW", "--output", str(target))
    assert framework_import_check(content=target.read_bytes()).action == UNCHANGED
    with pytest.raises(CommandError, match="No framework NOPE"):
        command("export_moodle_framework", "NOPE")
    bad = tmp_path / "loop.csv"
    bad.write_bytes(_csv(FRAMEWORK_ROW, row("A", "A")))
    with pytest.raises(CommandError, match="1 problems; nothing was imported"):
        command("import_moodle_framework", str(bad), "--commit")


def test_our_extra_data_is_trusted_only_while_moodle_shows_what_we_wrote(hana):
    command("load_frameworks")
    exported = framework_export_csv(framework=CompetencyFramework.objects.get(code="OCSC-2561")).decode(
        "utf-8-sig"
    )
    records = list(csv.reader(io.StringIO(exported)))
    index = records[0].index("Short name")
    records[2][index] = "Digital literacy (edited in Moodle)"  # an admin renamed the first area in Moodle
    out = io.StringIO()
    csv.writer(out).writerows(records)
    plan = framework_import_check(content=out.getvalue().encode(), version_label="2569")
    assert plan.action == NEW_VERSION
    dlit = next(item for item in plan.matched if item["code"] == "DLit")
    assert dlit["name"] == "Digital literacy (edited in Moodle)"
    assert set(dlit["changes"]) == {"Thai name", "English name"}
    assert json.loads(json.dumps(plan.summary()))  # the summary is stored as JSON


def test_a_later_framework_with_another_id_number_comes_in_as_a_new_version_when_hr_says_so(hana, alice):
    """DigComp 2.2 here is "DigComp-2.2"; a later DigComp exported from Moodle has its own ID number."""
    command("load_frameworks")
    digcomp = CompetencyFramework.objects.get(code="DigComp-2.2")
    LevelEvidenceFactory(employee=alice, competency=digcomp.competencies.get(code="1.1"), level=3)
    later = rows(framework_export_csv(framework=digcomp))
    later[0]["ID number"] = "DigComp-3.0"
    later = [r for r in later if r["ID number"] != "5.4"]  # 3.0 leaves a competence out
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(later[0]))
    writer.writeheader()
    writer.writerows(later)
    content = out.getvalue().encode()
    assert framework_import_check(content=content).action == CREATE  # on its own: another framework
    plan = framework_import_check(content=content, replaces=digcomp)
    assert (plan.action, plan.previous, plan.code) == (NEW_VERSION, digcomp, "DigComp-3.0")
    assert [item["code"] for item in plan.unmatched] == ["5.4"] and len(plan.matched) == 20
    upload = framework_import_upload(content=content, file_name="digcomp-3.csv", user=hana, replaces=digcomp)
    new = framework_import_commit(framework_import=upload, user=hana)
    assert (new.code, new.supersedes) == ("DigComp-3.0", digcomp)
    assert new.competencies.get(code="1.1").continues == digcomp.competencies.get(code="1.1")
    with pytest.raises(CommandError, match="No framework NOPE to replace"):
        command("import_moodle_framework", str(V1), "--replaces", "NOPE")

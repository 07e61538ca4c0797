"""HR imports: dry run, every kind of problem with its row, all-or-nothing commit, idempotence."""

import re
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from profiles.hr_data.staff_import import (
    ImportFileError,
    ImportNotCommittable,
    import_check,
    import_commit,
    import_upload,
    read_table,
)
from profiles.models import Employee, LegacyRating, LevelEvidence, OrgUnit, StaffImport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"
STAFF_HEADER = (
    "employee_number,first_name_th,last_name_th,unit_code,personnel_group,start_date,end_date,email\n"
)


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def run(kind, content, user, name="file.csv", **kwargs):
    staff_import = import_upload(kind=kind, content=content, file_name=name, user=user,
                                 deactivate_missing=kwargs.get("deactivate_missing", False))  # fmt: skip
    return staff_import


def problems_of(staff_import):
    return [(p["row"], p["column"], p["reason"]) for p in staff_import.summary["problems"]]


@pytest.fixture
def english(settings):
    from django.utils import translation

    with translation.override("en"):
        yield


def test_sample_files_import_in_order_and_a_second_run_changes_nothing(
    org, academic, framework, hana, english
):
    for kind, name in [("units", "units_en.csv"), ("staff", "staff_th.csv"), ("heads", "heads_en.csv"),
                       ("ratings", "ratings_en.csv")]:  # fmt: skip
        content = (FIXTURES / name).read_bytes()
        first = run(kind, content, hana, name)
        assert first.status == StaffImport.Status.CHECKED, first.summary
        import_commit(staff_import=first, user=hana)
        again = run(kind, content, hana, name)
        counts = again.summary["counts"]
        assert counts["create"] == counts["update"] == counts["move"] == counts["deactivate"] == 0, counts
    somchai = Employee.objects.get(employee_number="E1001")
    assert somchai.start_date.year == 2020  # 2563 B.E.
    assert OrgUnit.objects.get(code="D.B1").head.employee_number == "E1003"
    assert OrgUnit.objects.get(code="D.B2").parent.code == "D"
    assert LevelEvidence.objects.filter(employee=somchai, source="import", level=3).count() == 1
    assert LegacyRating.objects.count() == 2


def test_dry_run_lists_moves_and_deactivations_and_writes_nothing(alice, bob, org, hana, english):
    content = csv(STAFF_HEADER + f"{alice.employee_number},อลิส,ใจดี,D.B1.S2,Academic,2020-01-01,,\n")
    checked = run("staff", content, hana, deactivate_missing=True)
    changes = {c["key"]: c["action"] for c in checked.summary["changes"]}
    assert changes == {alice.employee_number: "move", bob.employee_number: "deactivate"}
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.org_unit == org["data"] and bob.is_active  # a dry run writes nothing
    import_commit(staff_import=checked, user=hana)
    bob.refresh_from_db()
    assert not bob.is_active and not bob.user.is_active


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("E1,ก,ข,NOPE,Academic,2020-01-01,,\n", (2, "Unit code", "Unknown unit NOPE.")),
        (
            "E1,ก,ข,D,Academic,2020-01-01,,\nE1,ค,ง,D,Academic,2020-01-01,,\n",
            (3, "Employee number", "Employee E1 appears twice (also on row 2)."),
        ),
        ("E1,ก,ข,D,Nobody,2020-01-01,,\n", (2, "Personnel group", "Unknown personnel group “Nobody”.")),
        (
            "E1,ก,ข,D,Academic,31-31-2020,,\n",
            (2, "Start date", "“31-31-2020” is not a date (use YYYY-MM-DD)."),
        ),
        (
            "E1,ก,ข,D,Academic,2020-01-01,,not-an-email\n",
            (2, "Email", "“not-an-email” is not an email address."),
        ),
    ],
)
def test_each_staff_problem_is_reported_with_row_and_column(org, academic, hana, english, rows, expected):
    checked = run("staff", csv(STAFF_HEADER + rows), hana)
    assert checked.status == StaffImport.Status.REJECTED
    assert expected in problems_of(checked)
    with pytest.raises(ImportNotCommittable):
        import_commit(staff_import=checked, user=hana)
    assert not Employee.objects.exists()


def test_a_head_who_is_not_an_employee_and_a_cycle_are_refused(org, alice, hana, english):
    heads = run("heads", csv("unit_code,head_employee_number\nD.B1,E999\n"), hana)
    assert (2, "Head's employee number", "E999 is not an employee.") in problems_of(heads)
    units = run("units", csv("code,name_th,kind,parent_code\nD.B1,สำนัก,bureau,D.B1.S1\n"), hana)
    assert problems_of(units)[0][:2] == (2, "Parent unit code")
    assert "cycle" in problems_of(units)[0][2]
    assert OrgUnit.objects.get(code="D.B1").parent == org["department"]


def test_a_level_outside_the_scale_is_refused(alice, framework, hana, english):
    content = csv(
        f"employee_number,competency_code,level,rated_on\n{alice.employee_number},A1.1,9,2024-01-01\n"
    )
    checked = run("ratings", content, hana)
    assert (2, "Level", "Level 9 is outside the scale (1 to 5).") in problems_of(checked)
    assert not LevelEvidence.objects.exists()


def test_nothing_is_written_when_one_row_of_many_fails_at_commit(org, academic, hana, english):
    content = csv(STAFF_HEADER + "E1,ก,ข,D,Academic,2020-01-01,,\nE2,ค,ง,D.B1,Academic,2020-01-01,,\n")
    checked = run("staff", content, hana)
    OrgUnit.objects.filter(code="D.B1").update(code="GONE")  # the data changes after the dry run
    with pytest.raises(ImportNotCommittable):
        import_commit(staff_import=checked, user=hana)
    assert not Employee.objects.exists()


def test_a_committed_file_cannot_be_committed_twice(org, academic, hana, english):
    checked = run("staff", csv(STAFF_HEADER + "E1,ก,ข,D,Academic,2020-01-01,,\n"), hana)
    import_commit(staff_import=checked, user=hana)
    with pytest.raises(ImportNotCommittable, match="already been imported"):
        import_commit(staff_import=checked, user=hana)
    assert Employee.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        (b"\x00\x01\x02binary", "a.csv", "not a text file"),
        (b"\x81\xfc\xfd\xfa\xfb", "a.csv", "encoding"),
        (b"PK\x03\x04broken", "a.xlsx", "damaged"),
        (b"code,name\n", "a.csv", "no rows"),
        (b"%PDF-1.4", "a.pdf", "CSV file or an Excel"),
    ],
)
def test_unreadable_files_get_a_clear_message(content, name, message, english):
    with pytest.raises(ImportFileError, match=message):
        read_table(content, name)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_as_utf16_with_what_to_do(encoding, english, tmp_path, hana):
    """Excel's "Unicode Text" is UTF-16 (with or without a byte-order mark): say so, and how to fix it."""
    content = (STAFF_HEADER + "E1,สมชาย,ใจดี,D,Academic,2020-01-01,,\n").encode(encoding)
    with pytest.raises(ImportFileError, match="UTF-16") as refused:
        read_table(content, "staff.csv")
    assert "CSV UTF-8" in str(refused.value) and "not a text file" not in str(refused.value)
    path = tmp_path / "staff.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="UTF-16"):
        call_command("import_staff", "staff", str(path), "--user", "hana")
    assert not Employee.objects.exists()


def test_thai_windows_encoding_and_bom_are_read(english):
    text = "รหัสพนักงาน,ชื่อ\nE1,สมชาย\n"
    for content in (text.encode("cp874"), ("\ufeff" + text).encode("utf-8")):
        frame = read_table(content, "a.csv")
        assert list(frame.columns) == ["รหัสพนักงาน", "ชื่อ"] and frame.iloc[0, 1] == "สมชาย"


def test_too_many_rows_are_refused_before_anything_is_checked(english, monkeypatch):
    monkeypatch.setattr("profiles.hr_data.staff_import.MAX_ROWS", 100)
    content = csv(STAFF_HEADER + "".join(f"E{i},ก,ข,D,Academic,2020-01-01,,\n" for i in range(101)))
    with pytest.raises(ImportFileError, match="at most 100"):
        read_table(content, "a.csv")


def test_excel_with_thai_headers(org, academic, hana, english):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["รหัสพนักงาน", "ชื่อ", "นามสกุล", "รหัสหน่วยงาน", "กลุ่มบุคลากร", "วันที่เริ่มงาน"])
    sheet.append(["E77", "สมศรี", "ดีมาก", "D.B1", "Academic", "2021-02-03"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result, _plan = import_check(kind="staff", content=buffer.getvalue(), file_name="staff.xlsx")
    assert result.problems == [] and result.counts["create"] == 1


def test_command_dry_run_then_commit(org, academic, hana, capsys, tmp_path, english):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv(STAFF_HEADER + "E1,ก,ข,D,Academic,2020-01-01,,\n"))
    call_command("import_staff", "staff", str(path), "--user", "hana")
    assert "Dry run" in capsys.readouterr().out and not Employee.objects.exists()
    call_command("import_staff", "staff", str(path), "--user", "hana", "--commit")
    assert Employee.objects.count() == 1
    path.write_bytes(csv(STAFF_HEADER + "E2,ก,ข,NOPE,Academic,2020-01-01,,\n"))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_staff", "staff", str(path), "--user", "hana", "--commit")


def test_the_readme_usage_is_the_command_s(org, academic, hana, capsys, english):
    """README's usage line names the command's arguments, and its examples run as written."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    usage = re.search(r"python manage.py import_staff (\{[^}]+\}) PATH (.+)", readme)
    assert usage is not None
    assert usage.group(1) == "{" + ",".join(StaffImport.Kind.values) + "}"
    assert set(re.findall(r"--[a-z-]+", usage.group(2))) == {"--user", "--commit", "--deactivate-missing"}
    examples = re.findall(r"^  python manage.py import_staff (\w+ fixtures/\S+ .+)$", readme, re.MULTILINE)
    assert examples
    hana.email = "hr@dept.example"
    hana.save()
    for example in examples:
        kind, path, *options = example.split()
        call_command("import_staff", kind, str(FIXTURES.parents[1] / path), *options)
    assert "Committed." in capsys.readouterr().out and OrgUnit.objects.filter(code="D").exists()


def test_ten_thousand_staff_rows(org, academic, hana, english, capsys):
    """Timed; the figure is printed for the closing note (run with -s)."""
    rows = "".join(f"E{i:05d},ชื่อ{i},สกุล{i},D.B1.S1,Academic,2020-01-01,,\n" for i in range(10_000))
    content = csv(STAFF_HEADER + rows)
    started = time.perf_counter()
    checked = run("staff", content, hana)
    checked_at = time.perf_counter()
    import_commit(staff_import=checked, user=hana)
    committed_at = time.perf_counter()
    again = run("staff", content, hana)
    print(f"\n10,000 rows: dry run {checked_at - started:.1f}s, commit {committed_at - checked_at:.1f}s, "
          f"re-check {time.perf_counter() - committed_at:.1f}s")  # fmt: skip
    assert Employee.objects.count() == 10_000
    assert again.summary["counts"]["unchanged"] == 10_000


def test_commit_progress_is_kept_for_the_commit_page(org, academic, hana, english):
    from profiles.hr_data.progress import import_progress_get

    rows = "".join(f"E{i:05d},ชื่อ{i},สกุล{i},D.B1.S1,Academic,2020-01-01,,\n" for i in range(1_200))
    checked = run("staff", csv(STAFF_HEADER + rows), hana)
    seen = []

    def progress(done, total):
        seen.append((done, total, import_progress_get(staff_import_id=checked.pk)))

    import_commit(staff_import=checked, user=hana, progress=progress)
    assert [(done, total) for done, total, _kept in seen] == [(500, 1_200), (1_000, 1_200), (1_200, 1_200)]
    assert [kept for _done, _total, kept in seen] == [
        {"stage": "writing", "done": done, "total": 1_200} for done in (500, 1_000, 1_200)
    ]
    finished = {"stage": "finished", "done": 1_200, "total": 1_200}
    assert import_progress_get(staff_import_id=checked.pk) == finished
    # A second commit is refused and leaves the first one's figures alone.
    with pytest.raises(ImportNotCommittable):
        import_commit(staff_import=checked, user=hana)
    assert import_progress_get(staff_import_id=checked.pk)["stage"] == "finished"


def test_commit_progress_says_failed_when_the_recheck_fails(org, academic, hana, english):
    from profiles.hr_data.progress import import_progress_get

    checked = run("staff", csv(STAFF_HEADER + "E1,ก,ข,D.B1,Academic,2020-01-01,,\n"), hana)
    OrgUnit.objects.filter(code="D.B1").update(code="GONE")
    with pytest.raises(ImportNotCommittable):
        import_commit(staff_import=checked, user=hana)
    assert import_progress_get(staff_import_id=checked.pk) == {"stage": "failed", "done": 0, "total": 0}


def test_dates_of_birth_are_imported_checked_and_kept_when_the_column_is_left_out(
    org, academic, hana, english
):
    header = "employee_number,first_name_th,last_name_th,unit_code,personnel_group,start_date,วันเกิด\n"
    first = run("staff", csv(header + "E7001,สมศรี,ทดสอบ,D.B1.S1,Academic,2015-06-01,15/03/2510\n"), hana)
    assert first.status == StaffImport.Status.CHECKED, first.summary
    import_commit(staff_import=first, user=hana)
    person = Employee.objects.get(employee_number="E7001")
    assert str(person.birth_date) == "1967-03-15"  # B.E. 2510
    # a file without the column changes nobody's date of birth
    again = run("staff", csv(STAFF_HEADER + "E7001,สมศรี,ทดสอบ,D.B1.S1,Academic,2015-06-01,,\n"), hana)
    assert again.summary["counts"]["update"] == 0, again.summary
    # a date of birth after (or too close to) the start date is refused on its row
    wrong = run("staff", csv(header + "E7002,สมชาย,ทดสอบ,D.B1.S1,Academic,2015-06-01,2010-01-01\n"), hana)
    assert problems_of(wrong) == [
        (2, "Date of birth", "A date of birth must be at least 15 years before the start date.")
    ]

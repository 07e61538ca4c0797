"""HR's import of an outside platform's completions: mapped to HR's outside courses or to our courses,
a dry run, once per provider and external id, bad files refused; and what the employee then sees."""

import codecs
import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from courses.factories import catalogue_create, course_create
from profiles.factories import OutsideCourseFactory
from profiles.models import CompletionImport, LevelEvidence, OutsideCompletion
from profiles.prior_learning.completions import completions_check, completions_commit, completions_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
HEADER = "รหัสพนักงาน,รหัสหลักสูตร,ชื่อหลักสูตร,วันที่สำเร็จ,ผู้จัด,รหัสอ้างอิง\n"


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def mapped(competencies):
    OutsideCourseFactory(
        provider="OCSC Learning Space", code="LS-DIG-01", competency=competencies["A1.1"], level=2
    )
    OutsideCourseFactory(
        provider="OCSC Learning Space", code="LS-DIG-01", competency=competencies["A2.1"], level=1
    )
    catalogue = catalogue_create(slug="catalogue-outside")
    return course_create(
        catalogue=catalogue, title="Cyber hygiene basics", competencies=[(competencies["A2.1"], 3)]
    )


def rows(alice, bob):
    return HEADER + (
        f"{alice.employee_number},LS-DIG-01,การรู้ดิจิทัล,2025-11-20,OCSC Learning Space,LS-1001\n"
        f"{bob.employee_number},,Cyber hygiene basics,20/12/2568,TDGA,TDGA-77\n"
    )


def test_the_dry_run_maps_each_completion_and_writes_nothing(alice, bob, mapped):
    plan = completions_check(content=rows(alice, bob).encode(), file_name="ls.csv", today=TODAY)
    assert not plan.problems and plan.rows == 2
    first, second = plan.to_record
    assert (first.employee, first.counted_as, len(first.levels)) == (alice, "outside course mapped by HR", 2)
    assert (second.completed_on, second.counted_as) == (
        dt.date(2025, 12, 20),
        "our course Cyber hygiene basics",
    )
    assert not OutsideCompletion.objects.exists() and not LevelEvidence.objects.exists()


def test_commit_records_prior_learning_evidence_once(alice, bob, hana, mapped, competencies):
    upload = completions_upload(content=rows(alice, bob).encode(), file_name="ls.csv", user=hana)
    assert upload.status == "checked"
    completions_commit(completion_import=upload, user=hana)
    evidence = LevelEvidence.objects.order_by("employee_id", "competency_id")
    assert [(e.employee, e.competency.code, e.level, e.source) for e in evidence] == [
        (alice, "A1.1", 2, "prior_learning"),
        (alice, "A2.1", 1, "prior_learning"),
        (bob, "A2.1", 3, "prior_learning"),
    ]
    assert evidence[0].observed_at.date() == dt.date(2025, 11, 20) and evidence[0].recorded_by == hana
    # The same file again: nothing to record, and committing it records nothing.
    again = completions_upload(content=rows(alice, bob).encode(), file_name="ls.csv", user=hana)
    assert again.summary["counts"] == {"create": 0, "unchanged": 2}
    completions_commit(completion_import=again, user=hana)
    assert LevelEvidence.objects.count() == 3 and OutsideCompletion.objects.count() == 2
    with pytest.raises(Exception, match="already been imported"):
        completions_commit(completion_import=upload, user=hana)


def test_an_external_id_already_imported_for_someone_else_is_a_problem(alice, bob, hana, mapped):
    completions_commit(
        completion_import=completions_upload(content=rows(alice, bob).encode(), file_name="a.csv", user=hana),
        user=hana,
    )
    clash = HEADER + f"{bob.employee_number},LS-DIG-01,,2025-11-21,ocsc  learning space,LS-1001\n"
    plan = completions_check(content=clash.encode(), file_name="b.csv", today=TODAY)
    assert "LS-1001 was already imported for" in plan.problems[0].reason


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("NOPE,LS-DIG-01,,2025-11-20,OCSC Learning Space,X1", "Staff number", "not an employee"),
        ("{alice},UNKNOWN,Some course,2025-11-20,Vendor,X2", "Course title", "is not mapped"),
        ("{alice},LS-DIG-01,,someday,OCSC Learning Space,X3", "Completed on", "not a date"),
        ("{alice},LS-DIG-01,,2027-01-01,OCSC Learning Space,X4", "Completed on", "in the future"),
        ("{alice},LS-DIG-01,,2025-11-20,OCSC Learning Space,", "External id", "is required"),
        ("{alice},,,2025-11-20,OCSC Learning Space,X5", "Course title", "code or its title"),
    ],
)
def test_bad_rows_are_problems_with_row_and_column(alice, mapped, line, column, reason):
    content = HEADER + line.format(alice=alice.employee_number) + "\n"
    plan = completions_check(content=content.encode(), file_name="x.csv", today=TODAY)
    (problem,) = plan.problems
    assert (problem.row, problem.column, reason in problem.reason) == (2, column, True), problem


def test_the_same_completion_twice_in_a_file_is_a_problem(alice, mapped):
    line = f"{alice.employee_number},LS-DIG-01,,2025-11-20,OCSC Learning Space,X9\n"
    plan = completions_check(content=(HEADER + line + line).encode(), file_name="x.csv", today=TODAY)
    assert plan.problems[0].row == 3 and "appears twice (also on row 2)" in plan.problems[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (('รหัสพนักงาน,ผู้จัด\n1,"cut off\n').encode(), "cannot be read"),
        (b"x" * (20 * 1024 * 1024 + 1), "20 MB"),
        (b"name,other\nA,B\n", "missing"),
    ],
)
def test_bad_files_are_refused_with_a_reason(content, reason):
    plan = completions_check(content=content, file_name="x.csv", today=TODAY)
    message = plan.file_error or plan.problems[0].reason
    assert reason in message, message


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-16"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("cp874"),
    ],
)
def test_utf16_and_windows_874_files_are_read(alice, bob, mapped, encode):
    plan = completions_check(content=encode(rows(alice, bob)), file_name="ls.csv", today=TODAY)
    assert not plan.problems and not plan.file_error and len(plan.to_record) == 2


def test_hr_imports_through_the_admin_and_the_employee_sees_it(client, alice, bob, hana, mapped):
    client.force_login(hana)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    template = client.get(reverse("outside_learning_import:template"))
    assert template.content.decode("utf-8-sig").startswith(
        "staff number,course code,course title,completed on"
    )
    upload = SimpleUploadedFile("ls.csv", rows(alice, bob).encode(), content_type="text/csv")
    response = client.post(reverse("outside_learning_import:index"), {"file": upload})
    completion_import = CompletionImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "to record 2" in page and "LS-1001" not in page and "Cyber hygiene basics" in page
    client.post(reverse("outside_learning_import:commit", args=[completion_import.pk]))
    assert OutsideCompletion.objects.count() == 2
    client.force_login(alice.user)
    mine = client.get(reverse("profiles:prior_learning")).content.decode()
    assert "Completions imported by HR" in mine and "OCSC Learning Space" in mine


def test_only_department_hr_imports(client, alice, bob, eddie):
    for user in (alice.user, bob.user, eddie):
        client.force_login(user)
        assert client.get(reverse("outside_learning_import:index")).status_code in (302, 403)


def test_an_outside_course_mapping_must_name_a_course_and_a_level_on_the_scale(competencies):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        OutsideCourseFactory.build(code="", title="", competency=competencies["A1.1"]).full_clean()
    with pytest.raises(ValidationError):
        OutsideCourseFactory.build(code="X", competency=competencies["A1.1"], level=9).full_clean()


def test_the_command_dry_run_and_commit(alice, bob, hana, mapped, tmp_path):
    from io import StringIO

    path = tmp_path / "ls.csv"
    path.write_text(rows(alice, bob), encoding="utf-8")
    out = StringIO()
    call_command("import_outside_learning", str(path), "--user", "hana", stdout=out)
    assert "2 to record, 0 already here" in out.getvalue() and "Dry run" in out.getvalue()
    assert not OutsideCompletion.objects.exists()
    call_command("import_outside_learning", str(path), "--user", "hana", "--commit", stdout=StringIO())
    assert OutsideCompletion.objects.count() == 2
    path.write_text(HEADER + "NOPE,LS-DIG-01,,2025-11-20,OCSC Learning Space,Z\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problems; nothing was written"):
        call_command("import_outside_learning", str(path), "--user", "hana", "--commit", stdout=StringIO())


def test_the_admin_lists_cost_the_same_queries_as_they_grow(client, hana, competencies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from profiles.factories import CompletionImportFactory

    client.force_login(hana)
    urls = [reverse("outside_learning_import:index"), reverse("outsidecourse:index")]
    CompletionImportFactory(uploaded_by=hana)
    OutsideCourseFactory(competency=competencies["A1.1"])
    for url in urls:
        client.get(url)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts.append(len(few.captured_queries))
    for index in range(12):
        CompletionImportFactory(uploaded_by=hana, file_name=f"{index}.csv")
        OutsideCourseFactory(competency=competencies["A2.1" if index % 2 else "A1.2"])
    for url, count in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many.captured_queries) <= count, url

"""HR's import pages: upload, the dry run page with every problem, commit once, templates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profiles.models import Employee, StaffImport

HEADER = "employee_number,first_name_th,last_name_th,unit_code,personnel_group,start_date\n"


@pytest.fixture
def hr_client(client, hana):
    client.force_login(hana)
    return client


def upload(client, text: bytes, name="staff.csv", kind="staff"):
    return client.post(
        reverse("profiles_import:index"), {"kind": kind, "file": SimpleUploadedFile(name, text)}, follow=True
    )


def test_dry_run_page_lists_problems_and_offers_no_commit(hr_client, org, academic):
    response = upload(hr_client, (HEADER + "E1,ก,ข,NOPE,Academic,2020-01-01\n").encode())
    page = response.content.decode()
    assert "NOPE" in page and 'action="/admin/hr-import/' not in page.split("<form")[-1]
    assert not Employee.objects.exists()


def test_commit_from_the_page_once_even_on_double_submit(hr_client, org, academic):
    upload(hr_client, (HEADER + "E1,ก,ข,D,Academic,2020-01-01\n").encode())
    staff_import = StaffImport.objects.get()
    assert staff_import.status == StaffImport.Status.CHECKED
    url = reverse("profiles_import:commit", args=[staff_import.pk])
    hr_client.post(url)
    second = hr_client.post(url, follow=True)
    assert Employee.objects.count() == 1
    shown = [str(message) for message in second.context["messages"]]
    assert any("already been imported" in text or "ไฟล์นี้นำเข้าแล้ว" in text for text in shown), shown


def test_binary_file_gets_a_clear_message(hr_client):
    response = upload(hr_client, b"\x00\x01\x02\x03" * 10, name="photo.csv")
    assert StaffImport.objects.get().status == StaffImport.Status.REJECTED
    assert StaffImport.objects.get().summary["file_error"]
    assert response.status_code == 200


def test_templates_download(hr_client):
    response = hr_client.get(reverse("profiles_import:template", args=["staff"]))
    assert response["Content-Type"] == "text/csv"
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_import_list_queries_do_not_grow(hr_client, hana, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            StaffImport.objects.create(kind="staff", file_name=f"{i}.csv", content=b"x", sha256="0" * 64,
                                       status="rejected", summary={}, uploaded_by=hana)  # fmt: skip

    make(2)
    with django_assert_max_num_queries(50) as few:
        hr_client.get(reverse("profiles_import:index"))
    make(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        hr_client.get(reverse("profiles_import:index"))


def staff_rows(count: int) -> bytes:
    return (HEADER + "".join(f"E{i:05d},ก{i},ข{i},D,Academic,2020-01-01\n" for i in range(count))).encode()


def test_progress_endpoint_follows_a_commit_of_many_changes(hr_client, org, academic, hana):
    from profiles.hr_data.staff_import import import_commit

    upload(hr_client, staff_rows(1_200))
    staff_import = StaffImport.objects.get()
    url = reverse("profiles_import:progress") + f"?import={staff_import.pk}"
    before = {"status": "checked", "stage": None, "done": 0, "total": 0, "percent": 0}
    assert hr_client.get(url).json() == before
    polled = []

    def poll(done, total):  # what the commit page sees while the commit runs
        polled.append(hr_client.get(url).json())

    import_commit(staff_import=staff_import, user=hana, progress=poll)
    assert polled[0] == {"status": "checked", "stage": "writing", "done": 500, "total": 1_200, "percent": 41}
    assert [state["done"] for state in polled] == [500, 1_000, 1_200]
    final = hr_client.get(url)
    assert "no-store" in final["Cache-Control"]
    assert final.json() == {"status": "committed", "stage": "finished", "done": 1_200, "total": 1_200,
                            "percent": 100}  # fmt: skip


def test_progress_endpoint_refuses_unknown_ids(hr_client, hana):
    assert hr_client.get(reverse("profiles_import:progress") + "?import=999999").status_code == 404
    assert hr_client.get(reverse("profiles_import:progress") + "?import=x").status_code == 404
    assert hr_client.get(reverse("profiles_import:progress")).status_code == 404


def test_commit_page_loads_the_progress_script_with_translated_texts(hr_client, org, academic):
    upload(hr_client, (HEADER + "E1,ก,ข,D,Academic,2020-01-01\n").encode())
    staff_import = StaffImport.objects.get()
    page = hr_client.get(reverse("profiles_import:detail", args=[staff_import.pk])).content.decode()
    form = page.split("<form")[-1].split("</form>")[0]
    assert "data-import-commit" in form and "<progress" in form
    assert f'data-progress-url="/admin/hr-import/progress/?import={staff_import.pk}"' in form
    assert 'data-text-writing="กำลังบันทึก %(done)s จาก %(total)s รายการ"' in form  # Thai by default
    assert '<script src="/static/profiles/import_progress.js" defer></script>' in page
    index = hr_client.get(reverse("profiles_import:index")).content.decode()
    assert "data-import-upload" in index and "data-text-uploading=" in index
    assert '<script src="/static/profiles/import_progress.js"' in index

"""Managers assign within their units, HR to units and groups; no duplicates; 403 outside scope."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from courses.models import Enrolment
from profiles.factories import EmployeeFactory

DUE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def assign(client, course, **data):
    data.setdefault("due_date", DUE)
    return client.post(f"/learning/courses/{course.pk}/assign/", data)


@pytest.mark.django_db
def test_manager_assigns_to_own_team_once(client_for, alice, bob, excel_course):
    client = client_for(bob)
    assert client.get(f"/learning/courses/{excel_course.pk}/assign/").status_code == 200
    assert assign(client, excel_course, employees=[alice.pk], mandatory="on").status_code == 302
    assert assign(client, excel_course, employees=[alice.pk], mandatory="on").status_code == 302
    enrolment = Enrolment.objects.get(employee=alice, course=excel_course)
    assert enrolment.due_date.isoformat() == DUE and enrolment.is_mandatory
    assert enrolment.assigned_by == bob.user
    assert Enrolment.objects.count() == 1


@pytest.mark.django_db
def test_reassigning_changes_the_due_date(client_for, alice, bob, excel_course):
    client = client_for(bob)
    assign(client, excel_course, employees=[alice.pk])
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    assign(client, excel_course, employees=[alice.pk], due_date=later)
    assert Enrolment.objects.get(employee=alice).due_date.isoformat() == later


@pytest.mark.django_db
def test_manager_cannot_assign_outside_their_units(client_for, alice, bob, carol, excel_course):
    client = client_for(carol)  # heads the Service section, not Alice's
    assert assign(client, excel_course, employees=[alice.pk]).status_code == 403
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_manager_cannot_assign_to_themselves_or_a_unit_they_do_not_head(
    client_for, alice, bob, carol, org, excel_course
):
    client = client_for(bob)  # heads the Data section
    assert assign(client, excel_course, employees=[bob.pk]).status_code == 403
    for unit in (org["service"], org["bureau"], org["department"]):
        refused = assign(client, excel_course, org_unit=unit.pk)
        assert refused.status_code == 403
        assert "หน่วยงานนั้นไม่อยู่ในความรับผิดชอบของท่าน" in refused.content.decode()  # told why
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_manager_assigns_their_whole_unit_but_not_themselves(
    client_for, alice, bob, carol, org, excel_course
):
    colleague = EmployeeFactory(org_unit=org["data"])
    EmployeeFactory(org_unit=org["data"], is_active=False)
    response = assign(client_for(bob), excel_course, org_unit=org["data"].pk)
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("employee_id", flat=True)) == {alice.pk, colleague.pk}


@pytest.mark.django_db
def test_employee_cannot_assign(client_for, alice, bob, excel_course):
    client = client_for(alice)
    assert client.get(f"/learning/courses/{excel_course.pk}/assign/").status_code == 403
    assert assign(client, excel_course, employees=[bob.pk]).status_code == 403
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_hr_assigns_a_unit_with_its_sub_units(
    client_for, hana, alice, bob, carol, org, academic, excel_course
):
    outsider_unit = EmployeeFactory(personnel_group=academic)  # in a department of its own
    response = assign(client_for(hana), excel_course, org_unit=org["bureau"].pk, mandatory="on")
    assert response.status_code == 302
    assigned = set(Enrolment.objects.values_list("employee_id", flat=True))
    assert assigned == {alice.pk, bob.pk, carol.pk}
    assert outsider_unit.pk not in assigned


@pytest.mark.django_db
def test_hr_assigns_a_personnel_group(client_for, hana, alice, bob, excel_course, academic):
    other = EmployeeFactory()
    assign(client_for(hana), excel_course, personnel_group=academic.pk)
    assigned = set(Enrolment.objects.values_list("employee_id", flat=True))
    assert {alice.pk, bob.pk} <= assigned and other.pk not in assigned


@pytest.mark.django_db
def test_completed_enrolments_are_left_alone(client_for, hana, alice, excel_course):
    done = Enrolment.objects.create(employee=alice, course=excel_course, completed_at=timezone.now())
    assign(client_for(hana), excel_course, employees=[alice.pk])
    done.refresh_from_db()
    assert done.due_date is None and done.assigned_at is None


@pytest.mark.django_db
def test_bad_assignment_input(client_for, bob, alice, excel_course, catalogue):
    from courses.factories import course_create

    client = client_for(bob)
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = assign(client, excel_course, employees=[alice.pk], due_date=past)
    assert response.status_code == 200 and response.context["form"].errors
    response = assign(client, excel_course)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    draft = course_create(catalogue=catalogue, live=False)
    assert assign(client, draft, employees=[alice.pk]).status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_assign_form_shows_who_already_has_the_course(client_for, bob, alice, excel_course):
    Enrolment.objects.create(employee=alice, course=excel_course, completed_at=timezone.now())
    html = client_for(bob).get(f"/learning/courses/{excel_course.pk}/assign/").content.decode()
    assert "อลิส ใจดี" in html and ("(เรียนจบแล้ว)" in html or "(Completed)" in html)


def _advanced_after(catalogue, *prerequisites, title="Advanced"):
    from courses.factories import course_create

    course = course_create(catalogue=catalogue, title=title)
    course.prerequisites.add(*prerequisites)
    course.save_revision().publish()
    return course


@pytest.mark.django_db
def test_assigning_with_prerequisites_assigns_what_each_person_lacks(
    client_for, hana, alice, bob, catalogue, excel_course, cyber_course
):
    middle = _advanced_after(catalogue, cyber_course, title="Middle")
    advanced = _advanced_after(catalogue, excel_course, middle)
    Enrolment.objects.create(employee=bob, course=excel_course, completed_at=timezone.now())
    client = client_for(hana)
    response = assign(client, advanced, employees=[alice.pk, bob.pk], mandatory="on", with_prerequisites="on")
    assert response.status_code == 302
    open_ = {(e.employee_id, e.course_id): e for e in Enrolment.objects.filter(completed_at__isnull=True)}
    # Alice lacks all three (Middle's own prerequisite too); Bob already completed Excel.
    assert set(open_) == {
        (alice.pk, advanced.pk),
        (alice.pk, excel_course.pk),
        (alice.pk, middle.pk),
        (alice.pk, cyber_course.pk),
        (bob.pk, advanced.pk),
        (bob.pk, middle.pk),
        (bob.pk, cyber_course.pk),
    }
    assert all(
        e.due_date.isoformat() == DUE and e.is_mandatory and e.assigned_by == hana for e in open_.values()
    )
    done = Enrolment.objects.get(employee=bob, course=excel_course)
    assert done.assigned_at is None  # a completed course is left alone
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("Middle" in m and "2" in m for m in messages)


@pytest.mark.django_db
def test_without_prerequisites_the_assigner_is_told_who_lacks_them(
    client_for, bob, alice, catalogue, excel_course
):
    advanced = _advanced_after(catalogue, excel_course)
    client = client_for(bob)
    html = client.get(f"/learning/courses/{advanced.pk}/assign/").content.decode()
    assert 'name="with_prerequisites"' in html and excel_course.title in html
    response = assign(client, advanced, employees=[alice.pk])  # the box left unticked
    assert set(Enrolment.objects.values_list("course_id", flat=True)) == {advanced.pk}
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert any(excel_course.title in m and "อลิส ใจดี" in m for m in messages)


@pytest.mark.django_db
def test_prerequisites_that_loop_are_assigned_once(hana, alice, catalogue, excel_course):
    from courses.services import course_assign

    first = _advanced_after(catalogue, excel_course, title="First")
    excel_course.prerequisites.add(first)  # a loop an editor made by mistake
    excel_course.save_revision().publish()
    result = course_assign(
        course=first,
        employees=[alice],
        assigned_by=hana,
        due_date=None,
        mandatory=False,
        with_prerequisites=True,
    )
    assert [p.pk for p, _r in result.prerequisites_assigned] == [excel_course.pk]
    assert Enrolment.objects.filter(employee=alice).count() == 2


@pytest.mark.django_db
def test_a_course_without_prerequisites_offers_no_box(client_for, bob, excel_course):
    html = client_for(bob).get(f"/learning/courses/{excel_course.pk}/assign/").content.decode()
    assert 'name="with_prerequisites"' not in html


@pytest.mark.django_db
def test_unpublished_prerequisites_are_not_asked_for(alice, catalogue):
    from courses.factories import course_create
    from courses.services import enrolment_create

    draft = course_create(catalogue=catalogue, title="Draft", live=False)
    advanced = _advanced_after(catalogue, draft)
    enrolment, created = enrolment_create(employee=alice, course=advanced)
    assert created and enrolment.course_id == advanced.pk


@pytest.mark.django_db
def test_the_person_picker_offers_search_select_all_and_whole_units(
    client_for, alice, bob, org, excel_course
):
    client = client_for(bob)
    client.cookies["skills_language"] = "en"
    html = client.get(f"/learning/courses/{excel_course.pk}/assign/").content.decode()
    assert 'type="search"' in html and "data-picker-search" in html
    assert "Select all shown" in html and "Clear all" in html and "data-picker-count" in html
    assert "people_picker.js" in html
    # Bob heads the Data section only: it is the one unit offered, and Alice's box says where she is.
    assert f'<option value="{org["data"].pk}" data-subtree="{org["data"].pk}">' in html
    assert html.count("data-subtree=") == 1
    assert re.search(rf'value="{alice.pk}" id="[^"]+" data-unit="{org["data"].pk}"', html)
    assert f'name="employees" value="{bob.pk}"' not in html  # not himself


@pytest.mark.django_db
def test_hr_picking_a_section_assigns_exactly_its_people(
    client_for, hana, alice, bob, carol, org, excel_course
):
    html = client_for(hana).get(f"/learning/courses/{excel_course.pk}/assign/").content.decode()
    subtree = " ".join(str(pk) for pk in sorted(org[name].pk for name in ("bureau", "data", "service")))
    assert f'data-subtree="{subtree}"' in html  # the bureau ticks both of its sections
    assert assign(client_for(hana), excel_course, org_unit=org["service"].pk).status_code == 302
    assert set(Enrolment.objects.values_list("employee_id", flat=True)) == {carol.pk}


@pytest.mark.django_db
def test_forged_ids_are_refused_with_a_reason_and_nothing_is_assigned(client_for, alice, bob, excel_course):
    client = client_for(bob)
    client.cookies["skills_language"] = "en"
    for data in ({"employees": [alice.pk, 999_999]}, {"org_unit": 999_999}, {"org_unit": "x"}):
        refused = assign(client, excel_course, **data)
        assert refused.status_code == 403
        assert "only to people in the units you head" in refused.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_the_due_date_is_given_in_the_buddhist_era_on_thai_pages(client_for, alice, bob, excel_course):
    due = dt.date.today() + dt.timedelta(days=40)
    client = client_for(bob)
    data = {"due_date_day": due.day, "due_date_month": due.month, "due_date_year": due.year + 543}
    response = client.post(
        f"/learning/courses/{excel_course.pk}/assign/", {"employees": [alice.pk], **data}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(employee=alice).due_date == due
    html = client.get(f"/learning/courses/{excel_course.pk}/assign/").content.decode()
    assert 'name="due_date_year"' in html and "พ.ศ." in html and "มกราคม" in html


@pytest.mark.django_db
def test_the_assign_page_query_count_does_not_grow_with_the_team(
    client_for, alice, bob, org, excel_course, django_assert_max_num_queries
):
    client = client_for(bob)
    url = f"/learning/courses/{excel_course.pk}/assign/"
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    EmployeeFactory.create_batch(30, org_unit=org["data"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count('type="checkbox" name="employees"') == 31

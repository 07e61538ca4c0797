"""A course's delivery and cost, as HR and authors record them in the page editor: checked on save."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.factories import course_create


@pytest.fixture
def course(catalogue, competencies):
    return course_create(catalogue=catalogue, title="Excel", competencies=[(competencies["A1.1"], 3)])


def errors(course) -> dict:
    with pytest.raises(ValidationError) as raised:
        course.full_clean()
    return raised.value.message_dict


def test_a_course_without_a_cost_is_free_and_self_paced(course):
    course.full_clean()
    assert (course.delivery_mode, course.cost_per_seat, course.cost_per_run) == ("self_paced", 0, 0)
    assert not course.is_run_based


def test_learning_hours_default_to_the_estimated_duration(course):
    course.duration_minutes = 90
    assert course.planning_hours == Decimal("1.5")
    course.learning_hours = Decimal("12")
    assert course.planning_hours == 12


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"cost_per_seat": Decimal("-1")}, "cost_per_seat", "A cost cannot be negative."),
        ({"cost_per_seat": Decimal("2000000")}, "cost_per_seat", "More than 1,000,000 baht a seat"),
        (
            {"delivery_mode": "classroom", "seats_per_run": 20, "cost_per_run": Decimal("-5")},
            "cost_per_run",
            "A cost cannot be negative.",
        ),
        (
            {"delivery_mode": "classroom", "seats_per_run": 20, "cost_per_run": Decimal("20000000")},
            "cost_per_run",
            "More than 10,000,000 baht a run",
        ),
        ({"delivery_mode": "classroom", "seats_per_run": 0}, "seats_per_run", "A run has at least one seat."),
        (
            {"delivery_mode": "online_class", "seats_per_run": None},
            "seats_per_run",
            "needs its seats per run",
        ),
        ({"delivery_mode": "classroom", "seats_per_run": 900}, "seats_per_run", "At most 500 seats a run."),
        (
            {"cost_per_run": Decimal("5000")},
            "cost_per_run",
            "Only a classroom or online class is given in runs",
        ),
        ({"learning_hours": Decimal("0")}, "learning_hours", "at least 0.1 hours"),
    ],
)
def test_impossible_delivery_and_costs_are_refused(course, fields, field, message, english):
    for name, value in fields.items():
        setattr(course, name, value)
    found = errors(course)
    assert any(message in text for text in found[field]), found


def test_a_classroom_course_in_runs_is_accepted(course):
    course.delivery_mode = "classroom"
    course.seats_per_run = 30
    course.cost_per_run = Decimal("48000")
    course.cost_per_seat = Decimal("350")
    course.full_clean()
    assert course.is_run_based


def test_the_page_editor_shows_delivery_and_cost(client, course, hana):
    from django.contrib.auth.models import Group

    from courses.roles import COURSE_AUTHORS_GROUP, course_authors_ensure

    course_authors_ensure()
    hana.groups.add(Group.objects.get(name=COURSE_AUTHORS_GROUP))
    client.force_login(hana)
    body = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    for name in ("delivery_mode", "cost_per_seat", "cost_per_run", "seats_per_run", "learning_hours"):
        assert f'name="{name}"' in body

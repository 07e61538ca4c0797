"""Fixtures for the assessment tests: a small bank over the test framework and a published test."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from assessments.factories import (
    TRUE_FALSE_OPTIONS,
    QuestionCategoryFactory,
    QuestionFactory,
    assessment_page_create,
)
from assessments.models import Question
from skills_site.thai_calendar import BANGKOK

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached statistics and charts of one test must not answer for the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English so tests can match them; pages are requested in Thai."""
    with translation.override("en"):
        yield


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def category(db):
    return QuestionCategoryFactory(name="Placement/Office")


@pytest.fixture
def bank(category, competencies):
    """Four questions: two on A1.1 (single choice, true/false), two on A2.1 (multiple, short text)."""
    office, cyber = competencies["A1.1"], competencies["A2.1"]
    return [
        QuestionFactory(category=category, competency=office, text_th="ข้อหนึ่ง", text_en="One"),
        QuestionFactory(
            category=category,
            competency=office,
            kind=Question.Kind.TRUE_FALSE,
            options=TRUE_FALSE_OPTIONS,
            text_en="Two",
        ),
        QuestionFactory(
            category=category,
            competency=cyber,
            kind=Question.Kind.MULTIPLE,
            text_en="Three",
            options=[
                {"text_en": "Good A", "weight": 50, "feedback_en": "SECRET-FEEDBACK-A"},
                {"text_en": "Good B", "weight": 50},
                {"text_en": "Bad C", "weight": -100},
            ],
        ),
        QuestionFactory(
            category=category,
            competency=cyber,
            kind=Question.Kind.SHORT_TEXT,
            text_en="Four",
            general_feedback_en="SECRET-GENERAL-FEEDBACK",
            options=[{"text_th": "ไฟร์วอลล์", "text_en": "firewall", "weight": 100}],
        ),
    ]


@pytest.fixture
def page(bank, category, competencies):
    return assessment_page_create(
        title="Placement test",
        competencies=[competencies["A1.1"], competencies["A2.1"]],
        draw=[(category, 4)],
        bands=[(50, 2), (80, 3)],
        time_limit_minutes=30,
        max_attempts=2,
    )


def all_right(rows):
    """Responses (by AttemptQuestion id) that answer every bank question correctly."""
    out = {}
    for row in rows:
        question = row.question
        choices = list(question.choices.all())
        if question.kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
            out[row.pk] = {"choice": next(c.pk for c in choices if c.weight == 100)}
        elif question.kind == Question.Kind.MULTIPLE:
            out[row.pk] = {"choices": [c.pk for c in choices if c.weight > 0]}
        else:
            out[row.pk] = {"text": choices[0].text_en}
    return out

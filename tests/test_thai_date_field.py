"""The site's date field: day / month / year, the year in B.E. on Thai pages and C.E. in English."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from skills_site.forms import ThaiDateField


class DueForm(forms.Form):
    due = ThaiDateField(label="Due")


class OptionalForm(forms.Form):
    due = ThaiDateField(label="Due", required=False, first_year=2000, last_year=2100)


def parse(language, day, month, year, form_class=DueForm):
    with translation.override(language):
        form = form_class({"due_day": str(day), "due_month": str(month), "due_year": str(year)})
        valid = form.is_valid()
        return (form.cleaned_data["due"] if valid else None), [str(e) for e in form.errors.get("due", [])]


def render(language, value, form_class=DueForm):
    with translation.override(language):
        return str(form_class(initial={"due": value})["due"])


@pytest.mark.parametrize(
    ("language", "year", "expected"),
    [("th", 2569, dt.date(2026, 3, 14)), ("en", 2026, dt.date(2026, 3, 14))],
)
def test_a_date_is_read_in_the_pages_era(language, year, expected):
    assert parse(language, 14, 3, year) == (expected, [])


def test_a_date_is_shown_with_the_year_in_the_pages_era_and_month_names_in_its_language():
    thai = render("th", dt.date(2026, 3, 14))
    assert 'name="due_year" value="2569"' in thai
    assert '<option value="3" selected>มีนาคม</option>' in thai
    assert '<option value="14" selected>14</option>' in thai
    assert "พ.ศ." in thai and 'aria-label="ปี พ.ศ."' in thai
    english = render("en", dt.date(2026, 3, 14))
    assert 'name="due_year" value="2026"' in english
    assert '<option value="3" selected>March</option>' in english and "พ.ศ." not in english


def test_the_label_points_at_the_day():
    with translation.override("en"):
        assert 'for="id_due_0"' in DueForm()["due"].label_tag()


def test_a_date_round_trips_through_the_widget_in_both_languages():
    day = dt.date(2027, 12, 31)
    for language in ("th", "en"):
        with translation.override(language):
            form = DueForm(initial={"due": day})
            day_, month, year = form.fields["due"].widget.decompress(day)
        assert parse(language, day_, month, year) == (day, [])


@pytest.mark.parametrize(
    ("language", "leap_year", "plain_year"),
    [("th", 2567, 2568), ("en", 2024, 2025)],  # B.E. 2567 = 2024, a leap year
)
def test_29_february_exists_only_in_leap_years(language, leap_year, plain_year):
    assert parse(language, 29, 2, leap_year)[0] == dt.date(2024, 2, 29)
    value, errors = parse(language, 29, 2, plain_year)
    assert value is None
    assert errors == (
        ["เดือนกุมภาพันธ์ 2568 มีเพียง 28 วัน"] if language == "th" else ["February 2025 has only 28 days."]
    )


def test_31_february_and_31_april_are_refused():
    assert parse("en", 31, 2, 2026)[1] == ["February 2026 has only 28 days."]
    assert parse("th", 31, 4, 2569)[1] == ["เดือนเมษายน 2569 มีเพียง 30 วัน"]


def test_a_year_in_the_wrong_era_is_out_of_range_not_shifted():
    # A Thai page given 2026 (C.E.), an English page given 2569 (B.E.).
    assert parse("th", 1, 1, 2026) == (None, ["กรุณาระบุปีเป็นพุทธศักราช (พ.ศ.) ระหว่าง 2443 ถึง 2743"])
    assert parse("en", 1, 1, 2569) == (None, ["Enter a year from 1900 to 2200."])


def test_bounds_are_inclusive_and_shown_in_the_pages_era():
    assert parse("en", 1, 1, 2000, OptionalForm)[0] == dt.date(2000, 1, 1)
    assert parse("en", 31, 12, 2100, OptionalForm)[0] == dt.date(2100, 12, 31)
    assert parse("en", 31, 12, 1999, OptionalForm)[1] == ["Enter a year from 2000 to 2100."]
    assert parse("th", 1, 1, 2644, OptionalForm)[1] == [
        "กรุณาระบุปีเป็นพุทธศักราช (พ.ศ.) ระหว่าง 2543 ถึง 2643"
    ]
    with pytest.raises(ValueError):
        ThaiDateField(first_year=1900, last_year=2500)  # the eras would overlap


INVALID = "Enter a valid date: a day, a month and a year."
INVALID_TH = "กรุณาระบุวันที่ให้ถูกต้อง ได้แก่ วันที่ เดือน และปี"


@pytest.mark.parametrize(
    ("data", "english", "thai"),
    [
        ({"due_day": "1", "due_month": "", "due_year": "2026"}, "Enter the day, the month and the year.",
         "กรุณาระบุวันที่ เดือน และปีให้ครบ"),
        ({"due_day": "1", "due_month": "2", "due_year": "ab"}, None, None),
        ({"due_day": "x", "due_month": "2", "due_year": "2026"}, INVALID, INVALID_TH),
        ({"due_day": "1", "due_month": "13", "due_year": "2026"}, INVALID, None),
        ({"due_day": "0", "due_month": "1", "due_year": "2026"}, INVALID, None),
        ({"due": "14/03/2026"}, INVALID, INVALID_TH),
        ({}, "Enter a date.", "กรุณาระบุวันที่"),
    ],
)  # fmt: skip
def test_garbage_gets_a_message_in_the_pages_language(data, english, thai):
    for language, message in (("en", english), ("th", thai)):
        with translation.override(language):
            form = DueForm(data)
            assert not form.is_valid()
            if message is not None:
                assert form.errors["due"] == [message]


def test_a_year_that_is_not_digits_is_explained_with_an_example_in_the_pages_era():
    this_year = dt.date.today().year
    assert parse("en", 1, 2, "20x6")[1] == [f"Enter the year in digits, e.g. {this_year}."]
    assert parse("th", 1, 2, "ปปปป")[1] == [f"กรุณาระบุปีเป็นตัวเลข เช่น {this_year + 543}"]


def test_thai_digits_are_read():
    assert parse("th", "๑๔", "3", "๒๕๖๙")[0] == dt.date(2026, 3, 14)


def test_an_empty_optional_date_is_none_and_a_partial_one_is_refused():
    assert parse("en", "", "", "", OptionalForm) == (None, [])
    assert parse("en", "", "3", "", OptionalForm)[1] == ["Enter the day, the month and the year."]


def test_one_iso_date_is_still_accepted_for_links_and_scripts_and_shown_split():
    with translation.override("th"):
        form = DueForm({"due": "2026-03-14"})
        assert form.is_valid() and form.cleaned_data["due"] == dt.date(2026, 3, 14)
        assert 'name="due_year" value="2569"' in str(form["due"])
        assert not DueForm({"due": "2026-02-30"}).is_valid()
        assert not DueForm({"due": "1200-01-01"}).is_valid()

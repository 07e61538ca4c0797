import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from skills_site.thai_calendar import (
    be_year,
    fiscal_quarter_of,
    fiscal_quarter_period,
    fiscal_year_of,
    fiscal_year_period,
    format_be_date,
    format_fiscal_year,
)

UTC = ZoneInfo("UTC")
BKK = ZoneInfo("Asia/Bangkok")


def test_buddhist_era_year():
    assert be_year(dt.date(2025, 1, 1)) == 2568
    assert be_year(2025) == 2568


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (dt.date(2024, 9, 30), 2567),
        (dt.date(2024, 10, 1), 2568),
        (dt.date(2025, 9, 30), 2568),
        (dt.date(2024, 12, 31), 2568),
        (dt.date(2025, 1, 1), 2568),
        (dt.date(2024, 2, 29), 2567),
    ],
)
def test_fiscal_year_of_dates(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


def test_timestamp_belongs_to_its_bangkok_date():
    # 30 Sep 20:00 UTC is 1 Oct 03:00 in Bangkok: already the next fiscal year.
    assert fiscal_year_of(dt.datetime(2025, 9, 30, 20, 0, tzinfo=UTC)) == 2569
    # 30 Sep 16:59 UTC is 30 Sep 23:59 in Bangkok: still the old one.
    assert fiscal_year_of(dt.datetime(2025, 9, 30, 16, 59, tzinfo=UTC)) == 2568
    # 1 Oct 00:30 in Bangkok is 30 Sep 17:30 UTC.
    assert fiscal_year_of(dt.datetime(2025, 10, 1, 0, 30, tzinfo=BKK)) == 2569
    # New Year in Bangkok while it is still 31 Dec in UTC: same fiscal year, next quarter.
    new_year = dt.datetime(2024, 12, 31, 18, 0, tzinfo=UTC)
    assert fiscal_year_of(new_year) == 2568
    assert fiscal_quarter_of(new_year) == 2


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(10, 1), (11, 1), (12, 1), (1, 2), (3, 2), (4, 3), (6, 3), (7, 4), (9, 4)],
)
def test_fiscal_quarters(month, quarter):
    assert fiscal_quarter_of(dt.date(2025, month, 15)) == quarter


def test_fiscal_year_period_bounds():
    period = fiscal_year_period(2568)
    assert (period.start, period.end) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    assert period.label == "FY2568"
    assert period.end_datetime() == dt.datetime(2025, 9, 30, 23, 59, 59, 999999, tzinfo=BKK)
    assert dt.date(2024, 10, 1) in period and dt.date(2025, 10, 1) not in period


def test_fiscal_quarter_bounds_including_leap_day():
    assert fiscal_quarter_period(2568, 1).start == dt.date(2024, 10, 1)
    assert fiscal_quarter_period(2568, 1).end == dt.date(2024, 12, 31)
    q2 = fiscal_quarter_period(2567, 2)
    assert (q2.start, q2.end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert dt.date(2024, 2, 29) in q2
    assert fiscal_quarter_period(2568, 4).end == dt.date(2025, 9, 30)
    assert fiscal_quarter_period(2568, 3).label == "FY2568 Q3"


def test_action_plan_span():
    assert fiscal_year_period(2566).start == dt.date(2022, 10, 1)
    assert fiscal_year_period(2570).end == dt.date(2027, 9, 30)


def test_bad_fiscal_year_or_quarter_is_refused():
    with pytest.raises(ValueError, match="B.E."):
        fiscal_year_period(2025)
    with pytest.raises(ValueError, match="Quarter 5"):
        fiscal_quarter_period(2568, 5)


def test_formatting():
    assert format_be_date(dt.date(2026, 11, 26), "th") == "26 พ.ย. 2569"
    assert format_be_date(dt.date(2024, 2, 29), "th", long=True) == "29 กุมภาพันธ์ 2567"
    assert format_be_date(dt.date(2026, 11, 26), "en") == "26 Nov 2026"
    assert format_be_date(dt.datetime(2025, 9, 30, 20, 0, tzinfo=UTC), "th") == "1 ต.ค. 2568"
    assert format_fiscal_year(2568, "th") == "ปีงบประมาณ พ.ศ. 2568"
    assert format_fiscal_year(2568, "en") == "FY2568"

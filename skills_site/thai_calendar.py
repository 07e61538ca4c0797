"""Thai calendar rules used by every report: Buddhist Era years and the government fiscal year.

The fiscal year runs 1 October to 30 September and is named by the B.E. year in which it ends
(FY2568 = 1 Oct 2024 to 30 Sep 2025). A timestamp belongs to the fiscal year of its date in
Bangkok, so 30 Sep 20:00 UTC (already 1 Oct 03:00 in Bangkok) is in the next fiscal year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ENGLISH_MONTHS_SHORT = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def bangkok_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar date in Bangkok. Naive datetimes are taken to be Bangkok time already."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(BANGKOK)
        return value.date()
    return value


def be_year(value: dt.date | dt.datetime | int) -> int:
    """Buddhist Era year of a date, or of a Common Era year number."""
    if isinstance(value, int):
        return value + BE_OFFSET
    return bangkok_date(value).year + BE_OFFSET


def fiscal_year_of(value: dt.date | dt.datetime) -> int:
    """The fiscal year (B.E.) that a date or timestamp falls in."""
    day = bangkok_date(value)
    ce_year_it_ends = day.year + 1 if day.month >= 10 else day.year
    return ce_year_it_ends + BE_OFFSET


def fiscal_quarter_of(value: dt.date | dt.datetime) -> int:
    """Quarter 1-4 within the fiscal year: Q1 = Oct-Dec, Q2 = Jan-Mar, Q3 = Apr-Jun, Q4 = Jul-Sep."""
    month = bangkok_date(value).month
    return ((month - 10) % 12) // 3 + 1


@dataclass(frozen=True)
class Period:
    """A closed range of Bangkok dates, with its label for reports."""

    start: dt.date
    end: dt.date
    fiscal_year: int
    quarter: int | None = None

    @property
    def label(self) -> str:
        if self.quarter is None:
            return f"FY{self.fiscal_year}"
        return f"FY{self.fiscal_year} Q{self.quarter}"

    def start_datetime(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=BANGKOK)

    def end_datetime(self) -> dt.datetime:
        """The last instant of the period in Bangkok, for "as of the end of" questions."""
        return dt.datetime.combine(self.end, dt.time.max, tzinfo=BANGKOK)

    def __contains__(self, value: dt.date | dt.datetime) -> bool:
        return self.start <= bangkok_date(value) <= self.end


def _check_fiscal_year(fiscal_year: int) -> None:
    if not 2400 <= fiscal_year <= 2800:
        raise ValueError(f"{fiscal_year} is not a B.E. fiscal year (expected e.g. 2568).")


def fiscal_year_period(fiscal_year: int) -> Period:
    """1 October of the previous CE year to 30 September of the year the fiscal year ends."""
    _check_fiscal_year(fiscal_year)
    ce_end = fiscal_year - BE_OFFSET
    return Period(dt.date(ce_end - 1, 10, 1), dt.date(ce_end, 9, 30), fiscal_year)


def fiscal_quarter_period(fiscal_year: int, quarter: int) -> Period:
    _check_fiscal_year(fiscal_year)
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"Quarter {quarter} does not exist: use 1 to 4.")
    ce_end = fiscal_year - BE_OFFSET
    start_month = (10, 1, 4, 7)[quarter - 1]
    start_year = ce_end - 1 if quarter == 1 else ce_end
    start = dt.date(start_year, start_month, 1)
    next_start = dt.date(start_year + (start_month + 3 > 12), (start_month + 2) % 12 + 1, 1)
    return Period(start, next_start - dt.timedelta(days=1), fiscal_year, quarter)


def fiscal_years_between(first: int, last: int) -> list[Period]:
    return [fiscal_year_period(year) for year in range(first, last + 1)]


def format_be_date(value: dt.date | dt.datetime, language: str = "th", *, long: bool = False) -> str:
    """A date for people: "26 พ.ย. 2569" in Thai (B.E.), "26 Nov 2026" in English (C.E.)."""
    day = bangkok_date(value)
    if language.startswith("th"):
        months = THAI_MONTHS if long else THAI_MONTHS_SHORT
        return f"{day.day} {months[day.month - 1]} {day.year + BE_OFFSET}"
    return f"{day.day} {ENGLISH_MONTHS_SHORT[day.month - 1]} {day.year}"


def format_be_datetime(value: dt.datetime, language: str = "th") -> str:
    """A moment for people, in Bangkok time: "26 พ.ย. 2569 14:05" in Thai, "26 Nov 2026 14:05" in English."""
    local = value.astimezone(BANGKOK) if value.tzinfo else value
    return f"{format_be_date(local, language)} {local:%H:%M}"


def format_fiscal_year(fiscal_year: int, language: str = "th") -> str:
    """ "ปีงบประมาณ พ.ศ. 2568" in Thai, "FY2568" in English (fiscal years keep their B.E. name)."""
    if language.startswith("th"):
        return f"ปีงบประมาณ พ.ศ. {fiscal_year}"
    return f"FY{fiscal_year}"

"""How one response to one question is scored. Pure functions: no database, no request.

Every question is worth one point; a response earns a fraction of it between 0 and 1.

- Single choice and true/false: the weight of the chosen option (100% for the right one).
- Multiple response (Moodle's rule, stated to the employee): the score is the sum of the
  weights of the options chosen, never below 0 and never above 1. Each correct option carries
  its share of 100%; wrong options carry a negative weight, so ticking everything does not pay.
- Numeric: the best weight among the accepted answers the number falls within (value ± tolerance).
  Thai digits are accepted.
- Short text: the best weight among the accepted answers that match after Unicode normalisation
  (NFKC, so Thai "ำ" and "ํา" compare equal and stacked marks are put in canonical order),
  case folding and collapsing of white space.
- Matching: the share of the left-hand items paired with their right-hand partner.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
NUMERIC = "numeric"
SHORT_TEXT = "short_text"
MATCHING = "matching"

ONE = Decimal(1)
ZERO = Decimal(0)
HUNDRED = Decimal(100)

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Option:
    """What scoring needs to know about one option (or accepted answer, or matching pair)."""

    id: int
    weight: Decimal = ZERO  # percent of the question's credit, -100 .. 100
    text: tuple[str, ...] = ()  # accepted texts (short answer): Thai and English
    number: Decimal | None = None
    tolerance: Decimal = ZERO


@dataclass(frozen=True)
class Item:
    kind: str
    options: tuple[Option, ...] = field(default_factory=tuple)


def normalise_text(value: str) -> str:
    """Case-, width- and white-space-insensitive form of a short answer."""
    value = unicodedata.normalize("NFKC", value or "")
    value = _SPACE.sub(" ", value).strip()
    return value.casefold()


def parse_number(value: str) -> Decimal | None:
    """A number typed by a person: Thai digits, spaces and thousands separators allowed."""
    if value is None:
        return None
    text = str(value).translate(THAI_DIGITS).strip().replace(" ", "").replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return number


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def score_response(item: Item, response: dict | None) -> Decimal:
    """The fraction of one point that ``response`` earns; an empty response earns nothing."""
    if not response:
        return ZERO
    kind = item.kind
    by_id = {option.id: option for option in item.options}
    if kind in (SINGLE, TRUE_FALSE):
        option = by_id.get(response.get("choice"))
        return _clamp(option.weight / HUNDRED) if option else ZERO
    if kind == MULTIPLE:
        chosen = {choice for choice in response.get("choices", []) if choice in by_id}
        return _clamp(sum((by_id[choice].weight for choice in chosen), ZERO) / HUNDRED)
    if kind == NUMERIC:
        number = parse_number(response.get("text", ""))
        if number is None:
            return ZERO
        best = ZERO
        for option in item.options:
            if option.number is not None and abs(number - option.number) <= option.tolerance:
                best = max(best, option.weight / HUNDRED)
        return _clamp(best)
    if kind == SHORT_TEXT:
        given = normalise_text(response.get("text", ""))
        if not given:
            return ZERO
        best = ZERO
        for option in item.options:
            if any(normalise_text(text) == given for text in option.text if text):
                best = max(best, option.weight / HUNDRED)
        return _clamp(best)
    if kind == MATCHING:
        lefts = [option for option in item.options if option.text and option.text[0]]
        if not lefts:
            return ZERO
        pairs = response.get("pairs", {})
        right = sum(1 for option in lefts if _as_int(pairs.get(str(option.id))) == option.id)
        return Decimal(right) / Decimal(len(lefts))
    raise ValueError(f"unknown question kind {kind!r}")


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

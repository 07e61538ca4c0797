r"""How one response to one question is scored. Pure functions: no database, no request.

Every question is worth one point; a response earns a fraction of it between 0 and 1.

- Single choice and true/false: the weight of the chosen option (100% for the right one).
- Multiple response (Moodle's rule, stated to the employee): the score is the sum of the
  weights of the options chosen, never below 0 and never above 1. Each correct option carries
  its share of 100%; wrong options carry a negative weight, so ticking everything does not pay.
- Numeric: the best weight among the accepted answers the number falls within (value ± tolerance).
  Thai digits are accepted. An answer ``*`` (Moodle's "any other answer", GIFT's ``~#feedback``)
  counts only when no other answer matched: its weight, usually 0, and its feedback.
- Short text: the best weight among the accepted answers that match after Unicode normalisation
  (NFKC, so Thai "ำ" and "ํา" compare equal and stacked marks are put in canonical order),
  case folding and collapsing of white space. As in Moodle, ``*`` in an accepted answer matches any
  characters (``\*`` is a literal asterisk), and an answer that is only ``*`` counts when nothing
  else matched.
- Matching: the share of the left-hand items paired with their right-hand partner.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

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


ANY = "*"


def is_any_answer(option: Option) -> bool:
    """Moodle's catch-all answer ``*``: a numeric answer without a number, or a short answer of only ``*``."""
    texts = [text.strip() for text in option.text if text and text.strip()]
    return texts == [ANY] and option.number is None


@lru_cache(maxsize=4096)
def _wildcard(pattern: str) -> re.Pattern:
    """Moodle's short-answer pattern: ``*`` matches any characters, ``\\*`` is an asterisk."""
    pieces = re.split(r"(\\\*|\*)", normalise_text(pattern))
    regex = "".join(".*" if piece == ANY else re.escape("*" if piece == "\\*" else piece) for piece in pieces)
    return re.compile(regex, re.S)


def _text_matches(accepted: str, given: str) -> bool:
    if ANY not in accepted:
        return normalise_text(accepted) == given
    return _wildcard(accepted).fullmatch(given) is not None


def typed_answer_option(item: Item, response: dict | None) -> Option | None:
    """For numeric and short-text questions, the accepted answer that decides the score (and whose
    feedback the review shows): the best-weighted match, the earliest among equals; the catch-all
    when nothing else matched; None when neither."""
    text = (response or {}).get("text", "")
    if item.kind == NUMERIC:
        number = parse_number(text)
        if number is None:
            return None

        def matches(option: Option) -> bool:
            return option.number is not None and abs(number - option.number) <= option.tolerance

    elif item.kind == SHORT_TEXT:
        given = normalise_text(text)
        if not given:
            return None

        def matches(option: Option) -> bool:
            return any(_text_matches(accepted, given) for accepted in option.text if accepted)

    else:
        return None
    best = None
    catch_all = None
    for option in item.options:
        if is_any_answer(option):
            catch_all = catch_all or option
        elif matches(option) and (best is None or option.weight > best.weight):
            best = option
    return best or catch_all


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
    if kind in (NUMERIC, SHORT_TEXT):
        option = typed_answer_option(item, response)
        return _clamp(option.weight / HUNDRED) if option else ZERO
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

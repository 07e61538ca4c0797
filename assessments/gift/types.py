"""The records a GIFT file is read into and written from, the format's constants, and its error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from skills_site.rich_text import TextFormat

ESCAPABLE = "~=#{}:\\"
FORMAT_NAMES = {f.value for f in TextFormat}
DEFAULT_FORMAT = TextFormat.MOODLE.value
MAX_PROBLEMS = 50
MAX_BYTES = 5 * 1024 * 1024  # about 18,000 questions as Moodle writes them; see assessments/README.md
ANY_ANSWER = "*"  # a numerical or short answer that matches every response (Moodle's wildcard)
TRUE_FALSE_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_MLANG = re.compile(r"\{mlang\s+([a-zA-Z_-]+)\}(.*?)\{mlang\}", re.S)
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")

SKIP_DESCRIPTION = "description"
SKIP_ESSAY = "essay"


class GiftError(ValueError):
    """A file that cannot be imported. ``problems`` lists ``(line, reason)``, first problem first."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {reason}" for line, reason in problems))


@dataclass
class GiftChoice:
    text_th: str = ""
    text_en: str = ""
    weight: Decimal = Decimal(0)
    feedback_th: str = ""
    feedback_en: str = ""
    match_th: str = ""
    match_en: str = ""
    number: Decimal | None = None  # numeric: None with text "*" is the catch-all
    tolerance: Decimal = Decimal(0)
    text_format: str = DEFAULT_FORMAT
    feedback_format: str = DEFAULT_FORMAT


@dataclass
class GiftQuestion:
    line: int
    kind: str
    text_th: str
    text_en: str = ""
    name: str = ""
    category: str = ""
    general_feedback_th: str = ""
    general_feedback_en: str = ""
    competency: str = ""  # "FRAMEWORK-CODE/COMPETENCY-CODE" from a [tag:competency=...] comment
    difficulty: int | None = None
    choices: list[GiftChoice] = field(default_factory=list)
    text_format: str = DEFAULT_FORMAT
    general_feedback_format: str = DEFAULT_FORMAT
    idnumber: str = ""  # Moodle's [id:...]
    tags: list[str] = field(default_factory=list)  # Moodle tags other than competency and difficulty


@dataclass
class GiftSkipped:
    """A valid question this site does not take: where it is, what it is and why it was left out."""

    line: int
    name: str
    kind: str  # SKIP_DESCRIPTION or SKIP_ESSAY
    reason: str


@dataclass
class GiftFile:
    questions: list[GiftQuestion]
    skipped: list[GiftSkipped] = field(default_factory=list)
    encoding: str = "UTF-8"

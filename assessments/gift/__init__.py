"""Moodle's GIFT question format: parse a file into plain question records, and write one back.

Pure functions, no database. Read as Moodle's own parser reads it (``question/format/gift/format.php``,
``qformat_gift::readquestion``) and its documentation (docs.moodle.org, "GIFT format"):

- Questions are separated by blank lines. A line starting with ``//`` is a comment; the comments of
  a question (above it or inside it, with no blank line between) may carry Moodle's ``[id:...]``
  and ``[tag:...]``. ``$CATEGORY: $course$/top/A/B`` switches the category of the questions after it.
- A question is ``::name::`` (optional), its text, and one answer block in braces; the text may
  continue after the block (a missing-word question: the block becomes ``_____``).
- Every text (question, answer, feedback, general feedback) may start with its format, ``[html]``,
  ``[markdown]``, ``[plain]`` or ``[moodle]`` (the default). Answers and feedback without one take the
  question text's format. Short-answer answers and the right-hand side of matching pairs are plain.
- The answer block decides the type, in Moodle's order: empty ``{}`` is an essay; ``{#...}`` numerical
  (``3.14:0.005``, ``1..5``, several ``=%50%2562:0#feedback``, ``~#feedback`` for every other answer);
  any ``~`` multiple choice (``=right ~wrong``; no ``=`` and ``~%50%`` weights: multiple response);
  ``=`` with ``->`` matching; ``T``/``TRUE``/``F``/``FALSE`` true/false with ``#wrong#right`` feedback;
  anything else short answer (``=a =%50%b =%0%*#anything else``, ``*`` a wildcard).
  ``####`` (the last one) starts the general feedback; ``#`` an answer's feedback.
- ``\\~ \\= \\# \\{ \\} \\: \\\\`` are literal characters and ``\\n`` a new line.

A question without an answer block (a description) and an essay are valid GIFT that this site does
not take (it marks every answer on the server, and has no essay marked by a person): they are
listed in ``GiftFile.skipped`` with their line and why; the other questions still import. Anything
malformed raises ``GiftError`` with the line of every problem, and nothing is imported.

Two conventions carry what GIFT has no field for, and survive a trip through Moodle:
Thai and English text are written as Moodle's multi-language content
(``{mlang th}ไทย{mlang}{mlang en}English{mlang}``, braces escaped), and the competency and
difficulty are Moodle question tags in the comment above the question:
``// [tag:competency=OCSC-2561/DLit] [tag:difficulty=2]``.
"""

from .reading import gift_decode, gift_parse, gift_read_upload, split_languages, unescape
from .rules import choice_problems, is_catch_all
from .types import (
    ANY_ANSWER,
    DEFAULT_FORMAT,
    MAX_BYTES,
    MAX_PROBLEMS,
    SKIP_DESCRIPTION,
    SKIP_ESSAY,
    GiftChoice,
    GiftError,
    GiftFile,
    GiftQuestion,
    GiftSkipped,
)
from .writing import escape, gift_export, join_languages

__all__ = [
    "ANY_ANSWER", "DEFAULT_FORMAT", "MAX_BYTES", "MAX_PROBLEMS", "SKIP_DESCRIPTION", "SKIP_ESSAY",
    "GiftChoice", "GiftError", "GiftFile", "GiftQuestion", "GiftSkipped", "choice_problems", "escape",
    "gift_decode", "gift_export", "gift_parse", "gift_read_upload", "is_catch_all", "join_languages",
    "split_languages", "unescape",
]  # fmt: skip

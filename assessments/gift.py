"""Moodle's GIFT question format: parse a file into plain question records, and write one back.

Pure functions, no database. The format as Moodle documents it (docs.moodle.org, "GIFT format"):
questions separated by blank lines, ``//`` comment lines, ``$CATEGORY:`` lines, an optional
``::title::``, an optional ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` format, the answer
block in braces and the escapes ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``. Supported questions:
multiple choice (``=right ~wrong``), multiple response (``~%50%a ~%-100%b``: no ``=``), true/false
(``{T}``, ``{FALSE#wrong feedback#right feedback}``), short answer (``{=a =b =%50%c}``), numeric
(``{#3.14:0.01}``, ``{#1..5}``, ``{#=3:0 =%50%3:1}``), matching (``{=a -> 1 =b -> 2}``), with
answer feedback (``#...``) and general feedback (``####...``). Essays and descriptions are refused.

Two conventions carry what GIFT has no field for, and survive a trip through Moodle:
Thai and English text are written as Moodle's multi-language content
(``{mlang th}ไทย{mlang}{mlang en}English{mlang}``, braces escaped), and the competency and
difficulty are Moodle question tags in the comment above the question:
``// [tag:competency=OCSC-2561/DLit] [tag:difficulty=2]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import scoring

ESCAPABLE = "~=#{}:\\"
FORMATS = ("[html]", "[moodle]", "[plain]", "[markdown]")
MAX_PROBLEMS = 20
_MLANG = re.compile(r"\{mlang\s+([a-zA-Z_-]+)\}(.*?)\{mlang\}", re.S)
_TAG = re.compile(r"\[tag:([^\]]*)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


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
    number: Decimal | None = None
    tolerance: Decimal = Decimal(0)


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


# --- Reading -------------------------------------------------------------------------------


def gift_decode(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 only (with or without BOM); anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GiftError([(1, _("the file is UTF-16; save it as UTF-8 and upload it again"))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GiftError(
            [(line, _("the file is not UTF-8 text (perhaps TIS-620 or Windows-874); save it as UTF-8"))]
        ) from None


def _find_unescaped(text: str, targets: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char in targets:
            return i
        i += 1
    return -1


def _split_unescaped(text: str, markers: str) -> list[tuple[int, str, str]]:
    """Split at each unescaped marker: ``[(offset, marker, body)]``; text before the first is dropped."""
    parts: list[tuple[int, str, str]] = []
    i, current_start, current_marker = 0, -1, ""
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char in markers:
            # "->" in matching is not a marker, nor is "=" inside a "%..%" weight.
            if current_start >= 0:
                parts.append((current_start, current_marker, text[current_start + 1 : i]))
            current_start, current_marker = i, char
        i += 1
    if current_start >= 0:
        parts.append((current_start, current_marker, text[current_start + 1 :]))
    return parts


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "n":
                out.append("\n")
            elif nxt in ESCAPABLE:
                out.append(nxt)
            else:
                out.append("\\" + nxt)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def split_languages(text: str) -> tuple[str, str]:
    """``(thai, english)`` from Moodle multi-language text; plain text is Thai (the default)."""
    text = text.strip()
    found = {lang.lower()[:2]: body.strip() for lang, body in _MLANG.findall(text)}
    if not found:
        return text, ""
    return found.get("th", ""), found.get("en", "")


def _clean(text: str) -> tuple[str, str]:
    return split_languages(unescape(text.strip()))


def _strip_format(text: str) -> str:
    stripped = text.lstrip()
    for fmt in FORMATS:
        if stripped.lower().startswith(fmt):
            return stripped[len(fmt) :]
    return text


def gift_parse(text: str) -> list[GiftQuestion]:
    """Every question in a GIFT file, or ``GiftError`` naming each bad line. Nothing half-read."""
    problems: list[tuple[int, str]] = []
    questions: list[GiftQuestion] = []
    category = ""
    block: list[tuple[int, str]] = []
    tags: list[str] = []

    def flush() -> None:
        nonlocal block, tags
        if block:
            try:
                question = _parse_question(block, tags)
            except GiftError as error:
                problems.extend(error.problems)
            else:
                question.category = category
                questions.append(question)
        block, tags = [], []

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("//"):
            if not block:
                tags.extend(_TAG.findall(stripped))
            continue
        if not block and stripped.startswith("$CATEGORY:"):
            flush()
            category = _category_name(stripped[len("$CATEGORY:") :])
            if not category:
                problems.append((number, _("the category line names no category")))
            continue
        block.append((number, line))
    flush()
    if problems:
        raise GiftError(problems[:MAX_PROBLEMS])
    if not questions:
        raise GiftError([(1, _("the file contains no questions"))])
    return questions


def _category_name(value: str) -> str:
    parts = [part.strip() for part in value.strip().split("/") if part.strip()]
    if parts and parts[0] == "$course$":
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def _parse_question(block: list[tuple[int, str]], tags: list[str]) -> GiftQuestion:
    first_line = block[0][0]
    text = "\n".join(line for _number, line in block)

    def line_at(offset: int) -> int:
        # Comment lines inside a block are left out of the text, so map back through the block.
        return block[min(text.count("\n", 0, offset), len(block) - 1)][0]

    def fail(offset: int, reason: str):
        raise GiftError([(line_at(offset), reason)])

    open_at = _find_unescaped(text, "{")
    if open_at < 0:
        fail(0, _("no answer block in braces { }: descriptions are not supported"))
    close_at = _find_unescaped(text, "}", open_at + 1)
    if close_at < 0:
        fail(open_at, _("the answer block opened here is never closed with }"))
    nested = _find_unescaped(text, "{", open_at + 1)
    if 0 <= nested < close_at:
        fail(nested, _("a second { inside the answer block; write \\{ for a literal brace"))
    if _find_unescaped(text, "{", close_at + 1) >= 0:
        fail(_find_unescaped(text, "{", close_at + 1), "a question may have only one answer block")

    head, answer, tail = text[:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    name = ""
    stripped_head = head.lstrip()
    if stripped_head.startswith("::"):
        end = stripped_head.find("::", 2)
        while end >= 0 and stripped_head[end - 1] == "\\":
            end = stripped_head.find("::", end + 1)
        if end < 0:
            fail(0, _("the question title opened with :: is never closed"))
        name = unescape(stripped_head[2:end]).strip()
        stripped_head = stripped_head[end + 2 :]
    stripped_head = _strip_format(stripped_head)
    if tail.strip():
        body = stripped_head.rstrip() + " _____ " + tail.strip()
    else:
        body = stripped_head
    text_th, text_en = _clean(body)
    if not (text_th or text_en):
        fail(0, _("the question has no text"))

    question = GiftQuestion(line=first_line, kind="", text_th=text_th, text_en=text_en, name=name)
    for tag in tags:
        key, _sep, value = tag.partition("=")
        if key.strip() == "competency":
            question.competency = value.strip()
        elif key.strip() == "difficulty":
            try:
                question.difficulty = int(value)
            except ValueError:
                fail(0, _("difficulty tag %(value)r is not a whole number") % {"value": value})
            if not 1 <= question.difficulty <= 5:
                fail(0, _("difficulty must be between 1 and 5"))

    general_at = answer.find("####")
    while general_at > 0 and answer[general_at - 1] == "\\":
        general_at = answer.find("####", general_at + 1)
    if general_at >= 0:
        question.general_feedback_th, question.general_feedback_en = _clean(answer[general_at + 4 :])
        answer = answer[:general_at]
    answer_offset = open_at + 1
    body_answer = answer.strip()
    lead = answer_offset + (len(answer) - len(answer.lstrip()))

    if not body_answer:
        fail(open_at, _("essay questions ({}) are not supported"))
    if body_answer.startswith("#"):
        question.kind = scoring.NUMERIC
        question.choices = _numeric_answers(body_answer[1:], lead + 1, fail)
    elif re.fullmatch(r"(?i)(t|true|f|false)(#.*)?", body_answer, re.S):
        question.kind = scoring.TRUE_FALSE
        question.choices = _true_false(body_answer)
    elif _contains_arrow(body_answer):
        question.kind = scoring.MATCHING
        question.choices = _matching(body_answer, lead, fail)
    elif _find_unescaped(body_answer, "~") >= 0:
        has_right = _find_unescaped(body_answer, "=") >= 0
        question.kind = scoring.SINGLE if has_right else scoring.MULTIPLE
        question.choices = _choices(body_answer, lead, fail)
    elif body_answer.startswith("="):
        question.kind = scoring.SHORT_TEXT
        question.choices = _choices(body_answer, lead, fail)
    else:
        fail(lead, _("the answers must start with =, ~ or # (or be T/F)"))

    problems = choice_problems(question.kind, question.choices)
    if problems:
        fail(open_at, problems[0])
    return question


def _contains_arrow(text: str) -> bool:
    i = _find_unescaped(text, "-")
    while i >= 0:
        if text[i : i + 2] == "->":
            return True
        i = _find_unescaped(text, "-", i + 1)
    return False


def _weight_and_rest(body: str, offset: int, fail, default: Decimal) -> tuple[Decimal, str]:
    stripped = body.lstrip()
    match = _WEIGHT.match(stripped)
    if not match:
        if stripped.startswith("%"):
            fail(offset, _("a weight must look like %50% or %-100%"))
        return default, body
    weight = Decimal(match.group(1))
    if not -100 <= weight <= 100:
        fail(offset, _("the weight %(weight)s%% is outside -100%% .. 100%%") % {"weight": weight})
    return weight, stripped[match.end() :]


def _split_feedback(body: str) -> tuple[str, str]:
    at = _find_unescaped(body, "#")
    if at < 0:
        return body, ""
    return body[:at], body[at + 1 :]


def _choices(answer: str, offset: int, fail) -> list[GiftChoice]:
    choices = []
    for part_offset, marker, body in _split_unescaped(answer, "=~"):
        default = Decimal(100) if marker == "=" else Decimal(0)
        weight, rest = _weight_and_rest(body, offset + part_offset, fail, default)
        if marker == "=" and weight <= 0:
            fail(offset + part_offset, _("an answer marked = must carry a positive weight"))
        text, feedback = _split_feedback(rest)
        text_th, text_en = _clean(text)
        if not (text_th or text_en):
            fail(offset + part_offset, _("an answer has no text"))
        feedback_th, feedback_en = _clean(feedback)
        choices.append(
            GiftChoice(
                text_th=text_th,
                text_en=text_en,
                weight=weight,
                feedback_th=feedback_th,
                feedback_en=feedback_en,
            )
        )
    return choices


def _true_false(answer: str) -> list[GiftChoice]:
    value, _sep, feedback = answer.partition("#")
    is_true = value.strip().lower() in ("t", "true")
    wrong, _sep2, right = feedback.partition("#") if feedback else ("", "", "")
    wrong_th, wrong_en = _clean(wrong)
    right_th, right_en = _clean(right)
    true_choice = GiftChoice(text_th="จริง", text_en="True", weight=Decimal(100 if is_true else 0))
    false_choice = GiftChoice(text_th="เท็จ", text_en="False", weight=Decimal(0 if is_true else 100))
    correct, other = (true_choice, false_choice) if is_true else (false_choice, true_choice)
    correct.feedback_th, correct.feedback_en = right_th, right_en
    other.feedback_th, other.feedback_en = wrong_th, wrong_en
    return [true_choice, false_choice]


def _matching(answer: str, offset: int, fail) -> list[GiftChoice]:
    choices = []
    for part_offset, marker, body in _split_unescaped(answer, "=~"):
        if marker != "=":
            fail(offset + part_offset, _("matching pairs start with ="))
        arrow = body.find("->")
        while arrow > 0 and body[arrow - 1] == "\\":
            arrow = body.find("->", arrow + 1)
        if arrow < 0:
            fail(offset + part_offset, _("a matching pair needs 'left -> right'"))
        left_th, left_en = _clean(body[:arrow])
        right_th, right_en = _clean(body[arrow + 2 :])
        if not (right_th or right_en):
            fail(offset + part_offset, _("a matching pair has nothing on the right of ->"))
        choices.append(
            GiftChoice(
                text_th=left_th, text_en=left_en, match_th=right_th, match_en=right_en, weight=Decimal(100)
            )
        )
    return choices


def _number(text: str, offset: int, fail) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        fail(offset, _("%(text)r is not a number") % {"text": text.strip()})
    if not value.is_finite():
        fail(offset, _("%(text)r is not a number") % {"text": text.strip()})
    return value


def _numeric_answers(answer: str, offset: int, fail) -> list[GiftChoice]:
    stripped = answer.strip()
    if stripped.startswith("=") or _find_unescaped(stripped, "=") == 0:
        parts = _split_unescaped(stripped, "=")
    else:
        parts = [(-1, "=", stripped)]
    choices = []
    for part_offset, _marker, body in parts:
        where = offset + max(part_offset, 0)
        weight, rest = _weight_and_rest(body, where, fail, Decimal(100))
        value_text, feedback = _split_feedback(rest)
        value_text = unescape(value_text).strip()
        if ".." in value_text:
            low_text, _sep, high_text = value_text.partition("..")
            low, high = _number(low_text, where, fail), _number(high_text, where, fail)
            if low > high:
                fail(where, _("the range %(range)s runs backwards") % {"range": value_text})
            number, tolerance = (low + high) / 2, (high - low) / 2
        else:
            value_part, _sep, tolerance_part = value_text.partition(":")
            number = _number(value_part, where, fail)
            tolerance = _number(tolerance_part, where, fail) if tolerance_part.strip() else Decimal(0)
            if tolerance < 0:
                fail(where, _("a tolerance cannot be negative"))
        feedback_th, feedback_en = _clean(feedback)
        choices.append(
            GiftChoice(
                weight=weight,
                number=number,
                tolerance=tolerance,
                feedback_th=feedback_th,
                feedback_en=feedback_en,
            )
        )
    return choices


# --- Rules every question obeys (GIFT import and the admin form) ----------------------------


def choice_problems(kind: str, choices: list) -> list[str]:
    """What is wrong with a question's options, as sentences for the author; empty when fine.

    ``choices`` are objects with the attributes of ``GiftChoice`` (the admin passes its forms' data).
    """
    problems = []
    weights = [Decimal(getattr(c, "weight", 0) or 0) for c in choices]
    texts = [bool((c.text_th or "").strip() or (c.text_en or "").strip()) for c in choices]
    if any(not -100 <= w <= 100 for w in weights):
        problems.append(_("Weights must lie between -100% and 100%."))
    if kind == scoring.SINGLE:
        if len(choices) < 2:
            problems.append(_("A single-choice question needs at least two options."))
        elif not any(w == 100 for w in weights):
            problems.append(_("A single-choice question needs one option worth 100%."))
    elif kind == scoring.MULTIPLE:
        positive = sum((w for w in weights if w > 0), Decimal(0))
        if len(choices) < 2:
            problems.append(_("A multiple-response question needs at least two options."))
        elif abs(positive - 100) > Decimal("0.1"):
            problems.append(
                _("The weights of the correct options of a multiple-response question must add up to 100%.")
            )
    elif kind == scoring.TRUE_FALSE:
        labels = sorted((c.text_en or "").strip().lower() for c in choices)
        if labels != ["false", "true"] or sorted(weights) != [0, 100]:
            problems.append(_("A true/false question has the options True and False, one worth 100%."))
    elif kind == scoring.NUMERIC:
        if not choices or any(getattr(c, "number", None) is None for c in choices):
            problems.append(_("Each accepted answer of a numeric question needs a number."))
        elif max(weights) != 100:
            problems.append(_("A numeric question needs one accepted answer worth 100%."))
    elif kind == scoring.SHORT_TEXT:
        if not choices or not all(texts):
            problems.append(_("A short-text question needs accepted answers with text."))
        elif max(weights) != 100:
            problems.append(_("A short-text question needs one accepted answer worth 100%."))
    elif kind == scoring.MATCHING:
        pairs = [c for c, has_text in zip(choices, texts, strict=True) if has_text]
        if len(pairs) < 2:
            problems.append(_("A matching question needs at least two pairs."))
        if any(not ((c.match_th or "").strip() or (c.match_en or "").strip()) for c in choices):
            problems.append(_("Every matching pair needs a right-hand side."))
    else:
        problems.append(_("Unknown question type."))
    return problems


# --- Writing ---------------------------------------------------------------------------------


def escape(text: str) -> str:
    out = []
    for char in text:
        if char in ESCAPABLE:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def join_languages(th: str, en: str) -> str:
    if en and th:
        return escape("{mlang th}" + th + "{mlang}{mlang en}" + en + "{mlang}")
    if en:
        return escape("{mlang en}" + en + "{mlang}")
    return escape(th)


def _weight(weight: Decimal) -> str:
    return f"%{weight.normalize():f}%"


def _feedback(th: str, en: str) -> str:
    return "#" + join_languages(th, en) if (th or en) else ""


def _format_number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def gift_export(questions: list[GiftQuestion]) -> str:
    """A GIFT file that ``gift_parse`` (and Moodle) reads back as the same questions."""
    lines: list[str] = []
    category = None
    for question in questions:
        if question.category != category:
            category = question.category
            lines += [f"$CATEGORY: $course$/top/{category}", ""]
        tags = []
        if question.competency:
            tags.append(f"[tag:competency={question.competency}]")
        if question.difficulty:
            tags.append(f"[tag:difficulty={question.difficulty}]")
        if tags:
            lines.append("// " + " ".join(tags))
        title = f"::{escape(question.name)}::" if question.name else ""
        lines.append(f"{title}{join_languages(question.text_th, question.text_en)} {{")
        lines += _export_answers(question)
        if question.general_feedback_th or question.general_feedback_en:
            lines.append(
                "\t####" + join_languages(question.general_feedback_th, question.general_feedback_en)
            )
        lines += ["}", ""]
    return "\n".join(lines)


def _export_answers(question: GiftQuestion) -> list[str]:
    kind = question.kind
    choices = question.choices
    if kind == scoring.TRUE_FALSE:
        correct = next(c for c in choices if c.weight == 100)
        other = next(c for c in choices if c is not correct)
        value = "TRUE" if correct.text_en.strip().lower() == "true" else "FALSE"
        feedback = ""
        if correct.feedback_th or correct.feedback_en or other.feedback_th or other.feedback_en:
            feedback = "#" + join_languages(other.feedback_th, other.feedback_en)
            feedback += "#" + join_languages(correct.feedback_th, correct.feedback_en)
        return [f"\t{value}{feedback}"]
    if kind == scoring.MATCHING:
        return [
            f"\t={join_languages(c.text_th, c.text_en)} -> {join_languages(c.match_th, c.match_en)}"
            for c in choices
        ]
    if kind == scoring.NUMERIC:
        out = ["\t#"]
        for c in choices:
            weight = "" if c.weight == 100 else _weight(c.weight)
            value = f"{_format_number(c.number)}:{_format_number(c.tolerance)}"
            out.append(f"\t={weight}{value}{_feedback(c.feedback_th, c.feedback_en)}")
        return out
    out = []
    for c in choices:
        text = join_languages(c.text_th, c.text_en)
        feedback = _feedback(c.feedback_th, c.feedback_en)
        if kind == scoring.SINGLE and c.weight == 100:
            out.append(f"\t={text}{feedback}")
        elif kind == scoring.SHORT_TEXT:
            weight = "" if c.weight == 100 else _weight(c.weight)
            out.append(f"\t={weight}{text}{feedback}")
        else:
            weight = "" if c.weight == 0 else _weight(c.weight)
            out.append(f"\t~{weight}{text}{feedback}")
    return out

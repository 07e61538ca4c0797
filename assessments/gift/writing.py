"""Writing questions as GIFT, as Moodle's ``qformat_gift::writequestion`` does (formats where they differ
from the default, catch-alls last), so that ``gift_parse`` and Moodle read back the same questions."""

from __future__ import annotations

from decimal import Decimal

from .. import scoring
from .types import DEFAULT_FORMAT, ESCAPABLE, GiftQuestion


def escape(text: str) -> str:
    out = []
    for char in text:
        if char in ESCAPABLE:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char != "\r":
            out.append(char)
    return "".join(out)


def join_languages(th: str, en: str) -> str:
    if en and th:
        return escape("{mlang th}" + th + "{mlang}{mlang en}" + en + "{mlang}")
    if en:
        return escape("{mlang en}" + en + "{mlang}")
    return escape(th)


def _text(th: str, en: str, text_format: str, default: str) -> str:
    """A text with its format marker where it differs from the default (Moodle's ``write_questiontext``),
    and where the text itself starts with ``[``, so that it cannot be read as a marker."""
    written = join_languages(th, en)
    if written and (text_format != default or written.startswith("[")):
        return f"[{text_format}]{written}"
    return written


def _weight(weight: Decimal) -> str:
    return f"%{weight.normalize():f}%"


def _feedback(th: str, en: str, text_format: str, default: str) -> str:
    return "#" + _text(th, en, text_format, default) if (th or en) else ""


def _format_number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _escape_tag(value: str) -> str:
    return value.replace("]", "\\]")


def gift_export(questions: list[GiftQuestion]) -> str:
    """A GIFT file that ``gift_parse`` (and Moodle) reads back as the same questions."""
    lines: list[str] = []
    category = None
    for question in questions:
        if question.category != category:
            category = question.category
            if category:
                lines += [f"$CATEGORY: $course$/top/{category}", ""]
        tags = []
        if question.idnumber:
            tags.append(f"[id:{_escape_tag(question.idnumber)}]")
        if question.competency:
            tags.append(f"[tag:competency={_escape_tag(question.competency)}]")
        if question.difficulty:
            tags.append(f"[tag:difficulty={question.difficulty}]")
        tags += [f"[tag:{_escape_tag(tag)}]" for tag in question.tags]
        if tags:
            lines.append("// " + " ".join(tags))
        title = f"::{escape(question.name)}::" if question.name else ""
        text = _text(question.text_th, question.text_en, question.text_format, DEFAULT_FORMAT)
        lines.append(f"{title}{text} {{")
        lines += _export_answers(question)
        if question.general_feedback_th or question.general_feedback_en:
            general = _text(
                question.general_feedback_th, question.general_feedback_en,
                question.general_feedback_format, question.text_format,
            )  # fmt: skip
            lines.append("\t####" + general)
        lines += ["}", ""]
    return "\n".join(lines)


def _export_answers(question: GiftQuestion) -> list[str]:
    kind, fmt = question.kind, question.text_format
    choices = question.choices
    if kind == scoring.TRUE_FALSE:
        correct = next(c for c in choices if c.weight == 100)
        other = next(c for c in choices if c is not correct)
        value = "TRUE" if correct.text_en.strip().lower() == "true" else "FALSE"
        feedback = ""
        if correct.feedback_th or correct.feedback_en or other.feedback_th or other.feedback_en:
            feedback = "#" + _text(other.feedback_th, other.feedback_en, other.feedback_format, fmt)
            feedback += "#" + _text(correct.feedback_th, correct.feedback_en, correct.feedback_format, fmt)
        return [f"\t{value}{feedback}"]
    if kind == scoring.MATCHING:
        pairs = [(_text(c.text_th, c.text_en, c.text_format, fmt), join_languages(c.match_th, c.match_en))
                 for c in choices]  # fmt: skip
        return [f"\t={left} -> {right}" for left, right in pairs]
    if kind == scoring.NUMERIC:
        out = ["\t#"]
        # Everything after a "~" is the catch-all's feedback, so catch-alls come last.
        for c in sorted(choices, key=lambda c: c.number is None and c.weight == 0):
            feedback = _feedback(c.feedback_th, c.feedback_en, c.feedback_format, fmt)
            if c.number is None:  # the catch-all: Moodle writes it as "~#feedback" (worth nothing)
                out.append(f"\t~#{feedback[1:]}" if c.weight == 0 else f"\t={_weight(c.weight)}*{feedback}")
                continue
            weight = "" if c.weight == 100 else _weight(c.weight)
            value = f"{_format_number(c.number)}:{_format_number(c.tolerance)}"
            out.append(f"\t={weight}{value}{feedback}")
        return out
    out = []
    for c in choices:
        feedback = _feedback(c.feedback_th, c.feedback_en, c.feedback_format, fmt)
        if kind == scoring.SHORT_TEXT:
            weight = "" if c.weight == 100 else _weight(c.weight)
            out.append(f"\t={weight}{join_languages(c.text_th, c.text_en)}{feedback}")
            continue
        text = _text(c.text_th, c.text_en, c.text_format, fmt)
        if kind == scoring.SINGLE and c.weight == 100:
            out.append(f"\t={text}{feedback}")
        else:
            weight = "" if c.weight == 0 else _weight(c.weight)
            out.append(f"\t~{weight}{text}{feedback}")
    return out

"""Reading a GIFT file as Moodle's ``qformat_gift::readquestion`` reads it (see the package's docstring)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from skills_site.text_files import TextFileError, read_text_upload

from .. import scoring
from .rules import choice_problems
from .types import (
    _ID,
    _MLANG,
    _TAG,
    _WEIGHT,
    ANY_ANSWER,
    DEFAULT_FORMAT,
    ESCAPABLE,
    FORMAT_NAMES,
    MAX_BYTES,
    MAX_PROBLEMS,
    SKIP_DESCRIPTION,
    SKIP_ESSAY,
    TRUE_FALSE_WORDS,
    GiftChoice,
    GiftError,
    GiftFile,
    GiftQuestion,
    GiftSkipped,
)


def gift_decode(data: bytes) -> str:
    """The text of an uploaded file (UTF-8, UTF-16 or Thai Windows-874), or ``GiftError`` saying why not."""
    return gift_read_upload(data)[0]


def gift_read_upload(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of an uploaded GIFT file; ``GiftError`` for an empty, binary, cut-off or
    over-large file."""
    try:
        upload = read_text_upload(data, max_bytes=MAX_BYTES)
    except TextFileError as error:
        raise GiftError([(error.line, str(error))]) from None
    return upload.text, upload.encoding


def _unescaped_positions(text: str, targets: str) -> list[int]:
    positions, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char in targets:
            positions.append(i)
        i += 1
    return positions


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


def _split_unescaped(text: str, marker: str) -> list[tuple[int, str]]:
    """Split at each unescaped ``marker`` (one character): ``[(offset of the piece, piece)]``."""
    pieces, start = [], 0
    for position in _unescaped_positions(text, marker):
        pieces.append((start, text[start:position]))
        start = position + 1
    pieces.append((start, text[start:]))
    return pieces


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


def _format_of(raw: str, default: str) -> tuple[str, str]:
    """``(format, rest)``: Moodle's ``parse_text_with_format`` (an unknown ``[word]`` is text)."""
    raw = raw.strip()
    if raw.startswith("["):
        end = raw.find("]")
        name = raw[1:end] if end > 0 else ""
        if name in FORMAT_NAMES:
            return name, raw[end + 1 :]
    return default, raw


def _formatted(raw: str, default: str) -> tuple[str, str, str]:
    """``(thai, english, format)`` of one GIFT text."""
    text_format, rest = _format_of(raw, default)
    text_th, text_en = split_languages(unescape(rest))
    return text_th, text_en, text_format


def _plain(raw: str) -> tuple[str, str]:
    """A text Moodle keeps without a format (short answers, matching right-hand sides)."""
    return split_languages(unescape(_format_of(raw, DEFAULT_FORMAT)[1]))


def gift_parse(text: str) -> GiftFile:
    """Every question of a GIFT file and the ones skipped, or ``GiftError`` naming each bad line.

    Nothing is half-read: one malformed question makes the whole file an error.
    """
    problems: list[tuple[int, str]] = []
    questions: list[GiftQuestion] = []
    skipped: list[GiftSkipped] = []
    category = ""
    block: list[tuple[int, str]] = []
    comments: list[str] = []

    def flush() -> None:
        nonlocal block, comments
        if block:
            try:
                result = _parse_question(block, comments)
            except GiftError as error:
                problems.extend(error.problems)
            else:
                if isinstance(result, GiftSkipped):
                    skipped.append(result)
                else:
                    result.category = category
                    questions.append(result)
        block, comments = [], []

    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("//"):
            comments.append(stripped)
            continue
        if not block and stripped.startswith("$CATEGORY:"):
            flush()
            category = _category_name(stripped[len("$CATEGORY:") :])
            if not category:
                problems.append((number, _("the category line names no category")))
            continue
        block.append((number, stripped))
    flush()
    if problems:
        problems.sort()
        raise GiftError(problems[:MAX_PROBLEMS])
    if not questions and not skipped:
        raise GiftError([(1, _("the file contains no questions"))])
    return GiftFile(questions=questions, skipped=skipped)


def _category_name(value: str) -> str:
    """``$course$/top/A/B`` as ``A/B`` (Moodle writes a slash inside a name as ``//``: kept as it is)."""
    parts = [part.strip() for part in re.split(r"(?<!/)/(?!/)", value.strip()) if part.strip()]
    if parts and re.fullmatch(r"\$\w+\$", parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def _tags(comments: list[str]) -> tuple[str, list[str]]:
    """Moodle's ``extract_idnumber_and_tags_from_comment``: the first ``[id:...]`` and every ``[tag:...]``."""
    joined = "\n".join(comments)
    found = _ID.search(joined)
    idnumber = found.group(1).replace("\\]", "]").strip() if found else ""
    tags = [tag.replace("\\]", "]").strip() for tag in _TAG.findall(joined)]
    return idnumber, [tag for tag in tags if tag]


def _last_general_feedback(answer: str) -> int:
    """Where the last unescaped ``####`` starts in the answer block (Moodle's ``strrpos``), or -1."""
    hashes = set(_unescaped_positions(answer, "#"))
    for start in sorted(hashes, reverse=True):
        if {start, start + 1, start + 2, start + 3} <= hashes:
            return start
    return -1


def _parse_question(block: list[tuple[int, str]], comments: list[str]) -> GiftQuestion | GiftSkipped:
    first_line = block[0][0]
    text = "\n".join(line for _number, line in block)

    def line_at(offset: int) -> int:
        # Comment lines inside a block are left out of the text, so map back through the block.
        return block[min(text.count("\n", 0, max(offset, 0)), len(block) - 1)][0]

    def fail(offset: int, reason: str):
        raise GiftError([(line_at(offset), reason)])

    name, head_start = "", 0
    if text.startswith("::"):
        end = _find_name_end(text)
        if end < 0:
            fail(0, _("the question title opened with :: is never closed"))
        name = unescape(text[2:end]).strip()
        head_start = end + 2

    open_at = _find_unescaped(text, "{", head_start)
    close_at = _find_unescaped(text, "}", head_start)
    if open_at < 0 and close_at < 0:
        text_th, text_en, _format = _formatted(text[head_start:], DEFAULT_FORMAT)
        return GiftSkipped(
            line=first_line,
            name=name or _short(text_th or text_en),
            kind=SKIP_DESCRIPTION,
            reason=_("a description (text without an answer block) is not a question this site can mark"),
        )
    if open_at < 0 or 0 <= close_at < open_at:
        fail(close_at, _("a } with no { before it; write \\} for a literal brace"))
    close_at = _find_unescaped(text, "}", open_at + 1)
    if close_at < 0:
        fail(open_at, _("the answer block opened here is never closed with }"))
    nested = _find_unescaped(text, "{", open_at + 1)
    if 0 <= nested < close_at:
        fail(nested, _("a second { inside the answer block; write \\{ for a literal brace"))
    later = _find_unescaped(text, "{}", close_at + 1)
    if later >= 0:
        fail(later, _("a question may have only one answer block"))

    head, answer, tail = text[head_start:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    body = head.rstrip() + " _____ " + tail.strip() if tail.strip() else head
    text_th, text_en, text_format = _formatted(body, DEFAULT_FORMAT)
    if not (text_th or text_en):
        fail(0, _("the question has no text"))
    idnumber, tags = _tags(comments)
    question = GiftQuestion(
        line=first_line, kind="", text_th=text_th, text_en=text_en, name=name, text_format=text_format,
        general_feedback_format=text_format, idnumber=idnumber,
    )  # fmt: skip
    for tag in tags:
        key, sep, value = tag.partition("=")
        if sep and key.strip() == "competency":
            question.competency = value.strip()
        elif sep and key.strip() == "difficulty":
            try:
                question.difficulty = int(value)
            except ValueError:
                fail(0, _("difficulty tag %(value)r is not a whole number") % {"value": value})
            if not 1 <= question.difficulty <= 5:
                fail(0, _("difficulty must be between 1 and 5"))
        else:
            question.tags.append(tag)

    general_at = _last_general_feedback(answer)
    if general_at >= 0:
        (
            question.general_feedback_th, question.general_feedback_en, question.general_feedback_format,
        ) = _formatted(answer[general_at + 4 :], text_format)  # fmt: skip
        answer = answer[:general_at]
    lead = open_at + 1 + (len(answer) - len(answer.lstrip()))
    body_answer = answer.strip()

    if not body_answer:
        return GiftSkipped(
            line=first_line,
            name=name or _short(text_th or text_en),
            kind=SKIP_ESSAY,
            reason=_("an essay ({}) needs marking by a person, and this site marks every answer itself"),
        )
    if body_answer.startswith("#"):
        question.kind = scoring.NUMERIC
        question.choices = _numeric_answers(body_answer[1:], lead + 1, fail, text_format)
    elif _find_unescaped(body_answer, "~") >= 0:
        has_right = _find_unescaped(body_answer, "=") >= 0
        question.kind = scoring.SINGLE if has_right else scoring.MULTIPLE
        question.choices = _multiple_choice(body_answer, lead, fail, text_format)
    elif _find_unescaped(body_answer, "=") >= 0 and _contains_arrow(body_answer):
        question.kind = scoring.MATCHING
        question.choices = _matching(body_answer, lead, fail, text_format)
    elif _true_false_word(body_answer) is not None:
        question.kind = scoring.TRUE_FALSE
        question.choices = _true_false(body_answer, text_format)
    else:
        question.kind = scoring.SHORT_TEXT
        question.choices = _short_answers(body_answer, lead, fail, text_format)

    problems = choice_problems(question.kind, question.choices)
    if problems:
        fail(open_at, problems[0])
    return question


def _short(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= 60 else words[:59] + "…"


def _find_name_end(text: str) -> int:
    """The closing ``::`` of a question title, escaped colons (``\\:``) skipped."""
    colons = _unescaped_positions(text, ":")
    for first, second in zip(colons, colons[1:], strict=False):
        if first >= 2 and second == first + 1:
            return first
    return -1


def _contains_arrow(text: str) -> bool:
    return any(text[i : i + 2] == "->" for i in _unescaped_positions(text, "-"))


def _true_false_word(answer: str) -> bool | None:
    """True/False when the answer (before any ``#``) is exactly T, TRUE, F or FALSE, as Moodle checks."""
    at = _find_unescaped(answer, "#")
    word = (answer[:at] if at > 0 else answer).strip()
    return TRUE_FALSE_WORDS.get(word)


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


def _pieces(answer: str, markers: str) -> list[tuple[int, str, str]]:
    """``[(offset, marker, body)]`` at each unescaped marker; text before the first one (if any) is an
    answer without a marker, as Moodle reads it."""
    positions = _unescaped_positions(answer, markers)
    out = []
    if not positions or answer[: positions[0]].strip():
        out.append((0, "", answer[: positions[0]] if positions else answer))
    for index, position in enumerate(positions):
        end = positions[index + 1] if index + 1 < len(positions) else len(answer)
        out.append((position, answer[position], answer[position + 1 : end]))
    return out


def _multiple_choice(answer: str, offset: int, fail, text_format: str) -> list[GiftChoice]:
    choices = []
    for part_offset, marker, body in _pieces(answer, "=~"):
        where = offset + part_offset
        default = Decimal(100) if marker == "=" else Decimal(0)
        weight, rest = _weight_and_rest(body, where, fail, default)
        if marker == "=" and weight <= 0:
            fail(where, _("an answer marked = must carry a positive weight"))
        text, feedback = _split_feedback(rest)
        text_th, text_en, answer_format = _formatted(text, text_format)
        if not (text_th or text_en):
            fail(where, _("an answer has no text"))
        feedback_th, feedback_en, feedback_format = _formatted(feedback, text_format)
        choices.append(
            GiftChoice(
                text_th=text_th, text_en=text_en, weight=weight, feedback_th=feedback_th,
                feedback_en=feedback_en, text_format=answer_format, feedback_format=feedback_format,
            )  # fmt: skip
        )
    return choices


def _short_answers(answer: str, offset: int, fail, text_format: str) -> list[GiftChoice]:
    choices = []
    for part_offset, _marker, body in _pieces(answer, "="):
        where = offset + part_offset
        weight, rest = _weight_and_rest(body, where, fail, Decimal(100))
        text, feedback = _split_feedback(rest)
        text_th, text_en = _plain(text)
        if not (text_th or text_en):
            fail(where, _("an answer has no text"))
        feedback_th, feedback_en, feedback_format = _formatted(feedback, text_format)
        choices.append(
            GiftChoice(
                text_th=text_th, text_en=text_en, weight=weight, feedback_th=feedback_th,
                feedback_en=feedback_en, text_format=text_format, feedback_format=feedback_format,
            )  # fmt: skip
        )
    return choices


def _true_false(answer: str, text_format: str) -> list[GiftChoice]:
    parts = [piece for _offset, piece in _split_unescaped(answer, "#")]
    is_true = bool(_true_false_word(parts[0]))
    wrong = _formatted(parts[1], text_format) if len(parts) > 1 else ("", "", text_format)
    right = _formatted("#".join(parts[2:]), text_format) if len(parts) > 2 else ("", "", text_format)
    true_choice = GiftChoice(text_th="จริง", text_en="True", weight=Decimal(100 if is_true else 0))
    false_choice = GiftChoice(text_th="เท็จ", text_en="False", weight=Decimal(0 if is_true else 100))
    correct, other = (true_choice, false_choice) if is_true else (false_choice, true_choice)
    correct.feedback_th, correct.feedback_en, correct.feedback_format = right
    other.feedback_th, other.feedback_en, other.feedback_format = wrong
    for choice in (true_choice, false_choice):
        choice.text_format = text_format
    return [true_choice, false_choice]


def _matching(answer: str, offset: int, fail, text_format: str) -> list[GiftChoice]:
    choices = []
    for part_offset, marker, body in _pieces(answer, "="):
        where = offset + part_offset
        if marker != "=":
            fail(where, _("matching pairs start with ="))
        arrows = [i for i in _unescaped_positions(body, "-") if body[i : i + 2] == "->"]
        if not arrows:
            fail(where, _("a matching pair needs 'left -> right'"))
        left_th, left_en, left_format = _formatted(body[: arrows[0]], text_format)
        right_th, right_en = _plain(body[arrows[0] + 2 :])
        if not (right_th or right_en):
            fail(where, _("a matching pair has nothing on the right of ->"))
        choices.append(
            GiftChoice(
                text_th=left_th, text_en=left_en, match_th=right_th, match_en=right_en, weight=Decimal(100),
                text_format=left_format, feedback_format=text_format,
            )  # fmt: skip
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


def _numeric_answers(answer: str, offset: int, fail, text_format: str) -> list[GiftChoice]:
    """Moodle's numerical answers; everything from the first ``~`` is the feedback for other answers."""
    wrong_at = _find_unescaped(answer, "~")
    wrong = answer[wrong_at + 1 :] if wrong_at >= 0 else None
    values = answer[:wrong_at] if wrong_at >= 0 else answer
    pieces = [(o, m, b) for o, m, b in _pieces(values, "=") if m or b.strip()]
    if not pieces:
        fail(offset, _("a numerical question needs at least one answer, such as {#3.14:0.01}"))
    choices = []
    for part_offset, _marker, body in pieces:
        where = offset + part_offset
        weight, rest = _weight_and_rest(body, where, fail, Decimal(100))
        value_text, feedback = _split_feedback(rest)
        value_text = unescape(_format_of(value_text, text_format)[1]).strip()
        feedback_th, feedback_en, feedback_format = _formatted(feedback, text_format)
        choice = GiftChoice(
            weight=weight, feedback_th=feedback_th, feedback_en=feedback_en, text_format=text_format,
            feedback_format=feedback_format,
        )  # fmt: skip
        if value_text in ("", ANY_ANSWER):
            choice.text_th = ANY_ANSWER  # Moodle stores "*": any other number
        elif ".." in value_text[1:]:
            low_text, _sep, high_text = value_text.partition("..")
            low, high = _number(low_text, where, fail), _number(high_text, where, fail)
            if low > high:
                fail(where, _("the range %(range)s runs backwards") % {"range": value_text})
            choice.number, choice.tolerance = (low + high) / 2, (high - low) / 2
        else:
            value_part, _sep, tolerance_part = value_text.partition(":")
            choice.number = _number(value_part, where, fail)
            if tolerance_part.strip():
                choice.tolerance = _number(tolerance_part, where, fail)
            if choice.tolerance < 0:
                fail(where, _("a tolerance cannot be negative"))
        choices.append(choice)
    if wrong is not None:
        _unused, feedback = _split_feedback(wrong)
        feedback_th, feedback_en, feedback_format = _formatted(feedback, text_format)
        choices.append(
            GiftChoice(
                text_th=ANY_ANSWER, weight=Decimal(0), feedback_th=feedback_th, feedback_en=feedback_en,
                text_format=text_format, feedback_format=feedback_format,
            )  # fmt: skip
        )
    return choices

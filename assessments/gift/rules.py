"""The rules every question obeys, whether it comes from a GIFT file or the admin's form."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .. import scoring
from .types import ANY_ANSWER


def is_catch_all(choice) -> bool:
    """A numeric or short-text answer ``*`` that matches every response not matched before it."""
    return (choice.text_th or "").strip() == ANY_ANSWER and not (choice.text_en or "").strip()


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
        numbered = [
            (c, w) for c, w in zip(choices, weights, strict=True) if getattr(c, "number", None) is not None
        ]
        if not choices or any(getattr(c, "number", None) is None and not is_catch_all(c) for c in choices):
            problems.append(
                _("Each accepted answer of a numeric question needs a number (or * for any other number).")
            )
        elif not numbered or max(w for _c, w in numbered) != 100:
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

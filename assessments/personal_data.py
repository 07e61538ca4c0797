"""What the personal-data download shows of assessment attempts (registered in ``apps.py``).

The download always gives that an attempt exists, its dates, its overall and per-competency
scores, whether it passed, and the evidence it recorded. The question-by-question rows (responses
and their scores) follow the assessment's review policy, as the result page does: withheld while
the review is not open ("never", or "after the assessment closes" before it closes).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .records import Attempt
from .selectors import question_details_withheld

ATTEMPT = "assessments.Attempt"
ATTEMPT_QUESTION = "assessments.AttemptQuestion"


def _withheld_attempt_ids(ids: set[int]) -> set[int]:
    now = timezone.now()
    attempts = Attempt.objects.filter(id__in=ids).select_related("page")
    return {attempt.id for attempt in attempts if question_details_withheld(attempt, now=now)}


def attempts_for_download(rows: list[dict]) -> list[dict]:
    """Every attempt, each saying whether its question-by-question details are included."""
    withheld = _withheld_attempt_ids({row["id"] for row in rows})
    for row in rows:
        row["question_details"] = (
            _("Withheld: this assessment's review policy does not show questions and answers.")
            if row["id"] in withheld
            else _("Included (see assessments.AttemptQuestion).")
        )
    return rows


def attempt_questions_for_download(rows: list[dict]) -> list[dict]:
    withheld = _withheld_attempt_ids({row["attempt_id"] for row in rows})
    return [row for row in rows if row["attempt_id"] not in withheld]

"""Turning what the browser sent into responses the services accept, refusing anything forged.

Option values in the attempt form are positions in the order stored for the attempt, never
option ids, so the page reveals nothing about which option was written first or is right.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profiles.models import Competency

from .gift import MAX_BYTES as GIFT_MAX_BYTES
from .records import AttemptQuestion, Question, QuestionCategory
from .selectors import ReviewItem
from .services import AssessmentRefused

MAX_ANSWER_LENGTH = 500


def _index(value: str, size: int) -> int:
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise AssessmentRefused(_("An answer is not one of the options offered.")) from None
    if not 0 <= index < size:
        raise AssessmentRefused(_("An answer is not one of the options offered."))
    return index


def responses_from_post(rows: list[AttemptQuestion], data) -> dict[int, dict | None]:
    """Responses keyed by AttemptQuestion id, from fields ``answer-<question id>[-<left position>]``.

    A field naming a question that is not in the attempt, an option that was not offered or an
    over-long text refuses the whole request.
    """
    by_question = {row.question_id: row for row in rows}
    for key in data:
        if not key.startswith("answer-"):
            continue
        question_part = key.split("-")[1]
        if not question_part.isdigit() or int(question_part) not in by_question:
            raise AssessmentRefused(_("The answers name a question that is not part of this attempt."))
    responses: dict[int, dict | None] = {}
    for question_id, row in by_question.items():
        kind = row.question.kind
        field = f"answer-{question_id}"
        response: dict | None = None
        if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
            value = data.get(field, "")
            if value != "":
                response = {"choice": row.choice_order[_index(value, len(row.choice_order))]}
        elif kind == Question.Kind.MULTIPLE:
            values = data.getlist(field) if hasattr(data, "getlist") else data.get(field, [])
            if values:
                indexes = sorted({_index(v, len(row.choice_order)) for v in values})
                response = {"choices": [row.choice_order[i] for i in indexes]}
        elif kind in (Question.Kind.NUMERIC, Question.Kind.SHORT_TEXT):
            value = data.get(field, "")
            if len(value) > MAX_ANSWER_LENGTH:
                raise AssessmentRefused(
                    _("An answer is too long: at most %(count)s characters.") % {"count": MAX_ANSWER_LENGTH}
                )
            if value.strip():
                response = {"text": value}
        elif kind == Question.Kind.MATCHING:
            pairs = {}
            for position, left_id in enumerate(row.choice_order):
                value = data.get(f"{field}-{position}", "")
                if value != "":
                    pairs[str(left_id)] = row.match_order[_index(value, len(row.match_order))]
            extra = [k for k in data if k.startswith(field + "-") and not _is_position(k, field, row)]
            if extra:
                raise AssessmentRefused(_("An answer is not one of the options offered."))
            response = {"pairs": pairs} if pairs else None
        responses[row.pk] = response
    return responses


def _is_position(key: str, field: str, row: AttemptQuestion) -> bool:
    suffix = key[len(field) + 1 :]
    return suffix.isdigit() and int(suffix) < len(row.choice_order)


def ratings_from_post(statement_ids: list[int], data) -> dict[int, int]:
    """Ratings keyed by statement id from fields ``rating-<statement id>``; forged ids refused."""
    known = set(statement_ids)
    ratings = {}
    for key, value in data.items():
        if not key.startswith("rating-"):
            continue
        suffix = key[len("rating-") :]
        if not suffix.isdigit() or int(suffix) not in known:
            raise AssessmentRefused(
                _("The ratings name a statement that is not part of this self-assessment.")
            )
        if value not in ("1", "2", "3", "4"):
            raise AssessmentRefused(_("Each rating must be one of the four points of the scale."))
        ratings[int(suffix)] = int(value)
    return ratings


class ReviewForm(forms.Form):
    """One level per competency of the self-assessment, prefilled with the self-rated level.

    Each level is one of the competency's framework scale, named in the reader's language; a
    field naming a competency that is not in the self-assessment refuses the whole review.
    """

    note = forms.CharField(
        label=gettext_lazy("Note to the employee"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "note-help"}),
    )

    def __init__(self, *args, items: list[ReviewItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        # the employee's confirmed levels now: a review that lowers one needs a reason
        self.current_levels = {i.result.competency_id: i.confirmed.level for i in items if i.confirmed}
        for item in items:
            self.fields[self._field_name(item)] = forms.TypedChoiceField(
                label=item.label,
                choices=[(level.level, self._choice_label(item, level.level)) for level in item.levels],
                coerce=int,
                initial=item.result.self_level,
                error_messages={
                    "required": gettext_lazy("Choose a level."),
                    "invalid_choice": gettext_lazy("Choose one of the levels of this competency's scale."),
                },
            )

    @staticmethod
    def _field_name(item: ReviewItem) -> str:
        return f"level-{item.result.competency_id}"

    @staticmethod
    def _choice_label(item: ReviewItem, level: int) -> str:
        label = f"{level} · {item.level_name(level)}"
        marks = []
        if level == item.result.self_level:
            marks.append(_("self-rated"))
        if item.confirmed and level == item.confirmed.level:
            marks.append(_("confirmed now"))
        return f"{label} ({', '.join(marks)})" if marks else label

    @property
    def rows(self) -> list[tuple[ReviewItem, forms.BoundField]]:
        return [(item, self[self._field_name(item)]) for item in self.items]

    def clean(self):
        cleaned = super().clean()
        known = {self._field_name(item) for item in self.items}
        if any(key.startswith("level-") and key not in known for key in self.data):
            raise forms.ValidationError(
                _("The review names a competency that is not part of this self-assessment."), code="forged"
            )
        lowered = [
            item.competency
            for item in self.items
            if cleaned.get(self._field_name(item)) is not None
            and cleaned[self._field_name(item)] < self.current_levels.get(item.result.competency_id, 0)
        ]
        if lowered and not (cleaned.get("note") or "").strip():
            self.add_error(
                "note",
                _("You are lowering the level in %(competencies)s: say why in the note to the employee.")
                % {"competencies": ", ".join(c.code for c in lowered)},
            )
            for competency in lowered:
                self.add_error(
                    f"level-{competency.id}",
                    _("Below the confirmed level %(level)s: say why in the note to the employee.")
                    % {"level": self.current_levels[competency.id]},
                )
        return cleaned

    def levels(self) -> dict[int, int]:
        return {item.result.competency_id: self.cleaned_data[self._field_name(item)] for item in self.items}


class GiftImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("GIFT file"),
        help_text=gettext_lazy(
            "As Moodle exports it (UTF-8); UTF-16 and Thai Windows-874 are read too. At most 5 MB."
        ),
    )
    competency = forms.ModelChoiceField(
        label=gettext_lazy("Competency"),
        queryset=Competency.objects.select_related("framework").order_by("framework__code", "sort_order"),
        required=False,
        help_text=gettext_lazy("For questions without a [tag:competency=...] comment."),
    )
    category = forms.CharField(
        label=gettext_lazy("Category"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("For questions before any $CATEGORY line."),
    )
    difficulty = forms.TypedChoiceField(
        label=gettext_lazy("Difficulty"),
        choices=Question.Difficulty.choices,
        coerce=int,
        initial=Question.Difficulty.MEDIUM,
        help_text=gettext_lazy("For questions without a [tag:difficulty=...] comment."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > GIFT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it into parts (one per category, for example).")
                % {"size": GIFT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class GiftExportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=QuestionCategory.objects.all(),
        required=False,
        empty_label=gettext_lazy("All categories"),
    )

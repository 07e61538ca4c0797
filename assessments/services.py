"""Writes: starting, saving and submitting attempts; self-assessments and their review.

Every time check uses the ``now`` passed in (views pass ``timezone.now()``), so tests freeze time
by passing a value. Submission is guarded twice: the attempt row is locked (``select_for_update``)
and the status changes with a conditional update, so two submits at the same moment record one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from wagtail.models import Page

from profiles.competencies.services import evidence_record, evidence_record_many
from profiles.models import Employee, LevelEvidence, ProficiencyLevel
from profiles.organisation.access import can_manage_employee

from . import scoring
from .records import (
    Attempt,
    AttemptQuestion,
    Choice,
    CompetencyResult,
    Question,
    SelfAssessment,
    SelfAssessmentResult,
    SelfRating,
    Statement,
)

PERCENT = Decimal("0.01")


class AssessmentRefused(Exception):
    """A request the rules do not allow; the message is for the person who made it."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class AlreadySubmitted(AssessmentRefused):
    pass


class TimeIsUp(AssessmentRefused):
    pass


# --- Attempts -------------------------------------------------------------------------------


def attempt_start(
    *, page: Page, employee: Employee, now: dt.datetime, rng: random.Random | None = None
) -> Attempt:
    """The employee's attempt in progress (resumed as it was), or a new one drawn now."""
    rng = rng or random.Random()
    with transaction.atomic():
        # Lock the employee row so that two starts at once cannot both pass the attempts limit.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        current = Attempt.objects.filter(
            page=page, employee=employee, status=Attempt.Status.IN_PROGRESS
        ).first()
        if current is not None:
            if not current.is_expired(now):
                return current
            attempt_submit(attempt=current, employee=employee, now=now, timed_out=True)
        if not page.live:
            raise AssessmentRefused(_("This assessment is not published."))
        if not page.is_open(now):
            raise AssessmentRefused(_("This assessment is not open now."))
        used = Attempt.objects.filter(page=page, employee=employee).count()
        if page.max_attempts is not None and used >= page.max_attempts:
            raise AssessmentRefused(
                _("You have used all %(count)s attempts allowed for this assessment.")
                % {"count": page.max_attempts}
            )
        drawn = _draw_questions(page, rng)
        if not drawn:
            raise AssessmentRefused(_("This assessment has no questions yet."))
        deadline = None
        if page.time_limit_minutes:
            deadline = now + dt.timedelta(minutes=page.time_limit_minutes)
        if page.closes_at is not None:
            deadline = min(deadline, page.closes_at) if deadline else page.closes_at
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    page=page, employee=employee, number=used + 1, started_at=now, deadline=deadline
                )
        except IntegrityError:
            # A second start at the same moment: the first one stands.
            return Attempt.objects.get(page=page, employee=employee, status=Attempt.Status.IN_PROGRESS)
        options = _options_of([question_id for question_id, _kind in drawn])
        rows = []
        for position, (question_id, kind) in enumerate(drawn, start=1):
            choices = options.get(question_id, [])
            match_order: list[int] = []
            if kind == Question.Kind.MATCHING:
                order = [pk for pk, has_left_side in choices if has_left_side]
                match_order = [pk for pk, _has_left_side in choices]
                if page.shuffle_choices:
                    rng.shuffle(order)
                    rng.shuffle(match_order)
            else:
                order = [pk for pk, _has_left_side in choices]
                if page.shuffle_choices and kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                    rng.shuffle(order)
            rows.append(
                AttemptQuestion(
                    attempt=attempt,
                    question_id=question_id,
                    position=position,
                    choice_order=order,
                    match_order=match_order,
                )
            )
        AttemptQuestion.objects.bulk_create(rows)
    return attempt


def _draw_questions(page: Page, rng: random.Random) -> list[tuple[int, str]]:
    """The drawn questions as ``(id, kind)``: the pools are read as ids, not whole questions."""
    drawn: list[tuple[int, str]] = []
    seen: set[int] = set()
    for rule in page.draw_rules.order_by("sort_order", "id"):
        pool = Question.objects.filter(category_id=rule.category_id, is_active=True).exclude(pk__in=seen)
        if rule.competency_id:
            pool = pool.filter(competency_id=rule.competency_id)
        pool = list(pool.order_by("id").values_list("id", "kind"))
        chosen = rng.sample(pool, min(rule.count, len(pool)))
        if not page.shuffle_questions:
            chosen.sort()
        drawn.extend(chosen)
        seen.update(question_id for question_id, _kind in chosen)
    if page.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


def _options_of(question_ids: list[int]) -> dict[int, list[tuple[int, bool]]]:
    """Each question's options in their order, as ``(id, has a left side)`` (matching needs it)."""
    options: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for question_id, pk, text_th, text_en in (
        Choice.objects.filter(question_id__in=question_ids)
        .order_by("sort_order", "id")
        .values_list("question_id", "id", "text_th", "text_en")
    ):
        options[question_id].append((pk, bool(text_th or text_en)))
    return options


def _locked_attempt(attempt: Attempt, employee: Employee | None, *, with_page: bool = True) -> Attempt:
    attempts = Attempt.objects.select_for_update(of=("self",))
    locked = (attempts.select_related("page") if with_page else attempts).get(pk=attempt.pk)
    if employee is not None and locked.employee_id != employee.pk:
        raise PermissionDenied(_("This attempt belongs to someone else."))
    return locked


def _store_responses(attempt: Attempt, responses: dict[int, dict | None], now: dt.datetime) -> int:
    """Write the responses (keyed by AttemptQuestion id) that changed; returns how many."""
    rows = list(AttemptQuestion.objects.filter(attempt=attempt).only("id", "response"))
    changed = _apply_responses(rows, responses, now)
    _rows_update(changed, ["response", "saved_at"])
    return len(changed)


def _apply_responses(
    rows: list[AttemptQuestion], responses: dict[int, dict | None], now: dt.datetime
) -> list[AttemptQuestion]:
    """Set the responses that changed on the rows (not yet written); refuses a stray question."""
    stray = set(responses) - {row.pk for row in rows}
    if stray:
        raise AssessmentRefused(_("The answers name a question that is not part of this attempt."))
    changed = []
    for row in rows:
        if row.pk in responses and responses[row.pk] != row.response:
            row.response = responses[row.pk]
            row.saved_at = now
            changed.append(row)
    return changed


def _rows_update(rows: list[AttemptQuestion], fields: list[str]) -> None:
    """Write ``fields`` of each row: one prepared UPDATE sent for all rows (``executemany``).

    Does what ``bulk_update`` does, for the two writes of an exam (autosave, scoring): Django
    builds ``bulk_update``'s ``CASE WHEN`` expression over every row and field, and compiling it
    was a tenth of the app's CPU on exam day. Values are prepared by the model's own fields, so
    JSON and dates are stored as the ORM stores them.
    """
    if not rows:
        return
    model_fields = [AttemptQuestion._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    sql = f"UPDATE {quote(AttemptQuestion._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in model_fields] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def attempt_save(
    *, attempt: Attempt, employee: Employee, responses: dict[int, dict | None], now: dt.datetime
) -> int:
    """Autosave: store the responses while the attempt is open; refused once time is up."""
    with transaction.atomic():
        locked = _locked_attempt(attempt, employee, with_page=False)
        if locked.status != Attempt.Status.IN_PROGRESS:
            raise AlreadySubmitted(_("This attempt has already been submitted."))
        if locked.is_expired(now):
            raise TimeIsUp(_("Time is up: answers can no longer be changed."))
        return _store_responses(locked, responses, now)


def attempt_submit(
    *,
    attempt: Attempt,
    employee: Employee | None,
    now: dt.datetime,
    responses: dict[int, dict | None] | None = None,
    timed_out: bool = False,
) -> Attempt:
    """Submit once: score on the server, store the results and record evidence, all or nothing.

    Responses that arrive after the deadline are refused and the attempt is submitted with what
    was saved in time; it then counts as submitted at its deadline.
    """
    with transaction.atomic():
        locked = _locked_attempt(attempt, employee)
        if locked.status != Attempt.Status.IN_PROGRESS:
            raise AlreadySubmitted(_("This attempt has already been submitted."))
        if employee is not None:
            locked.employee = employee  # the same row (checked above): saves reading it again
        late = locked.is_expired(now)
        rows = _rows_for_scoring(locked)
        if responses is not None and not late:
            _apply_responses(rows, responses, now)
        submitted_at = min(now, locked.deadline) if late else now
        updated = Attempt.objects.filter(pk=locked.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTED, submitted_at=submitted_at, timed_out=late or timed_out
        )
        if updated != 1:
            raise AlreadySubmitted(_("This attempt has already been submitted."))
        locked.status, locked.submitted_at, locked.timed_out = (
            Attempt.Status.SUBMITTED,
            submitted_at,
            late or timed_out,
        )
        _score(locked, rows)
    return locked


def _rows_for_scoring(attempt: Attempt) -> list[AttemptQuestion]:
    """The attempt's rows with what scoring needs (kinds, competencies, options), no texts shown.

    Each row's question gets ``scoring_choices``, read in one plain query for all of them.
    """
    rows = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question__competency")
        .only(
            "id",
            "attempt_id",
            "question_id",
            "response",
            "saved_at",
            "score",
            "question__kind",
            "question__competency__id",
            "question__competency__framework_id",
        )
    )
    choices: dict[int, list[Choice]] = defaultdict(list)
    for choice in Choice.objects.filter(question_id__in={row.question_id for row in rows}).only(
        "id", "sort_order", "question_id", "weight", "text_th", "text_en", "number", "tolerance"
    ):
        choices[choice.question_id].append(choice)
    for row in rows:
        row.question.scoring_choices = choices[row.question_id]
    return rows


def _score(attempt: Attempt, rows: list[AttemptQuestion]) -> None:
    """Score the rows, store responses and scores in one write, then results and evidence."""
    page = attempt.page
    per_competency: dict[int, list[Decimal]] = defaultdict(list)
    competencies = {}
    for row in rows:
        row.score = scoring.score_response(
            row.question.scoring_item(row.question.scoring_choices), row.response
        )
        per_competency[row.question.competency_id].append(row.score)
        competencies[row.question.competency_id] = row.question.competency
    _rows_update(rows, ["response", "saved_at", "score"])

    total = sum((row.score for row in rows), Decimal(0))
    attempt.score_percent = _percent(total, len(rows))
    attempt.passed = attempt.score_percent >= page.pass_mark_percent
    Attempt.objects.filter(pk=attempt.pk).update(score_percent=attempt.score_percent, passed=attempt.passed)

    bands = list(page.bands.all())
    measured = set(page.competencies.values_list("id", flat=True)) or set(per_competency)
    scale = _levels_on_scale({c.framework_id for c in competencies.values()})
    results = []
    for competency_id, scores in per_competency.items():
        percent = _percent(sum(scores, Decimal(0)), len(scores))
        level = page.level_for(competency_id, percent, bands) if competency_id in measured else None
        if level is not None and level not in scale[competencies[competency_id].framework_id]:
            level = None
        results.append(
            CompetencyResult(
                attempt=attempt,
                competency_id=competency_id,
                score_percent=percent,
                question_count=len(scores),
                level=level,
            )
        )
    CompetencyResult.objects.bulk_create(results)
    evidence_record_many(
        employee=attempt.employee,
        levels=[(competencies[r.competency_id], r.level) for r in results if r.level is not None],
        source=LevelEvidence.Source.ASSESSMENT,
        observed_at=attempt.submitted_at,
        source_object=attempt,
        source_label=f"{page.title} #{attempt.number}",
    )


def _percent(points: Decimal, count: int) -> Decimal:
    if not count:
        return Decimal(0)
    return (points * 100 / count).quantize(PERCENT, rounding=ROUND_HALF_UP)


def _levels_on_scale(framework_ids: set[int]) -> dict[int, set[int]]:
    scale: dict[int, set[int]] = defaultdict(set)
    for framework_id, level in ProficiencyLevel.objects.filter(framework_id__in=framework_ids).values_list(
        "framework_id", "level"
    ):
        scale[framework_id].add(level)
    return scale


def attempts_close_expired(*, now: dt.datetime) -> int:
    """Submit every attempt whose time has run out, with what was saved; returns how many."""
    closed = 0
    for attempt in Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lte=now).order_by(
        "id"
    ):
        try:
            attempt_submit(attempt=attempt, employee=None, now=now, timed_out=True)
        except AlreadySubmitted:
            continue
        closed += 1
    return closed


# --- Self-assessment ------------------------------------------------------------------------


def self_assessment_submit(
    *, page: Page, employee: Employee, ratings: dict[int, int], now: dt.datetime
) -> SelfAssessment:
    """Record the employee's ratings and the self-rated level per competency, with its evidence."""
    statements = {s.pk: s for s in Statement.objects.filter(page=page).select_related("competency")}
    if set(ratings) - set(statements):
        raise AssessmentRefused(_("The ratings name a statement that is not part of this self-assessment."))
    if set(statements) - set(ratings):
        raise AssessmentRefused(_("Please rate every statement."))
    if any(point not in (1, 2, 3, 4) for point in ratings.values()):
        raise AssessmentRefused(_("Each rating must be one of the four points of the scale."))
    by_competency: dict[int, list[int]] = defaultdict(list)
    for statement_id, point in ratings.items():
        by_competency[statements[statement_id].competency_id].append(point)
    competencies = {s.competency_id: s.competency for s in statements.values()}
    scale = _levels_on_scale({c.framework_id for c in competencies.values()})
    levels = {}
    for competency_id, points in by_competency.items():
        level = page.level_for_point(sum(points) // len(points))
        if level not in scale[competencies[competency_id].framework_id]:
            raise AssessmentRefused(
                _("Level %(level)s is not on the scale of %(competency)s; ask the author to fix the mapping.")
                % {"level": level, "competency": competencies[competency_id]}
            )
        levels[competency_id] = level
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = SelfAssessment.objects.create(page=page, employee=employee, submitted_at=now)
        except IntegrityError:
            raise AssessmentRefused(
                _("You already have a self-assessment waiting for your manager's review.")
            ) from None
        SelfRating.objects.bulk_create(
            [SelfRating(self_assessment=submission, statement_id=sid, point=p) for sid, p in ratings.items()]
        )
        SelfAssessmentResult.objects.bulk_create(
            [
                SelfAssessmentResult(self_assessment=submission, competency_id=cid, self_level=level)
                for cid, level in levels.items()
            ]
        )
        for competency_id, level in levels.items():
            evidence_record(
                employee=employee,
                competency=competencies[competency_id],
                level=level,
                source=LevelEvidence.Source.SELF_ASSESSMENT,
                observed_at=now,
                recorded_by=employee.user,
                source_object=submission,
                source_label=page.title,
            )
    return submission


def self_assessment_review(
    *, self_assessment: SelfAssessment, reviewer, levels: dict[int, int], note: str, now: dt.datetime
) -> SelfAssessment:
    """The manager confirms or adjusts each self-rated level; records manager-review evidence."""
    if not can_manage_employee(reviewer, self_assessment.employee):
        raise PermissionDenied(_("Only the employee's manager or HR may review this self-assessment."))
    with transaction.atomic():
        locked = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("page", "employee")
            .get(pk=self_assessment.pk)
        )
        if locked.status != SelfAssessment.Status.PENDING:
            raise AlreadySubmitted(_("This self-assessment has already been reviewed."))
        results = list(locked.results.select_related("competency"))
        if set(levels) != {r.competency_id for r in results}:
            raise AssessmentRefused(_("Please confirm or adjust the level of every competency."))
        scale = _levels_on_scale({r.competency.framework_id for r in results})
        for result in results:
            if levels[result.competency_id] not in scale[result.competency.framework_id]:
                raise AssessmentRefused(
                    _("Level %(level)s is not on the scale of %(competency)s.")
                    % {"level": levels[result.competency_id], "competency": result.competency}
                )
        updated = SelfAssessment.objects.filter(pk=locked.pk, status=SelfAssessment.Status.PENDING).update(
            status=SelfAssessment.Status.REVIEWED, reviewed_at=now, reviewed_by=reviewer, review_note=note
        )
        if updated != 1:
            raise AlreadySubmitted(_("This self-assessment has already been reviewed."))
        for result in results:
            result.manager_level = levels[result.competency_id]
        SelfAssessmentResult.objects.bulk_update(results, ["manager_level"])
        for result in results:
            evidence_record(
                employee=locked.employee,
                competency=result.competency,
                level=result.manager_level,
                source=LevelEvidence.Source.MANAGER_REVIEW,
                observed_at=now,
                recorded_by=reviewer,
                source_object=locked,
                source_label=locked.page.title,
                note=note,
            )
        locked.status, locked.reviewed_at, locked.reviewed_by = SelfAssessment.Status.REVIEWED, now, reviewer
    return locked

"""Reads used by the assessment views; each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils.translation import get_language
from wagtail.models import Page

from profiles.competencies.levels import (
    CONFIRMED_RANK,
    CurrentLevel,
    current_levels_bulk,
    what_a_result_can_change,
)
from profiles.models import Competency, Employee, LevelEvidence, ProficiencyLevel
from profiles.organisation.access import can_manage_employee, is_hr, managed_unit_ids
from profiles.organisation.selectors import employee_for_user

from . import scoring
from .records import (
    SCALE_POINTS,
    Attempt,
    AttemptQuestion,
    Choice,
    CompetencyResult,
    Question,
    SelfAssessment,
    SelfAssessmentResult,
    Statement,
)
from .reports import item_frame, item_statistics, option_counts, text_answer_counts
from .roles import BANK_EXPORT_PERMISSION


def attempts_of(employee: Employee, page: Page | None = None) -> QuerySet[Attempt]:
    queryset = Attempt.objects.filter(employee=employee).select_related("page")
    if page is not None:
        queryset = queryset.filter(page=page)
    return queryset.prefetch_related(
        Prefetch("results", queryset=CompetencyResult.objects.select_related("competency"))
    )


def assessment_page_state(*, page: Page, user, now: dt.datetime) -> dict:
    """What the assessment's page shows this person: their attempts and whether they may start."""
    employee = employee_for_user(user)
    # Asked only when the template gets that far: it shows the link to people who may open the
    # admin (authors and HR), which the menu already knows, so most staff cost no queries here.
    can_see_statistics = lambda: can_view_statistics(user, page)  # noqa: E731
    if employee is None:
        return {
            "employee": None,
            "attempts": [],
            "can_start": False,
            "refusal": "",
            "can_see_statistics": can_see_statistics,
        }
    attempts = list(attempts_of(employee, page))
    in_progress = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
    refusal = "" if in_progress is not None else start_refusal(page, attempts_made=len(attempts), now=now)
    return {
        "employee": employee,
        "attempts": attempts,
        "what_it_changes": what_it_changes(page),
        "in_progress": in_progress,
        "can_start": in_progress is None and not refusal,
        "refusal": refusal,
        "is_open": page.is_open(now),
        "can_see_statistics": can_see_statistics,
    }


def start_refusal(page: Page, *, attempts_made: int, now: dt.datetime) -> str:
    """Why a new attempt may not start ("closed", "used_up"), or "" when it may."""
    if not page.is_open(now):
        return "closed"
    if page.max_attempts is not None and attempts_made >= page.max_attempts:
        return "used_up"
    return ""


def what_it_changes(page: Page) -> dict:
    """What a result of this assessment can and cannot change in the person's levels."""
    bands = sorted(page.bands.all(), key=lambda band: band.min_percent)
    return {
        "method": what_a_result_can_change(LevelEvidence.Source.ASSESSMENT),
        "lowest_percent": bands[0].min_percent if bands else None,
        "lowest_level": bands[0].level if bands else None,
    }


def submitted_attempts_version(page: Page) -> str:
    """Changes whenever an attempt of the page is submitted (or the attempts are rebuilt): a cache key."""
    found = Attempt.objects.filter(page=page, status=Attempt.Status.SUBMITTED).aggregate(
        count=Count("id"), last=Max("id")
    )
    return f"{found['count']}-{found['last'] or 0}"


def can_view_statistics(user, page: Page) -> bool:
    """HR, and the assessment's authors: who keep the question bank and may edit the page.

    Page rights alone (a content editor) are not enough: the statistics show each question's
    options and which were right.
    """
    if not user.is_authenticated:
        return False
    if is_hr(user):
        return True
    return user.has_perm(BANK_EXPORT_PERMISSION) and page.permissions_for_user(user).can_edit()


def attempt_questions(attempt: Attempt) -> list[AttemptQuestion]:
    """The drawn questions with their options, in the order shown: two queries.

    Each row gets ``choices_by_id`` (its question's options that still exist), ``shown_choices``
    and ``shown_matches`` (in the stored order). The options are read in one plain query rather
    than through the question's cluster relation, which costs several times more per option.
    """
    rows = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("question"))
    by_question: dict[int, dict[int, Choice]] = defaultdict(dict)
    for choice in Choice.objects.filter(question_id__in={row.question_id for row in rows}).order_by():
        by_question[choice.question_id][choice.pk] = choice
    for row in rows:
        choices = row.choices_by_id = by_question[row.question_id]
        row.shown_choices = [choices[pk] for pk in row.choice_order if pk in choices]
        row.shown_matches = [choices[pk] for pk in row.match_order if pk in choices]
    return rows


@dataclass
class ReviewRow:
    """One question of a submitted attempt as the review policy lets the employee see it.

    ``options`` are plain dicts made once here: the result page lists every option of every
    question, and the template engine reads a dict key several times faster than it calls a
    property (the review was 9 ms of a 23 ms page with 30 questions).
    """

    row: AttemptQuestion
    show_answers: bool

    def __post_init__(self):
        question = self.row.question
        self.position = str(self.row.position)  # text: the template engine formats every number it prints
        self.text = question.text_html
        self.shows = {
            Question.Kind.MATCHING: "pairs",
            Question.Kind.NUMERIC: "typed",
            Question.Kind.SHORT_TEXT: "typed",
        }.get(question.kind, "options")
        self.general_feedback = question.general_feedback_html if self.show_answers else ""
        chosen = self.chosen_ids
        self.options = [
            {
                "text": choice.text_html,
                "chosen": choice.pk in chosen,
                "correct": self.show_answers and choice.weight > 0,
                "feedback": choice.feedback_html if self.show_answers and choice.pk in chosen else "",
            }
            for choice in self.row.shown_choices
        ]
        self.typed_feedback = ""
        if self.shows == "typed" and self.show_answers:
            deciding = scoring.typed_answer_option(
                question.scoring_item(self.row.shown_choices), self.row.response
            )
            by_id = {choice.pk: choice for choice in self.row.shown_choices}
            if deciding is not None and deciding.id in by_id:
                self.typed_feedback = by_id[deciding.id].feedback_html

    @property
    def question(self):
        return self.row.question

    @property
    def chosen_ids(self) -> set[int]:
        response = self.row.response or {}
        if "choice" in response:
            return {response["choice"]}
        return set(response.get("choices", []))

    @property
    def pairs(self) -> list[tuple]:
        """Matching: (left option, right text chosen, right text expected)."""
        response = (self.row.response or {}).get("pairs", {})
        by_id = {c.pk: c for c in self.row.shown_matches}
        out = []
        for left in self.row.shown_choices:
            chosen = by_id.get(_as_int(response.get(str(left.pk))))
            out.append((left, chosen.match if chosen else "", left.match))
        return out

    @property
    def text_response(self) -> str:
        return (self.row.response or {}).get("text", "")

    @property
    def accepted(self) -> list:
        """The answers that earn credit, catch-alls ("*") last."""
        credited = [c for c in self.row.shown_choices if c.weight > 0]
        return sorted(credited, key=lambda choice: choice.is_any_answer)

    @property
    def score_percent(self) -> str:
        return str(round((self.row.score or 0) * 100))


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def question_details_withheld(attempt: Attempt, *, now: dt.datetime) -> bool:
    """A submitted attempt whose assessment does not (or not yet) let its questions be reviewed:
    the result page and the personal-data download then give no question-by-question detail."""
    return attempt.status == Attempt.Status.SUBMITTED and not attempt.page.review_allowed(now)


def attempt_review(attempt: Attempt, *, now: dt.datetime) -> list[ReviewRow] | None:
    """The question-by-question review, or None when the policy does not allow it yet."""
    page = attempt.page
    if attempt.status != Attempt.Status.SUBMITTED or question_details_withheld(attempt, now=now):
        return None
    show_answers = page.review_shows == type(page).ReviewShows.ANSWERS
    return [ReviewRow(row=row, show_answers=show_answers) for row in attempt_questions(attempt)]


def self_assessment_page_state(*, page: Page, user) -> dict:
    employee = employee_for_user(user)
    statements = list(Statement.objects.filter(page=page).select_related("competency").order_by("sort_order"))
    submissions = []
    if employee is not None:
        submissions = list(
            SelfAssessment.objects.filter(page=page, employee=employee).prefetch_related(
                Prefetch("results", queryset=SelfAssessmentResult.objects.select_related("competency"))
            )
        )
    pending = next((s for s in submissions if s.status == SelfAssessment.Status.PENDING), None)
    return {"employee": employee, "statements": statements, "submissions": submissions, "pending": pending}


def pending_reviews_for(user) -> QuerySet[SelfAssessment]:
    """Self-assessments waiting for this manager (their units and below) or, for HR, for anyone."""
    queryset = SelfAssessment.objects.filter(status=SelfAssessment.Status.PENDING)
    if not is_hr(user):
        queryset = queryset.filter(employee__org_unit_id__in=managed_unit_ids(user)).exclude(
            employee__user=user
        )
    return queryset.select_related("employee", "employee__org_unit", "page").prefetch_related(
        Prefetch("results", queryset=SelfAssessmentResult.objects.select_related("competency"))
    )


def may_review(user, submission: SelfAssessment) -> bool:
    return can_manage_employee(user, submission.employee)


@dataclass
class SelfRatedStatement:
    text: str
    answer: str  # the point of the four-point scale the employee chose, in the reader's language


@dataclass
class ReviewItem:
    """One competency of a self-assessment as its reviewer sees it."""

    result: SelfAssessmentResult
    label: str
    label_is_statement: bool  # the competency has no name in the reader's language: its statement names it
    statements: list[SelfRatedStatement]
    levels: list[ProficiencyLevel]  # the framework's scale, lowest first
    confirmed: CurrentLevel | None  # the level that stands now on a course, import, test or review

    @property
    def competency(self) -> Competency:
        return self.result.competency

    def level_name(self, level: int | None) -> str:
        return next((lv.name for lv in self.levels if lv.level == level), "")

    @property
    def self_level_name(self) -> str:
        return self.level_name(self.result.self_level)

    @property
    def manager_level_name(self) -> str:
        return self.level_name(self.result.manager_level)

    @property
    def confirmed_level_name(self) -> str:
        return self.level_name(self.confirmed.level) if self.confirmed else ""

    @property
    def confirmed_source(self) -> str:
        return LevelEvidence.Source(self.confirmed.source).label if self.confirmed else ""


def _name_in_reader_language(competency: Competency) -> str:
    """The competency's name in the page's language only: DigComp has no Thai names, and an
    English name on a Thai page is what the statement the employee rated is there to replace."""
    return competency.name_en if (get_language() or "th").startswith("en") else competency.name_th


def self_assessment_review_items(submission: SelfAssessment) -> list[ReviewItem]:
    """The competencies of a self-assessment with the employee's answers, the scale and the level
    confirmed now, in four queries whatever the number of competencies."""
    results = list(submission.results.select_related("competency__framework"))
    ratings = list(submission.ratings.select_related("statement").order_by("statement__sort_order"))
    levels: dict[int, list[ProficiencyLevel]] = defaultdict(list)
    for level in ProficiencyLevel.objects.filter(
        framework_id__in={r.competency.framework_id for r in results}
    ).order_by("level"):
        levels[level.framework_id].append(level)
    confirmed = current_levels_bulk(
        [submission.employee_id], competency_ids=[r.competency_id for r in results]
    ).get(submission.employee_id, {})
    points = dict(SCALE_POINTS)
    items = []
    for result in results:
        rated = [r for r in ratings if r.statement.competency_id == result.competency_id]
        name = _name_in_reader_language(result.competency)
        texts = [r.statement.text for r in rated]
        current = confirmed.get(result.competency_id)
        items.append(
            ReviewItem(
                result=result,
                label=name or (texts[0] if len(texts) == 1 else result.competency.name),
                label_is_statement=not name and len(texts) == 1,
                statements=[
                    SelfRatedStatement(text=r.statement.text, answer=str(points[r.point])) for r in rated
                ],
                levels=levels[result.competency.framework_id],
                confirmed=current if current and current.rank >= CONFIRMED_RANK else None,
            )
        )
    return items


def live_assessments(*, assessments: QuerySet[Page], self_assessments: QuerySet[Page]) -> dict:
    """The published tests and self-assessments (the page querysets, from the caller), by title."""
    return {
        "assessments": list(assessments.live().order_by("title")),
        "self_assessments": list(self_assessments.live().order_by("title")),
    }


def next_schedule_change(*, assessments: QuerySet[Page], now: dt.datetime) -> dt.datetime | None:
    """The next moment a published test (of the page queryset, from the caller) opens or closes:
    pages listing the open tests change then."""
    moments = [
        moment
        for pair in assessments.live().values_list("opens_at", "closes_at")
        for moment in pair
        if moment is not None and moment > now
    ]
    return min(moments, default=None)


@dataclass
class OpenAssessment:
    page: Page
    in_progress: Attempt | None  # the attempt to continue, if one is open


def open_assessments_for(
    employee: Employee, *, assessments: QuerySet[Page], self_assessments: QuerySet[Page], now: dt.datetime
) -> tuple[list[OpenAssessment], list[Page]]:
    """The published tests this employee may start or continue now, and the self-assessments they
    have none waiting for review in: four queries."""
    live = live_assessments(assessments=assessments, self_assessments=self_assessments)
    made = dict(
        Attempt.objects.filter(employee=employee).values_list("page_id").annotate(n=Count("id")).order_by()
    )
    open_attempts = {
        a.page_id: a for a in Attempt.objects.filter(employee=employee, status=Attempt.Status.IN_PROGRESS)
    }
    tests = [
        OpenAssessment(page=page, in_progress=open_attempts.get(page.pk))
        for page in live["assessments"]
        if page.pk in open_attempts or not start_refusal(page, attempts_made=made.get(page.pk, 0), now=now)
    ]
    waiting = set(
        SelfAssessment.objects.filter(employee=employee, status=SelfAssessment.Status.PENDING).values_list(
            "page_id", flat=True
        )
    )
    return tests, [page for page in live["self_assessments"] if page.pk not in waiting]


@dataclass
class ItemRow:
    question: object
    attempts: int
    facility: float
    discrimination: float | None
    flagged: bool
    options: list  # (choice, chosen count, share)
    typed: list  # most frequent typed answers: (answer, count)


def page_item_statistics(page: Page) -> dict:
    """Item statistics of an assessment's submitted attempts, in four queries.

    The pandas part is cached until another attempt is submitted (see ``submitted_attempts_version``).
    """
    submitted = Attempt.objects.filter(page=page, status=Attempt.Status.SUBMITTED)
    key = f"assessments:item-stats:{page.pk}:{submitted_attempts_version(page)}"
    computed = cache.get(key)
    if computed is None:
        rows = list(
            AttemptQuestion.objects.filter(attempt__in=submitted).values_list(
                "attempt_id", "question_id", "score", "response"
            )
        )
        frame = item_frame(rows)
        stats = item_statistics(frame)
        counts = option_counts(frame)
        computed = {
            "stats": [
                (
                    int(r.question_id),
                    int(r.attempts),
                    float(r.facility),
                    None
                    if r.discrimination is None or r.discrimination != r.discrimination
                    else float(r.discrimination),
                    bool(r.flagged),
                )
                for r in stats.itertuples()
            ],
            "chosen": {
                (int(r.question_id), int(r.choice_id)): (int(r.chosen), float(r.share))
                for r in counts.itertuples()
            },
            "texts": [
                (int(r.question_id), r.answer, int(r.count)) for r in text_answer_counts(frame).itertuples()
            ],
            "attempt_count": int(frame["attempt_id"].nunique()) if not frame.empty else 0,
        }
        cache.set(key, computed, timeout=60 * 60)
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=[row[0] for row in computed["stats"]])
        .select_related("competency")
        .prefetch_related("choices")
    }
    chosen = computed["chosen"]
    texts: dict[int, list[tuple[str, int]]] = {}
    for question_id, answer, count in computed["texts"]:
        texts.setdefault(question_id, []).append((answer, count))
    items = []
    for question_id, attempts, facility, discrimination, flagged in computed["stats"]:
        question = questions[question_id]
        options = []
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE):
            options = [(c, *chosen.get((question.pk, c.pk), (0, 0.0))) for c in question.choices.all()]
        items.append(
            ItemRow(
                question=question,
                attempts=attempts,
                facility=facility,
                discrimination=discrimination,
                flagged=flagged,
                options=options,
                typed=texts.get(question_id, []),
            )
        )
    items.sort(key=lambda item: (not item.flagged, item.question.competency.sort_order, item.question.pk))
    return {
        "items": items,
        "attempt_count": computed["attempt_count"],
        "flagged_count": sum(1 for item in items if item.flagged),
    }

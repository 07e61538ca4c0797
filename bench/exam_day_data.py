"""Exam-day benchmark, database side: build the department and the test, then check what was stored.

Run by ``bench/exam_day.py`` with the same environment as the app servers (production settings,
the bench database). ``seed`` prints one JSON line describing what it built; ``verify`` reads the
load client's per-user outcomes and prints one JSON line with what the database holds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skills_site.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import transaction  # noqa: E402

from assessments.factories import QuestionCategoryFactory, QuestionFactory, assessment_page_create  # noqa: E402
from assessments.models import AssessmentPage, Attempt, CompetencyResult  # noqa: E402
from profiles.competencies.counts import counts_keep, day_end  # noqa: E402
from profiles.factories import (  # noqa: E402
    CompetencyAreaFactory,
    CompetencyFactory,
    CompetencyFrameworkFactory,
    OrgUnitFactory,
    PersonnelGroupFactory,
)
from profiles.models import Employee, LevelEvidence  # noqa: E402
from skills_site.thai_calendar import fiscal_quarter_period, fiscal_year_of  # noqa: E402

PASSWORD = "exam-day-bench-2569"
EMAIL = "bench{:05d}@exam.example"
COMPETENCY_CODES = ("EXAM-A", "EXAM-B", "EXAM-C")
QUESTIONS_PER_COMPETENCY = 10
# Level bands of the exam: a competency score at or above the minimum evidences the level.
BANDS = ((0, 1), (40, 2), (60, 3), (80, 4), (95, 5))
MAIN_SLUG, LATE_SLUG = "exam-day", "exam-day-late"


def seed(employees: int) -> dict:
    """A framework with three competencies, 30 single-choice questions, the exam, and the staff."""
    with transaction.atomic():
        framework = CompetencyFrameworkFactory(code="EXAM", name_en="Exam day", name_th="วันสอบ")
        area = CompetencyAreaFactory(framework=framework, code="EX", name_en="Exam", name_th="สอบ")
        competencies = [
            CompetencyFactory(area=area, framework=framework, code=code, name_en=code, name_th=code)
            for code in COMPETENCY_CODES
        ]
        category = QuestionCategoryFactory(name="Exam day")
        for competency in competencies:
            for number in range(1, QUESTIONS_PER_COMPETENCY + 1):
                tag = f"[{competency.code}] Q{number}"
                QuestionFactory(
                    category=category,
                    competency=competency,
                    text_th=f"{tag} ข้อใดถูกต้อง",
                    text_en=f"{tag} which is right?",
                    options=[
                        {"text_th": f"{tag} ok", "text_en": f"{tag} ok", "weight": 100},
                        {"text_th": f"{tag} x1", "text_en": f"{tag} x1", "weight": 0},
                        {"text_th": f"{tag} x2", "text_en": f"{tag} x2", "weight": 0},
                        {"text_th": f"{tag} x3", "text_en": f"{tag} x3", "weight": 0},
                    ],
                )
        draw = [(category, QUESTIONS_PER_COMPETENCY, c) for c in competencies]
        common = dict(
            competencies=competencies,
            draw=draw,
            bands=BANDS,
            shuffle_questions=True,
            shuffle_choices=True,
            max_attempts=1,
            pass_mark_percent=Decimal(60),
        )
        main = assessment_page_create(
            title="Annual digital skills test", slug=MAIN_SLUG, time_limit_minutes=30, **common
        )
        # Those who arrive late get a one-minute limit so that the bench can run past a deadline.
        late = assessment_page_create(
            title="Annual digital skills test (late sitting)", slug=LATE_SLUG, time_limit_minutes=1, **common
        )

        unit = OrgUnitFactory(code="EXAM", name_en="Exam-day department", name_th="กรมวันสอบ", parent=None)
        group = PersonnelGroupFactory(code="EXAM", name_en="Exam staff", name_th="บุคลากรสอบ")
        User = get_user_model()
        encoded = make_password(PASSWORD)  # one hash for all: seeding 1,500 hashes would take minutes
        users = User.objects.bulk_create(
            [
                User(username=f"bench{i:05d}", email=EMAIL.format(i), password=encoded)
                for i in range(employees)
            ]
        )
        if users[0].pk is None:  # backends without RETURNING
            users = list(User.objects.filter(username__startswith="bench").order_by("username"))
        Employee.objects.bulk_create(
            [
                Employee(
                    user=user,
                    employee_number=f"X{i:06d}",
                    first_name_th="ผู้สอบ",
                    last_name_th=f"{i:05d}",
                    first_name_en="Examinee",
                    last_name_en=f"{i:05d}",
                    org_unit=unit,
                    personnel_group=group,
                    start_date="2020-01-06",
                )
                for i, user in enumerate(users)
            ]
        )
    # as in a department whose reports are read: every quarter end of five years and the end of
    # today are counted, so each submission keeps them too
    counts_keep(_counted_moments())
    return {"employees": employees, "main_url": main.url, "late_url": late.url, "password": PASSWORD}


def _counted_moments() -> list:
    today = dt.date.today()
    this_year = fiscal_year_of(today)
    ends = [
        fiscal_quarter_period(year, quarter).end_datetime()
        for year in range(this_year - 5, this_year + 1)
        for quarter in (1, 2, 3, 4)
    ]
    return [end for end in ends if end.date() < today] + [day_end(today)]


def _percent(correct: int, total: int) -> Decimal:
    return (Decimal(correct) * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _level(percent: Decimal) -> int:
    return max(level for minimum, level in BANDS if percent >= minimum)


def verify(outcomes_path: Path) -> dict:
    """Every submission stored exactly once, with the score and evidence its answers deserve."""
    outcomes = [json.loads(line) for line in outcomes_path.read_text().splitlines() if line.strip()]
    pages = {p.slug: p.pk for p in AssessmentPage.objects.filter(slug__in=[MAIN_SLUG, LATE_SLUG])}
    employees = dict(
        Employee.objects.filter(user__username__startswith="bench").values_list("user__email", "pk")
    )
    attempts_by_employee: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in Attempt.objects.filter(page_id__in=pages.values()).order_by("pk"):
        attempts_by_employee[attempt.employee_id].append(attempt)
    results: dict[int, dict[str, CompetencyResult]] = defaultdict(dict)
    result_rows = Counter()
    for result in CompetencyResult.objects.filter(attempt__page_id__in=pages.values()).select_related(
        "competency"
    ):
        results[result.attempt_id][result.competency.code] = result
        result_rows[result.attempt_id] += 1
    attempt_type = ContentType.objects.get_for_model(Attempt)
    evidence: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for object_id, code, level in LevelEvidence.objects.filter(
        source=LevelEvidence.Source.ASSESSMENT, source_content_type=attempt_type
    ).values_list("source_object_id", "competency__code", "level"):
        evidence[object_id].append((code, level))

    counts = Counter()
    problems: list[str] = []
    for outcome in outcomes:
        email = outcome["user"]
        attempts = attempts_by_employee.get(employees.get(email), [])
        submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
        counts["users"] += 1
        if len(attempts) > 1:
            counts["duplicated"] += 1
            problems.append(f"{email}: {len(attempts)} attempts")
        if not outcome.get("submit_confirmed"):
            # The client never saw its submission accepted (an error on the way): not a loss if absent.
            counts["not_completed"] += 1
            continue
        if not submitted:
            counts["lost"] += 1
            problems.append(f"{email}: accepted submission not stored")
            continue
        attempt = submitted[0]
        if attempt.page_id != pages[outcome["page"]]:
            counts["wrong_page"] += 1
            problems.append(f"{email}: attempt on the wrong page")
        counts["stored"] += 1
        per = outcome["per_competency"]
        correct = sum(c for c, _t in per.values())
        total = sum(t for _c, t in per.values())
        if attempt.score_percent != _percent(correct, total):
            counts["wrong_score"] += 1
            problems.append(f"{email}: score {attempt.score_percent}, expected {_percent(correct, total)}")
        if outcome["cohort"] == "late" and not attempt.timed_out:
            counts["late_not_marked"] += 1
            problems.append(f"{email}: late submission not marked as timed out")
        expected_levels = {code: _level(_percent(c, t)) for code, (c, t) in per.items()}
        stored_levels = {code: r.level for code, r in results[attempt.pk].items()}
        if result_rows[attempt.pk] != len(per) or stored_levels != expected_levels:
            counts["wrong_results"] += 1
            problems.append(f"{email}: levels {stored_levels}, expected {expected_levels}")
        rows = evidence.get(str(attempt.pk), [])
        if len(rows) > len(set(rows)) or len(rows) > len(expected_levels):
            counts["duplicated_evidence"] += 1
            problems.append(f"{email}: {len(rows)} evidence rows")
        elif dict(rows) != expected_levels:
            counts["wrong_evidence"] += 1
            problems.append(f"{email}: evidence {dict(rows)}, expected {expected_levels}")
    in_progress = sum(
        1
        for attempts in attempts_by_employee.values()
        for a in attempts
        if a.status == Attempt.Status.IN_PROGRESS
    )
    return {
        "users": counts["users"],
        "stored": counts["stored"],
        "not_completed": counts["not_completed"],
        "left_in_progress": in_progress,
        "lost": counts["lost"],
        "duplicated": counts["duplicated"] + counts["duplicated_evidence"],
        "wrong_score": counts["wrong_score"],
        "wrong_results": counts["wrong_results"] + counts["wrong_page"] + counts["late_not_marked"],
        "wrong_evidence": counts["wrong_evidence"],
        "submitted_attempts": Attempt.objects.filter(
            page_id__in=pages.values(), status=Attempt.Status.SUBMITTED
        ).count(),
        "assessment_evidence": sum(len(v) for v in evidence.values()),
        "problems": problems[:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    seed_parser = sub.add_parser("seed")
    seed_parser.add_argument("--employees", type=int, default=1500)
    verify_parser = sub.add_parser("verify")
    verify_parser.add_argument("outcomes", type=Path)
    args = parser.parse_args()
    if args.command == "seed":
        print(json.dumps(seed(args.employees)))
    else:
        print(json.dumps(verify(args.outcomes)))


if __name__ == "__main__":
    main()

"""The assessments' part of ``manage.py seed_demo`` (see ``profiles/demo_contract.py``).

``seed_content`` imports the 33-question digital-literacy placement bank (OCSC areas DLit, DG
and DT, Thai with English) from ``fixtures/gift/digital-literacy-placement.gift``, publishes
the placement test and two self-assessments (DigComp 2.2 and OCSC). ``link_evidence`` turns
the history's assessment events into submitted attempts whose per-competency scores fall in
the band of the level recorded, with drawn questions answered to match, and its self-assessment
events (and the manager reviews that follow them) into self-assessments. All in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from profiles.demo.contract import DemoEvent
from profiles.models import Competency, LevelEvidence

from .bank import questions_import_gift
from .factories import assessment_page_create, home_page, self_assessment_page_create
from .models import (
    AssessmentPage,
    Attempt,
    AttemptQuestion,
    CompetencyResult,
    Question,
    QuestionCategory,
    SelfAssessment,
    SelfAssessmentPage,
    SelfAssessmentResult,
    SelfRating,
    Statement,
)

BANK_FILE = Path(settings.BASE_DIR) / "fixtures" / "gift" / "digital-literacy-placement.gift"
BANK_CATEGORY = "Placement/Digital literacy"
PLACEMENT_SLUG = "digital-literacy-placement"
DIGCOMP_SLUG = "digcomp-self-assessment"
OCSC_SELF_SLUG = "ocsc-self-assessment"
OCSC = "OCSC-2561"
DIGCOMP = "DigComp-2.2"
PLACEMENT_AREAS = ["DLit", "DG", "DT"]
QUESTIONS_PER_COMPETENCY = 10
BANDS = [(40, 1), (55, 2), (70, 3), (85, 4), (95, 5)]  # score % at or above -> OCSC level; below 40 % nothing
PENDING_DAYS = 90  # unreviewed self-assessments older than this were closed without review
NOISY_QUESTION = "DT-07"  # answered at random in the demo, so item statistics have one to flag
BANDS_FOR_PAGE = [(minimum, level) for minimum, level in BANDS]

DIGCOMP_STATEMENTS = {
    "1.1": (
        "ฉันค้นหาข้อมูลออนไลน์ด้วยคำค้นและตัวกรองที่เหมาะสมได้",
        "I can search for information online with suitable terms and filters",
    ),
    "1.2": (
        "ฉันตรวจสอบความน่าเชื่อถือของข้อมูลและแหล่งที่มาได้",
        "I can judge whether information and its source are reliable",
    ),
    "1.3": (
        "ฉันจัดเก็บและจัดระเบียบไฟล์และข้อมูลให้ค้นหาได้ง่าย",
        "I can store and organise files and data so they are easy to find",
    ),
    "2.1": (
        "ฉันสื่อสารกับผู้อื่นผ่านอีเมล แชต และการประชุมออนไลน์ได้",
        "I can communicate by e-mail, chat and online meetings",
    ),
    "2.2": (
        "ฉันแบ่งปันไฟล์และข้อมูลพร้อมกำหนดสิทธิ์การเข้าถึงได้",
        "I can share files and data and set who may open them",
    ),
    "2.3": ("ฉันใช้บริการภาครัฐออนไลน์ได้", "I can use online public services"),
    "2.4": ("ฉันทำงานร่วมกับผู้อื่นบนเอกสารออนไลน์เดียวกันได้", "I can work with others on one online document"),
    "2.5": (
        "ฉันสื่อสารออนไลน์อย่างสุภาพและเหมาะสมกับผู้รับ",
        "I can communicate online politely and suitably for the audience",
    ),
    "2.6": ("ฉันดูแลตัวตนและชื่อเสียงของตนเองบนโลกออนไลน์ได้", "I can manage my digital identity and reputation"),
    "3.1": (
        "ฉันสร้างเอกสาร งานนำเสนอ หรือสื่อดิจิทัลได้",
        "I can create documents, presentations or other digital content",
    ),
    "3.2": (
        "ฉันปรับปรุงและนำเนื้อหาที่มีอยู่มารวมเป็นงานใหม่ได้",
        "I can adapt and combine existing content into new work",
    ),
    "3.3": (
        "ฉันใช้ผลงานของผู้อื่นโดยเคารพลิขสิทธิ์และสัญญาอนุญาต",
        "I can use others' work while respecting copyright and licences",
    ),
    "3.4": (
        "ฉันเขียนสูตร มาโคร หรือโปรแกรมง่าย ๆ เพื่อให้คอมพิวเตอร์ทำงานแทนได้",
        "I can write formulas, macros or simple programs to automate tasks",
    ),
    "4.1": (
        "ฉันป้องกันอุปกรณ์ด้วยการอัปเดต รหัสผ่าน และโปรแกรมป้องกันได้",
        "I can protect devices with updates, passwords and security software",
    ),
    "4.2": (
        "ฉันปกป้องข้อมูลส่วนบุคคลของตนเองและผู้รับบริการได้",
        "I can protect my own and service users' personal data",
    ),
    "4.3": (
        "ฉันใช้เทคโนโลยีโดยไม่กระทบสุขภาพกายและใจ",
        "I can use technology without harming my physical and mental health",
    ),
    "4.4": (
        "ฉันใช้เทคโนโลยีอย่างคำนึงถึงผลกระทบต่อสิ่งแวดล้อม",
        "I can use technology with its environmental impact in mind",
    ),
    "5.1": ("ฉันแก้ปัญหาทางเทคนิคที่พบบ่อยได้ด้วยตนเอง", "I can solve common technical problems myself"),
    "5.2": ("ฉันเลือกเครื่องมือดิจิทัลที่เหมาะกับงานได้", "I can choose digital tools that fit a task"),
    "5.3": ("ฉันใช้เทคโนโลยีดิจิทัลปรับปรุงวิธีทำงานได้", "I can use digital technology to improve how work is done"),
    "5.4": (
        "ฉันรู้ว่าตนเองต้องพัฒนาทักษะดิจิทัลด้านใด และหาโอกาสเรียนรู้ได้",
        "I know which digital skills I need to develop and how to learn them",
    ),
}
OCSC_STATEMENTS = {
    "DLit": (
        "ฉันใช้เครื่องมือดิจิทัลพื้นฐานในงานประจำได้อย่างคล่องแคล่ว",
        "I use the basic digital tools of my daily work fluently",
    ),
    "DG": (
        "ฉันปฏิบัติงานโดยเคารพกฎหมาย นโยบาย และมาตรฐานด้านดิจิทัลและข้อมูล",
        "I work within digital and data laws, policies and standards",
    ),
    "DT": (
        "ฉันเข้าใจและใช้เทคโนโลยีดิจิทัลเพื่อยกระดับงานของหน่วยงานได้",
        "I understand and apply digital technology to improve my agency's work",
    ),
    "DS": (
        "ฉันออกแบบกระบวนการและบริการให้ทำได้ผ่านช่องทางดิจิทัล",
        "I design processes and services that work through digital channels",
    ),
    "SPM": (
        "ฉันวางแผนและบริหารโครงการดิจิทัลให้สำเร็จตามเป้าหมาย",
        "I plan and manage digital projects to their goals",
    ),
    "DL": (
        "ฉันนำทีมและผลักดันการเปลี่ยนแปลงสู่องค์กรดิจิทัล",
        "I lead teams and drive the change to a digital organisation",
    ),
}


def seed_content(*, stdout, rng: random.Random) -> None:
    """The placement test (30 of 33 questions drawn) and the DigComp and OCSC self-assessments."""
    ocsc = {c.code: c for c in Competency.objects.filter(framework__code=OCSC)}
    digcomp = {c.code: c for c in Competency.objects.filter(framework__code=DIGCOMP)}
    if not QuestionCategory.objects.filter(name=BANK_CATEGORY).exists():
        created = questions_import_gift(data=BANK_FILE.read_bytes())
        stdout(f"Question bank: {len(created)} placement questions imported from {BANK_FILE.name}")
    category = QuestionCategory.objects.get(name=BANK_CATEGORY)
    home = home_page()
    if not AssessmentPage.objects.filter(slug=PLACEMENT_SLUG).exists():
        assessment_page_create(
            title="แบบทดสอบวัดระดับความรอบรู้ดิจิทัล",
            slug=PLACEMENT_SLUG,
            intro=(
                "<p>แบบทดสอบ 30 ข้อ วัดสมรรถนะดิจิทัลตามกรอบ ก.พ. 3 ด้าน: ความเข้าใจและใช้เทคโนโลยีดิจิทัล "
                "การกำกับและปฏิบัติตามกฎหมาย และเทคโนโลยีดิจิทัล ผลของแต่ละด้านบันทึกเป็นหลักฐานระดับสมรรถนะ</p>"
                "<p>A 30-question placement test over three OCSC areas: Digital Literacy, Digital "
                "Governance and Digital Technology. Each area's score evidences a level.</p>"
            ),
            competencies=[ocsc[code] for code in PLACEMENT_AREAS],
            parent=home,
            time_limit_minutes=45,
            max_attempts=None,
            pass_mark_percent=Decimal(60),
            shuffle_questions=True,
            shuffle_choices=True,
            draw=[(category, QUESTIONS_PER_COMPETENCY, ocsc[code]) for code in PLACEMENT_AREAS],
            bands=BANDS_FOR_PAGE,
        )
        stdout("Assessment: digital-literacy placement test published")
    if digcomp and not SelfAssessmentPage.objects.filter(slug=DIGCOMP_SLUG).exists():
        self_assessment_page_create(
            title="ประเมินตนเองด้านทักษะดิจิทัล (DigComp 2.2)",
            slug=DIGCOMP_SLUG,
            intro="<p>อ่านข้อความ “ฉัน...” แต่ละข้อ แล้วเลือกระดับที่ตรงกับตัวคุณในวันนี้ ผู้บังคับบัญชาจะยืนยันหรือปรับระดับให้</p>",
            statements=[
                (digcomp[code], *DIGCOMP_STATEMENTS[code]) for code in DIGCOMP_STATEMENTS if code in digcomp
            ],
            parent=home,
        )
        stdout("Self-assessment: DigComp 2.2 published")
    if ocsc and not SelfAssessmentPage.objects.filter(slug=OCSC_SELF_SLUG).exists():
        self_assessment_page_create(
            title="ประเมินตนเองตามสมรรถนะดิจิทัลของ ก.พ.",
            slug=OCSC_SELF_SLUG,
            intro="<p>ประเมินตนเองในสมรรถนะดิจิทัล 6 ด้านตามกรอบของสำนักงาน ก.พ.</p>",
            statements=[(ocsc[code], *OCSC_STATEMENTS[code]) for code in OCSC_STATEMENTS if code in ocsc],
            parent=home,
            level_dont_know=1,
            level_with_help=2,
            level_on_my_own=3,
            level_with_confidence=4,
        )
        stdout("Self-assessment: OCSC published")


def _band_score(level: int, rng: random.Random) -> Decimal:
    """A competency score inside the band that evidences ``level``, on a ten-question grid."""
    low = dict((lv, m) for m, lv in BANDS)[level]
    high = next((m for m, lv in BANDS if lv == level + 1), 101)
    grid = [p for p in range(0, 101, 10) if low <= p < high] or [low]
    return Decimal(rng.choice(grid))


def _outcomes(drawn: list[tuple[Question, list]], right_count: int, rng: random.Random) -> list[bool]:
    """Which drawn questions were answered right: ``right_count`` of them, the easier ones more
    often; the noisy question is right or wrong at random, whatever the candidate's level."""
    outcomes = [False] * len(drawn)
    noisy = next((i for i, (q, _c) in enumerate(drawn) if q.name == NOISY_QUESTION), None)
    if noisy is not None and 0 < right_count < len(drawn) and rng.random() < 0.5:
        outcomes[noisy] = True
        right_count -= 1
    order = sorted(
        (i for i in range(len(drawn)) if i != noisy or outcomes[i] is False and right_count == len(drawn)),
        key=lambda i: drawn[i][0].difficulty + rng.random() * 2,
    )
    for i in order[:right_count]:
        outcomes[i] = True
    return outcomes


def _answer(question: Question, choices: list, right: bool, rng: random.Random) -> dict | None:
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        pool = [c for c in choices if (c.weight == 100) == right] or choices
        return {"choice": rng.choice(pool).pk}
    if kind == Question.Kind.MULTIPLE:
        good = [c.pk for c in choices if c.weight > 0]
        return (
            {"choices": good}
            if right
            else {"choices": good[:1] + [c.pk for c in choices if c.weight < 0][:1]}
        )
    if kind == Question.Kind.NUMERIC:
        return {"text": f"{choices[0].number.normalize():f}"} if right else {"text": "0"}
    if kind == Question.Kind.SHORT_TEXT:
        return {"text": choices[0].text_th} if right else {"text": "ไม่ทราบ"}
    lefts = [c for c in choices if c.text_th or c.text_en]
    if right:
        return {"pairs": {str(c.pk): c.pk for c in lefts}}
    return {"pairs": {str(c.pk): lefts[(i + 1) % len(lefts)].pk for i, c in enumerate(lefts)}}


def link_evidence(events: list[DemoEvent], *, rng: random.Random, stdout) -> None:
    _link_attempts(events, rng=rng, stdout=stdout)
    _link_self_assessments(events, rng=rng, stdout=stdout)


def _link_attempts(events: list[DemoEvent], *, rng: random.Random, stdout) -> None:
    page = AssessmentPage.objects.filter(slug=PLACEMENT_SLUG).first()
    if page is None:
        return
    measured = {c.pk: c for c in page.competencies.all()}
    by_competency: dict[int, list[tuple[Question, list]]] = defaultdict(list)
    for question in Question.objects.filter(competency_id__in=measured, is_active=True).prefetch_related(
        "choices"
    ):
        by_competency[question.competency_id].append((question, list(question.choices.all())))
    groups: dict[tuple, list[DemoEvent]] = defaultdict(list)
    for event in events:
        if event.source == LevelEvidence.Source.ASSESSMENT and event.competency_id in measured:
            group = groups[(event.employee_id, event.observed_at)]
            if all(other.competency_id != event.competency_id for other in group):
                group.append(event)
    if not groups:
        return
    numbers: dict[int, int] = defaultdict(int)
    attempts, plans = [], []
    for (employee_id, observed_at), group in sorted(groups.items(), key=lambda item: item[0][1]):
        numbers[employee_id] += 1
        started = observed_at - dt.timedelta(minutes=rng.randint(15, 40))
        scores = {event.competency_id: _band_score(event.level, rng) for event in group}
        total = sum(scores.values()) / len(scores)
        attempts.append(
            Attempt(
                page=page,
                employee_id=employee_id,
                number=numbers[employee_id],
                status=Attempt.Status.SUBMITTED,
                started_at=started,
                deadline=started + dt.timedelta(minutes=page.time_limit_minutes or 45),
                submitted_at=observed_at,
                score_percent=total.quantize(Decimal("0.01")),
                passed=total >= page.pass_mark_percent,
            )
        )
        plans.append((group, scores))
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    content_type = ContentType.objects.get_for_model(Attempt)
    rows, results = [], []
    for attempt, (group, scores) in zip(attempts, plans, strict=True):
        position = 0
        for event in group:
            pool = by_competency[event.competency_id]
            drawn = rng.sample(pool, min(QUESTIONS_PER_COMPETENCY, len(pool)))
            right_count = round(float(scores[event.competency_id]) * len(drawn) / 100)
            outcomes = _outcomes(drawn, right_count, rng)
            for (question, choices), right in zip(drawn, outcomes, strict=True):
                position += 1
                rows.append(
                    AttemptQuestion(
                        attempt_id=attempt.pk,
                        question_id=question.pk,
                        position=position,
                        choice_order=[c.pk for c in choices],
                        match_order=[c.pk for c in choices]
                        if question.kind == Question.Kind.MATCHING
                        else [],
                        response=_answer(question, choices, right, rng),
                        saved_at=attempt.submitted_at,
                        score=Decimal(1 if right else 0),
                    )
                )
            results.append(
                CompetencyResult(
                    attempt_id=attempt.pk,
                    competency_id=event.competency_id,
                    score_percent=scores[event.competency_id],
                    question_count=len(drawn),
                    level=event.level,
                )
            )
            event.source_content_type_id = content_type.pk
            event.source_object_id = str(attempt.pk)
            event.source_label = f"{page.title} #{attempt.number}"
    AttemptQuestion.objects.bulk_create(rows, batch_size=5000)
    CompetencyResult.objects.bulk_create(results, batch_size=5000)
    stdout(f"Assessments: {len(attempts)} submitted attempts, {len(rows)} answered questions")


def _nearest_point(page: SelfAssessmentPage, level: int) -> int:
    return min((1, 2, 3, 4), key=lambda point: (abs(page.level_for_point(point) - level), point))


def _link_self_assessments(events: list[DemoEvent], *, rng: random.Random, stdout) -> None:
    pages = {
        DIGCOMP: SelfAssessmentPage.objects.filter(slug=DIGCOMP_SLUG).first(),
        OCSC: SelfAssessmentPage.objects.filter(slug=OCSC_SELF_SLUG).first(),
    }
    statements: dict[tuple[int, int], list[Statement]] = defaultdict(list)
    for page in pages.values():
        if page is not None:
            for statement in page.statements.all():
                statements[(page.pk, statement.competency_id)].append(statement)
    groups: dict[tuple, list[DemoEvent]] = defaultdict(list)
    reviews: list[DemoEvent] = []
    for event in events:
        page = pages.get(event.framework_code)
        if page is None:
            continue
        if event.source == LevelEvidence.Source.SELF_ASSESSMENT:
            group = groups[(page.pk, event.employee_id, event.observed_at)]
            if all(other.competency_id != event.competency_id for other in group):
                group.append(event)
        elif event.source == LevelEvidence.Source.MANAGER_REVIEW:
            reviews.append(event)
    if not groups:
        return
    page_by_id = {p.pk: p for p in pages.values() if p is not None}
    keys = sorted(groups, key=lambda key: key[2])
    submissions = {
        key: SelfAssessment(
            page_id=key[0], employee_id=key[1], submitted_at=key[2], status=SelfAssessment.Status.PENDING
        )
        for key in keys
    }
    # A manager review follows the employee's latest self-assessment of that competency.
    latest: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for key in keys:
        for event in groups[key]:
            latest[(event.employee_id, event.competency_id)].append(key)
    reviewed_levels: dict[tuple, dict[int, DemoEvent]] = defaultdict(dict)
    for review in sorted(reviews, key=lambda e: e.observed_at):
        candidates = [
            k
            for k in latest.get((review.employee_id, review.competency_id), [])
            if k[2] <= review.observed_at
        ]
        if not candidates:
            continue
        key = candidates[-1]
        if review.competency_id in reviewed_levels[key]:
            continue  # one review per competency and self-assessment
        submission = submissions[key]
        submission.status = SelfAssessment.Status.REVIEWED
        submission.reviewed_at = review.observed_at
        submission.reviewed_by_id = review.recorded_by_id
        submission.review_note = review.note
        reviewed_levels[key][review.competency_id] = review
    # Only a recent unreviewed self-assessment (the latest per person and page) is still waiting;
    # older ones were closed without review.
    waiting_since = timezone.now() - dt.timedelta(days=PENDING_DAYS)
    last_pending: dict[tuple[int, int], tuple] = {}
    for key in keys:
        if submissions[key].status == SelfAssessment.Status.PENDING:
            previous = last_pending.get((key[0], key[1]))
            if previous is not None:
                submissions[previous].status = SelfAssessment.Status.CLOSED
            last_pending[(key[0], key[1])] = key
    for key in last_pending.values():
        if key[2] < waiting_since:
            submissions[key].status = SelfAssessment.Status.CLOSED
    SelfAssessment.objects.bulk_create([submissions[key] for key in keys], batch_size=2000)
    content_type = ContentType.objects.get_for_model(SelfAssessment)
    ratings, results = [], []
    for key in keys:
        submission, page = submissions[key], page_by_id[key[0]]
        for event in groups[key]:
            review = reviewed_levels[key].get(event.competency_id)
            results.append(
                SelfAssessmentResult(
                    self_assessment_id=submission.pk,
                    competency_id=event.competency_id,
                    self_level=event.level,
                    manager_level=review.level if review else None,
                )
            )
            for statement in statements[(page.pk, event.competency_id)]:
                ratings.append(
                    SelfRating(
                        self_assessment_id=submission.pk,
                        statement_id=statement.pk,
                        point=_nearest_point(page, event.level),
                    )
                )
            for linked in (event, review):
                if linked is not None:
                    linked.source_content_type_id = content_type.pk
                    linked.source_object_id = str(submission.pk)
                    linked.source_label = page.title
    SelfAssessmentResult.objects.bulk_create(results, batch_size=5000)
    SelfRating.objects.bulk_create(ratings, batch_size=5000)
    stdout(f"Self-assessments: {len(keys)} submissions with {len(ratings)} ratings")

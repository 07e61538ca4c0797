"""GIFT import and export: every construct, broken files with line numbers, round trip, admin view."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.bank import questions_export_gift, questions_import_gift
from assessments.gift import GiftError, gift_decode, gift_parse
from assessments.models import Choice, Question

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "gift" / "every-construct.gift"


def parsed():
    return {q.name: q for q in gift_parse(SAMPLE.read_text(encoding="utf-8"))}


def test_every_construct_is_read():
    questions = parsed()
    capital = questions["Capital"]
    assert (capital.kind, capital.category, capital.competency, capital.difficulty) == (
        "single", "Samples/Basics", "TEST/A1.1", 1,
    )  # fmt: skip
    assert (capital.text_th, capital.text_en) == (
        "เมืองหลวงของประเทศไทยคือเมืองใด",
        "What is the capital of Thailand?",
    )
    assert [(c.text_th, c.text_en, c.weight, c.feedback_th) for c in capital.choices][0] == (
        "กรุงเทพมหานคร", "Bangkok", 100, "ถูกต้อง",
    )  # fmt: skip
    assert capital.general_feedback_th == "เมืองหลวงคือกรุงเทพมหานคร"

    assert questions["Strong passwords"].kind == "multiple"
    assert [c.weight for c in questions["Strong passwords"].choices] == [50, 50, -100, -100]

    phishing = questions["Phishing TF"]
    assert phishing.kind == "true_false"
    true, false = phishing.choices
    assert (true.weight, true.feedback_th) == (100, "Right: never give your password by e-mail.")
    assert (false.weight, false.feedback_th) == (0, "Think again: banks never ask for it.")
    assert [c.weight for c in questions["False one"].choices] == [0, 100]

    short = questions["Short"]
    assert short.kind == "short_text"
    assert [(c.text_th, c.weight) for c in short.choices] == [
        ("Ctrl+C", 100),
        ("Control+C", 100),
        ("Ctrl C", 50),
    ]
    assert (
        questions["Fill in"].text_th == "The file extension of a Word document is _____ in recent versions."
    )

    assert [(c.number, c.tolerance) for c in questions["Pi"].choices] == [(Decimal("3.14"), Decimal("0.005"))]
    assert [(c.number, c.tolerance) for c in questions["Range"].choices] == [(3, 2)]
    multi = questions["Multi numeric"].choices
    assert [(c.number, c.weight, c.feedback_th) for c in multi] == [
        (2019, 100, "Correct"), (2562, 50, "That is the Buddhist Era year"),
    ]  # fmt: skip

    matching = questions["Matching"]
    assert matching.kind == "matching"
    assert [(c.text_th, c.match_th) for c in matching.choices][2:] == [
        ("ไฟร์วอลล์", "ตัวกรองการรับส่งข้อมูลในเครือข่าย"), ("", "a type of printer"),
    ]  # fmt: skip
    assert matching.choices[2].match_en == "a filter for network traffic"

    escapes = questions["Escapes: all of them"]
    assert escapes.category == "Samples/Escapes"
    assert escapes.text_th == "Characters ~ = # { } : are special in GIFT.\nSecond line."
    assert escapes.choices[0].text_th == "The tilde ~ and equals = signs"
    assert escapes.choices[1].feedback_th == "Wrong # really"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("::A::Fine {=a ~b}\n\n::B::Broken {=a ~b\n\n", 3, "never closed"),
        ("// comment\n\nQuestion without answers\n", 3, "descriptions are not supported"),
        ("::A::Essay {}\n", 1, "essay"),
        ("::A::Two {=a ~b} and {=c}\n", 1, "only one answer block"),
        ("::A:: ok {=a ~b}\n\n\n::B::\nLine two\n{~%150%a ~b}\n", 6, "outside -100% .. 100%"),
        ("::A::Numbers {#abc:1}\n", 1, "not a number"),
        ("::A::Range {#5..1}\n", 1, "runs backwards"),
        ("::A::Pairs {=a -> 1 ~b -> 2}\n", 1, "start with ="),
        ("::A::One pair {=a -> 1}\n", 1, "at least two pairs"),
        ("::A::Multi {~%50%a ~%20%b ~c}\n", 1, "add up to 100%"),
        ("::A::Q {=a ~b}\n// no blank line before B\n::B:: {=x ~y}\n", 3, "only one answer block"),
        ("// [tag:difficulty=9]\n::B:: Q {=x ~y}\n", 2, "between 1 and 5"),
        ("", 1, "no questions"),
    ],
)
def test_broken_files_are_refused_with_the_line_and_reason(text, line, reason):
    with pytest.raises(GiftError) as caught:
        gift_parse(text)
    first_line, first_reason = caught.value.problems[0]
    assert first_line == line
    assert reason in first_reason


def test_every_bad_question_is_reported_not_just_the_first():
    with pytest.raises(GiftError) as caught:
        gift_parse("::A:: {=a ~b\n\n::B:: ok {=a ~b}\n\n::C:: {#x}\n")
    assert [line for line, _reason in caught.value.problems] == [1, 5]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("::A::ภาษาไทย {=ก ~ข}".encode("cp874"), "not UTF-8"),
        ("::A::Q {=a ~b}".encode("utf-16"), "UTF-16"),
    ],
)
def test_wrong_encoding_is_refused(data, reason):
    with pytest.raises(GiftError, match=reason):
        gift_decode(data)


def test_utf8_with_bom_is_accepted():
    assert gift_decode("\ufeff::A::ไทย {=ก ~ข}".encode()) == "::A::ไทย {=ก ~ข}"


def snapshot():
    return sorted(
        (
            q.category.name, q.name, q.kind, q.text_th, q.text_en, q.competency.code, q.difficulty,
            q.general_feedback_th, q.general_feedback_en,
            tuple(
                (c.text_th, c.text_en, c.match_th, c.match_en, c.weight, c.number, c.tolerance, c.feedback_th,
                 c.feedback_en)
                for c in q.choices.all()
            ),
        )
        for q in Question.objects.select_related("category", "competency").prefetch_related("choices")
    )  # fmt: skip


@pytest.mark.django_db
def test_import_then_export_then_import_gives_the_same_questions(competencies):
    created = questions_import_gift(data=SAMPLE.read_bytes(), default_competency=competencies["A1.2"])
    assert len(created) == 11
    assert Question.objects.get(name="Capital").competency == competencies["A1.1"]
    assert Question.objects.get(name="Short").competency == competencies["A1.2"]
    before = snapshot()
    exported = questions_export_gift()
    Choice.objects.all().delete()
    Question.objects.all().delete()
    questions_import_gift(data=exported.encode("utf-8"))
    assert snapshot() == before


@pytest.mark.django_db
def test_a_bad_file_stores_nothing(competencies):
    text = SAMPLE.read_text(encoding="utf-8") + "\n\n::Bad:: {=a -> 1}\n"
    with pytest.raises(GiftError):
        questions_import_gift(data=text.encode(), default_competency=competencies["A1.1"])
    with pytest.raises(GiftError, match="unknown competency NOPE/1"):
        questions_import_gift(data=b"// [tag:competency=NOPE/1]\n::A:: Q {=a ~b}\n", default_category="X")
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_admin_import_and_export(client, ada, eddie, competencies, oscar):
    url = reverse("assessments_gift:index")
    client.force_login(eddie)  # a content editor alone: neither the import nor the answer keys
    assert client.get(url).status_code == 302
    assert client.get(reverse("assessments_gift:export")).status_code == 302
    client.force_login(ada)
    upload = SimpleUploadedFile("bank.gift", SAMPLE.read_bytes())
    response = client.post(url, {"file": upload, "competency": competencies["A1.2"].pk, "difficulty": 3})
    assert response.status_code == 302
    assert Question.objects.count() == 11
    bad = SimpleUploadedFile("bad.gift", "::A:: ไทย {=ก ~ข".encode("cp874"))
    response = client.post(url, {"file": bad, "difficulty": 3})
    assert response.context["problems"] == [
        (1, "ไฟล์ไม่ใช่ข้อความ UTF-8 (อาจเป็น TIS-620 หรือ Windows-874) กรุณาบันทึกเป็น UTF-8")
    ]
    assert "บรรทัด 1" in response.content.decode()
    assert Question.objects.count() == 11
    exported = client.get(reverse("assessments_gift:export")).content.decode()
    assert "::Capital::" in exported and "[tag:competency=TEST/A1.1]" in exported
    client.force_login(oscar)
    assert client.get(url).status_code in (302, 403)

"""GIFT import and export, read as Moodle's parser (question/format/gift/format.php) reads it: every
construct, text formats, catch-alls, skipped questions, broken files with line numbers, bad uploads,
round trips (ours and a file written the way Moodle writes it), and the admin page."""

import codecs
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.bank import questions_export_gift, questions_import_gift
from assessments.gift import MAX_BYTES, SKIP_DESCRIPTION, SKIP_ESSAY, GiftError, gift_decode, gift_parse
from assessments.models import Choice, Question, QuestionCategory

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "gift"
SAMPLE = FIXTURES / "every-construct.gift"
MOODLE_EXPORT = FIXTURES / "moodle-export.gift"


def parsed(path=SAMPLE):
    return {q.name: q for q in gift_parse(path.read_text(encoding="utf-8")).questions}


def one(text):
    """The only question of a GIFT snippet."""
    (question,) = gift_parse(text).questions
    return question


# --- Every construct, one test each -------------------------------------------------------------


def test_multiple_choice_with_answer_feedback_and_general_feedback():
    capital = parsed()["Capital"]
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


def test_multiple_response_weights():
    assert parsed()["Strong passwords"].kind == "multiple"
    assert [c.weight for c in parsed()["Strong passwords"].choices] == [50, 50, -100, -100]


def test_true_false_with_wrong_then_right_feedback():
    phishing = parsed()["Phishing TF"]
    assert phishing.kind == "true_false"
    true, false = phishing.choices
    assert (true.weight, true.feedback_th) == (100, "Right: never give your password by e-mail.")
    assert (false.weight, false.feedback_th) == (0, "Think again: banks never ask for it.")
    assert [c.weight for c in parsed()["False one"].choices] == [0, 100]


def test_true_false_words_are_the_capitals_moodle_checks():
    # Moodle compares with T, TRUE, F and FALSE exactly: {true} is a short answer "true".
    assert one("::A:: Q {F}").kind == "true_false"
    lower = one("::A:: Q {true}")
    assert (lower.kind, lower.choices[0].text_th) == ("short_text", "true")


def test_short_answer_weights_and_missing_word():
    short = parsed()["Short"]
    assert short.kind == "short_text"
    assert [(c.text_th, c.weight) for c in short.choices] == [
        ("Ctrl+C", 100),
        ("Control+C", 100),
        ("Ctrl C", 50),
    ]
    assert (
        parsed()["Fill in"].text_th == "The file extension of a Word document is _____ in recent versions."
    )


def test_short_answer_catch_all_and_wildcard():
    wildcard = parsed()["Wildcard"]
    assert [(c.text_th, c.weight, c.feedback_th) for c in wildcard.choices] == [
        ("HTTPS", 100, "Yes."), ("http*", 50, "Secure? Add the S."), ("*", 0, "Look at the address bar."),
    ]  # fmt: skip


def test_numerical_tolerance_range_and_several_answers_with_feedback():
    questions = parsed()
    assert [(c.number, c.tolerance) for c in questions["Pi"].choices] == [(Decimal("3.14"), Decimal("0.005"))]
    assert [(c.number, c.tolerance) for c in questions["Range"].choices] == [(3, 2)]
    multi = questions["Multi numeric"].choices
    assert [(c.number, c.weight, c.feedback_th) for c in multi] == [
        (2019, 100, "Correct"), (2562, 50, "That is the Buddhist Era year"),
    ]  # fmt: skip


def test_numerical_feedback_on_wrong_answers_after_the_tilde():
    choices = parsed()["Wrong feedback"].choices
    assert [(c.number, c.text_th, c.weight, c.feedback_th) for c in choices] == [
        (8, "", 100, ""), (None, "*", 0, "A byte is eight bits."),
    ]  # fmt: skip


def test_numerical_zero_percent_catch_all():
    choices = parsed()["Catch-alls"].choices
    assert [(c.number, c.weight, c.feedback_th) for c in choices] == [
        (366, 100, "Right."),
        (365, 50, "That is an ordinary year."),
        (None, 0, "Count the 29th of February."),
    ]  # fmt: skip
    assert one("::A:: Q {#=5 =%0%*#No}").choices[1].text_th == "*"


def test_matching_pairs_and_a_distractor():
    matching = parsed()["Matching"]
    assert matching.kind == "matching"
    assert [(c.text_th, c.match_th) for c in matching.choices][2:] == [
        ("ไฟร์วอลล์", "ตัวกรองการรับส่งข้อมูลในเครือข่าย"), ("", "a type of printer"),
    ]  # fmt: skip
    assert matching.choices[2].match_en == "a filter for network traffic"


def test_escapes():
    escapes = parsed()["Escapes: all of them"]
    assert escapes.category == "Samples/Escapes"
    assert escapes.text_th == "Characters ~ = # { } : are special in GIFT.\nSecond line."
    assert escapes.choices[0].text_th == "The tilde ~ and equals = signs"
    assert escapes.choices[1].feedback_th == "Wrong # really"


def test_question_text_formats():
    questions = parsed()
    assert (questions["Formats"].text_format, questions["Formats"].text_th) == (
        "html", "<p>Which tag makes text <strong>bold</strong>?</p>",
    )  # fmt: skip
    assert (questions["Markdown text"].text_format, questions["Markdown text"].text_th) == (
        "markdown", "Which list is **numbered**?",
    )  # fmt: skip
    assert (questions["Plain text"].text_format, questions["Plain text"].text_th) == ("plain", "Is 2 < 3?")
    assert questions["Short"].text_format == "moodle"  # no marker: Moodle's own format
    assert one("::A::[moodle]Q {=a ~b}").text_format == "moodle"
    # A word in brackets that is not a format is text, as in Moodle.
    assert (one("::A::[draft] Q {=a ~b}").text_th, one("::A::[HTML]Q {=a ~b}").text_format) == (
        "[draft] Q", "moodle",
    )  # fmt: skip


def test_answer_and_feedback_formats_default_to_the_question_format():
    right, wrong = parsed()["Formats"].choices
    assert (right.text_format, right.feedback_format, right.feedback_th) == (
        "html", "markdown", "**Yes**, or `<strong>`.",
    )  # fmt: skip
    assert (wrong.text_th, wrong.text_format, wrong.feedback_format) == ("<i>", "plain", "html")
    formats = parsed()["Formats"]
    assert (formats.general_feedback_format, formats.general_feedback_th) == (
        "plain", "HTML has both <b> and <strong>.",
    )  # fmt: skip
    assert parsed()["Markdown text"].choices[0].feedback_format == "markdown"


def test_markers_never_stay_in_the_text():
    for question in parsed(MOODLE_EXPORT).values():
        texts = [question.text_th, question.general_feedback_th]
        texts += [t for c in question.choices for t in (c.text_th, c.feedback_th, c.match_th)]
        assert not any(t.startswith(("[html]", "[plain]", "[markdown]", "[moodle]")) for t in texts)


def test_general_feedback_is_the_last_four_hashes():
    question = one("::A:: Q {=a ~b ####first #### second}")
    assert question.general_feedback_th == "second"


def test_categories_comments_ids_and_tags():
    text = (
        "// question: 0  name: Switch category to $course$/top/Default for A//B/Sub\n"
        "$CATEGORY: $course$/top/Default for A//B/Sub\n\n"
        "// question: 7  name: Q1\n"
        "// [id:Q\\]1] [tag:competency=TEST/A1.1] [tag:difficulty=4] [tag:phishing]\n"
        "::Q1::Which? {\n// a comment inside the question\n=a\n~b\n}\n\n"
        "// [tag:competency=TEST/A2.1]\n\n"  # separated by a blank line: belongs to no question
        "::Q2::Other? {=a ~b}\n"
    )
    first, second = gift_parse(text).questions
    assert (first.category, first.idnumber, first.competency, first.difficulty, first.tags) == (
        "Default for A//B/Sub", "Q]1", "TEST/A1.1", 4, ["phishing"],
    )  # fmt: skip
    assert [c.text_th for c in first.choices] == ["a", "b"]
    assert (second.category, second.competency) == ("Default for A//B/Sub", "")


def test_multi_language_text():
    assert parsed()["Capital"].choices[0].text_en == "Bangkok"
    assert one("::A::\\{mlang en\\}Only English\\{mlang\\} {=a ~b}").text_en == "Only English"


# --- Unsupported is not malformed ---------------------------------------------------------------


def test_descriptions_and_essays_are_skipped_with_line_and_reason():
    gift = gift_parse(SAMPLE.read_text(encoding="utf-8"))
    assert [(s.line, s.name, s.kind) for s in gift.skipped] == [
        (81, "Essay", SKIP_ESSAY), (83, "Description", SKIP_DESCRIPTION),
    ]  # fmt: skip
    assert "marking by a person" in gift.skipped[0].reason
    assert len(gift.questions) == 17


@pytest.mark.django_db
def test_skipped_questions_leave_the_rest_imported_in_one_transaction(competencies):
    result = questions_import_gift(data=MOODLE_EXPORT.read_bytes())
    assert len(result.created) == 6
    skipped = [(s.line, s.name) for s in result.skipped]
    assert skipped == [(56, "Describe a breach"), (59, "About this section")]
    assert Question.objects.count() == 6
    assert QuestionCategory.objects.get().name == "Default for DIGI101/Safety"


@pytest.mark.django_db
def test_a_malformed_question_refuses_the_whole_file_with_each_line(competencies):
    text = MOODLE_EXPORT.read_text(encoding="utf-8") + "\n\n::Bad:: {=a -> 1}\n\n::Worse:: {#x}\n"
    with pytest.raises(GiftError) as caught:
        questions_import_gift(data=text.encode())
    assert [line for line, _reason in caught.value.problems] == [63, 65]
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("::A::Fine {=a ~b}\n\n::B::Broken {=a ~b\n\n", 3, "never closed"),
        ("::A::Two {=a ~b} and {=c}\n", 1, "only one answer block"),
        ("::A:: stray } here {=a ~b}\n", 1, "no { before it"),
        ("::A:: ok {=a ~b}\n\n\n::B::\nLine two\n{~%150%a ~b}\n", 6, "outside -100% .. 100%"),
        ("::A::Numbers {#abc:1}\n", 1, "not a number"),
        ("::A::Range {#5..1}\n", 1, "runs backwards"),
        ("::A::No numbers {#}\n", 1, "at least one answer"),
        ("::A::One pair {=a -> 1}\n", 1, "at least two pairs"),
        ("::A::Multi {~%50%a ~%20%b ~c}\n", 1, "add up to 100%"),
        ("::A::Q {=a ~b}\n// no blank line before B\n::B:: {=x ~y}\n", 3, "only one answer block"),
        ("// [tag:difficulty=9]\n::B:: Q {=x ~y}\n", 2, "between 1 and 5"),
        ("::Unclosed title Q {=a ~b}\n", 1, "never closed"),
        ("$CATEGORY: $course$/top/\n\n::A:: Q {=a ~b}\n", 1, "names no category"),
        ("// only a comment\n", 1, "no questions"),
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


def test_pairs_with_a_tilde_are_multiple_choice_as_in_moodle():
    # Moodle looks for ~ before ->: these are two options whose text holds an arrow.
    question = one("::A::Pairs {=a -> 1 ~b -> 2}")
    assert (question.kind, [c.text_th for c in question.choices]) == ("single", ["a -> 1", "b -> 2"])


# --- Bad uploads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "not a text file"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not a text file"),
        ("::A::ภาษาไทย {=ก ~ข}".encode()[:-5] + b"\xe0\xb8", "cut off"),
        (b"::A:: caf\xc3\xa9 \xe0\xb8\x81\xe0\xb8\x82 \xff {=a ~b}", "damaged character"),
        (b"::A:: " + b"x" * MAX_BYTES, "at most 5 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(data, reason):
    with pytest.raises(GiftError) as caught:
        gift_decode(data)
    assert reason in caught.value.problems[0][1]


@pytest.mark.parametrize(
    "data",
    [
        "::A::ภาษาไทย {=ก ~ข}".encode("utf-16"),  # with a byte-order mark, as Notepad's "Unicode"
        codecs.BOM_UTF16_BE + "::A::ภาษาไทย {=ก ~ข}".encode("utf-16-be"),
        "::A::ภาษาไทย {=ก ~ข}".encode("utf-16-le"),  # without one
        "::A::ภาษาไทย {=ก ~ข}".encode("cp874"),  # Thai Windows ("ANSI")
        "\ufeff::A::ภาษาไทย {=ก ~ข}".encode(),
    ],
)
def test_utf16_and_windows_874_are_read(data):
    assert gift_decode(data) == "::A::ภาษาไทย {=ก ~ข}"


def test_a_truncated_file_names_the_unclosed_block():
    with pytest.raises(GiftError) as caught:
        gift_parse(gift_decode(MOODLE_EXPORT.read_bytes()[:900]))
    assert "never closed" in caught.value.problems[-1][1]


# --- Round trips -----------------------------------------------------------------------------------


def snapshot():
    return sorted(
        (
            q.category.name, q.name, q.idnumber, tuple(q.tags), q.kind, q.text_format, q.text_th, q.text_en,
            q.competency.code, q.difficulty, q.general_feedback_format, q.general_feedback_th,
            q.general_feedback_en,
            tuple(
                (c.text_format, c.text_th, c.text_en, c.match_th, c.match_en, c.weight, c.number, c.tolerance,
                 c.feedback_format, c.feedback_th, c.feedback_en)
                for c in q.choices.all()
            ),
        )
        for q in Question.objects.select_related("category", "competency").prefetch_related("choices")
    )  # fmt: skip


def _delete_bank():
    Choice.objects.all().delete()
    Question.objects.all().delete()
    QuestionCategory.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize("path", [SAMPLE, MOODLE_EXPORT])
def test_import_then_export_then_import_changes_no_field(competencies, path):
    created = questions_import_gift(data=path.read_bytes(), default_competency=competencies["A1.2"])
    assert len(created.created) == (17 if path == SAMPLE else 6)
    before = snapshot()
    exported = questions_export_gift()
    _delete_bank()
    questions_import_gift(data=exported.encode("utf-8"))
    assert snapshot() == before
    assert questions_export_gift() == exported  # and the file written again is the same file


@pytest.mark.django_db
def test_competency_tags_and_defaults(competencies):
    questions_import_gift(data=SAMPLE.read_bytes(), default_competency=competencies["A1.2"])
    assert Question.objects.get(name="Capital").competency == competencies["A1.1"]
    assert Question.objects.get(name="Short").competency == competencies["A1.2"]
    assert Question.objects.get(name="Formats").tags == ["reviewed"]
    with pytest.raises(GiftError, match="unknown competency NOPE/1"):
        questions_import_gift(data=b"// [tag:competency=NOPE/1]\n::A:: Q {=a ~b}\n", default_category="X")


@pytest.mark.django_db
def test_html_is_stored_cleaned(competencies):
    questions_import_gift(data=MOODLE_EXPORT.read_bytes())
    question = Question.objects.get(name="Phishing signs")
    assert question.text_th == "<p>Which of these is a <strong>sign of phishing</strong>?</p>"
    assert "onclick" not in question.choices.all()[1].feedback_th
    assert question.choices.all()[2].feedback_th == "**No**: the language says nothing."  # markdown as given


# --- The admin page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_import_lists_skipped_questions_and_export(client, ada, eddie, competencies, oscar):
    url = reverse("assessments_gift:index")
    client.force_login(eddie)  # a content editor alone: neither the import nor the answer keys
    assert client.get(url).status_code == 302
    assert client.get(reverse("assessments_gift:export")).status_code == 302
    client.force_login(ada)
    token = "a" * 32
    upload = SimpleUploadedFile("moodle.gift", MOODLE_EXPORT.read_bytes())
    response = client.post(url, {"file": upload, "difficulty": 3, "progress_token": token})
    assert response.status_code == 302 and response["Location"].endswith(f"?result={token}")
    page = client.get(response["Location"]).content.decode()
    assert "6 questions imported" in page or "นำเข้าคำถาม 6 ข้อ" in page
    assert "56" in page and "Describe a breach" in page and "About this section" in page
    assert Question.objects.count() == 6
    progress = client.get(reverse("assessments_gift:progress") + f"?token={token}").json()
    assert (progress["done"], progress["total"], progress["percent"]) == (6, 6, 100)
    # Another author cannot read this result or its progress.
    client.force_login(oscar)
    assert client.get(url).status_code in (302, 403)
    client.force_login(ada)
    bad = SimpleUploadedFile("bad.gift", "::A:: ไทย {=ก ~ข".encode("cp874"))
    response = client.post(url, {"file": bad, "difficulty": 3})
    assert response.context["problems"][0][0] == 1 and "}" in response.context["problems"][0][1]
    assert "บรรทัด 1" in response.content.decode()
    assert Question.objects.count() == 6
    exported = client.get(reverse("assessments_gift:export")).content.decode()
    assert "::Phishing signs::[html]" in exported and "[tag:competency=TEST/A2.1]" in exported


@pytest.mark.django_db
def test_admin_refuses_a_file_over_the_limit(client, ada, competencies):
    client.force_login(ada)
    upload = SimpleUploadedFile("huge.gift", b"x" * (MAX_BYTES + 1))
    response = client.post(reverse("assessments_gift:index"), {"file": upload, "difficulty": 3})
    assert response.status_code == 200 and not Question.objects.exists()
    assert "5 MB" in response.content.decode()


@pytest.mark.django_db
def test_results_and_progress_belong_to_the_person_who_imported(client, eddie, hana, competencies):
    client.force_login(eddie)
    token = "b" * 32
    upload = SimpleUploadedFile("moodle.gift", MOODLE_EXPORT.read_bytes())
    client.post(reverse("assessments_gift:index"), {"file": upload, "difficulty": 3, "progress_token": token})
    client.force_login(hana)
    page = client.get(reverse("assessments_gift:index") + f"?result={token}").content.decode()
    assert "Describe a breach" not in page
    assert client.get(reverse("assessments_gift:progress") + f"?token={token}").json()["total"] == 0
    assert client.get(reverse("assessments_gift:progress") + "?token=../x").status_code == 404
    cache.clear()

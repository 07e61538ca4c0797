"""What learners and authors see of a question imported from Moodle: HTML formatted and cleaned (a
<script> in [html] never reaches a page), Markdown rendered, Moodle and plain text shown as text; the
feedback of typed answers, catch-alls included; and the scoring of catch-alls and wildcards."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessments import scoring
from assessments.bank import questions_import_gift
from assessments.factories import assessment_page_create
from assessments.models import Attempt, AttemptQuestion, Question, QuestionCategory
from skills_site.rich_text import plain_text, render_text

pytestmark = pytest.mark.django_db
MOODLE_EXPORT = Path(settings.BASE_DIR) / "fixtures" / "gift" / "moodle-export.gift"
DANGER = re.compile(r"<script|onclick|javascript:|onerror", re.I)


@pytest.fixture
def moodle_page(competencies):
    questions_import_gift(data=MOODLE_EXPORT.read_bytes())
    category = QuestionCategory.objects.get()
    return assessment_page_create(
        title="Safety", competencies=[competencies["A2.1"]], draw=[(category, 6)], bands=[(50, 2)],
        review_after="immediately", review_shows="answers", max_attempts=3,
    )  # fmt: skip


def _attempt(client, page, employee):
    client.force_login(employee.user)
    client.post(reverse("assessments:start", args=[page.pk]))
    return Attempt.objects.get(page=page, employee=employee)


def test_html_is_formatted_and_a_script_never_reaches_the_attempt_page(client, moodle_page, alice):
    attempt = _attempt(client, moodle_page, alice)
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "<strong>sign of phishing</strong>" in html
    assert "[html]" not in html and "&lt;p&gt;" not in html
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert not DANGER.search(body), DANGER.search(body)
    # An option's block tags are dropped inside its label; the plain-text option stays text.
    assert "A link whose address does not match the sender</label>" in html.replace("\n", "")


def _answer_everything(client, attempt):
    data = {}
    for row in AttemptQuestion.objects.filter(attempt=attempt).select_related("question"):
        field = f"answer-{row.question_id}"
        kind = row.question.kind
        if kind in ("single", "true_false"):
            choices = {c.pk: c for c in row.question.choices.all()}
            data[field] = str(next(i for i, pk in enumerate(row.choice_order) if choices[pk].weight == 0))
        elif kind == "numeric":
            data[field] = "7"  # matches no number: the catch-all's feedback
        elif kind == "short_text":
            data[field] = "fire wall"  # the 50% answer
    return data


def test_review_shows_formatted_feedback_and_the_catch_all_feedback(client, moodle_page, alice):
    attempt = _attempt(client, moodle_page, alice)
    client.post(reverse("assessments:submit", args=[attempt.pk]), _answer_everything(client, attempt))
    attempt.refresh_from_db()
    assert attempt.status == "submitted"
    html = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert not DANGER.search(body)
    assert "Count the original and the backups." in body  # numerical: ~#feedback for any other answer
    assert "Nearly: one word." in body  # short answer: the feedback of the answer that matched
    assert "<p>Phishing pretends to be someone you trust.</p>" in body  # general feedback, as HTML
    assert "<strong>No</strong>: the language says nothing." in body or "Not by itself." in body


def test_admin_inspect_shows_the_question_as_formatted_html(client, ada, moodle_page):
    client.force_login(ada)  # a course author: the question bank's rights
    question = Question.objects.get(name="Phishing signs")
    html = client.get(reverse("question:inspect", args=[question.pk])).content.decode()
    assert "<strong>sign of phishing</strong>" in html and "<strong>No</strong>" in html
    main = html.split('id="main"', 1)[1]
    assert "<script>alert" not in main and "onclick" not in main
    listing = client.get(reverse("question:index")).content.decode()
    assert "Phishing signs" in listing and "&lt;p&gt;" not in listing


def test_the_renderer_cleans_html_and_markdown_and_escapes_text():
    assert render_text('<p onclick="x()">Hi<script>alert(1)</script></p>', "html") == "<p>Hi</p>"
    assert str(render_text('<a href="javascript:alert(1)">x</a>', "html")).startswith("<a rel=")
    assert render_text("**b** <script>x</script>", "markdown") == "<p><strong>b</strong> </p>"
    assert render_text("a <b>b</b>\nc", "moodle") == "<p>a &lt;b&gt;b&lt;/b&gt;<br>c</p>"
    assert render_text("a <b>b</b>", "plain", inline=True) == "a &lt;b&gt;b&lt;/b&gt;"
    assert render_text('<img src="@@PLUGINFILE@@/x.png" alt="x">', "html") == '<img alt="x">'
    assert plain_text("<p>One&nbsp;<b>two</b></p><p>three</p>", "html") == "One two three"


def _item(kind, *answers):
    return scoring.Item(
        kind=kind,
        options=tuple(
            scoring.Option(id=i, weight=Decimal(w), text=(t, ""), number=n, tolerance=Decimal(tol))
            for i, (t, w, n, tol) in enumerate(answers)
        ),
    )


def test_numeric_catch_all_counts_only_when_nothing_else_matched():
    item = _item("numeric", ("", 100, Decimal(3), 0), ("", 50, Decimal(2), 0), ("*", 0, None, 0))
    assert scoring.typed_answer_option(item, {"text": "3"}).id == 0
    assert scoring.typed_answer_option(item, {"text": "๒"}).id == 1  # Thai digit two
    assert scoring.typed_answer_option(item, {"text": "9"}).id == 2
    assert scoring.score_response(item, {"text": "9"}) == 0
    assert scoring.typed_answer_option(item, {"text": "abc"}) is None


def test_short_answer_wildcards_as_in_moodle():
    item = _item("short_text", ("HTTPS", 100, None, 0), ("http*", 50, None, 0), ("*", 0, None, 0))
    assert scoring.score_response(item, {"text": "https"}) == 1
    assert scoring.score_response(item, {"text": "HTTP/1.1"}) == Decimal("0.5")
    assert scoring.typed_answer_option(item, {"text": "ftp"}).id == 2
    literal = _item("short_text", (r"2\*3", 100, None, 0))
    assert scoring.score_response(literal, {"text": "2*3"}) == 1
    assert scoring.score_response(literal, {"text": "2x3"}) == 0

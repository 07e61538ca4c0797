"""The attempt page's navigator: one entry per question, the time left, and what is answered so far."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.models import AssessmentPage, Attempt, AttemptQuestion

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}


def start(client, page, employee) -> Attempt:
    client.force_login(employee.user)
    client.post(reverse("assessments:start", args=[page.pk]))
    return Attempt.objects.get(page=page, employee=employee, status="in_progress")


def attempt_page(client, attempt) -> BeautifulSoup:
    response = client.get(reverse("assessments:attempt", args=[attempt.pk]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_navigator_lists_every_question_and_links_to_it(client, page, alice):
    attempt = start(client, page, alice)
    soup = attempt_page(client, attempt)
    entries = soup.select("#attempt-nav .question-nav a.nav-q")
    questions = soup.select("form#attempt-form fieldset.question")
    assert len(entries) == len(questions) == 4
    assert [a["href"] for a in entries] == [f"#{q['id']}" for q in questions] == ["#q1", "#q2", "#q3", "#q4"]
    assert [a.get_text(" ", strip=True) for a in entries] == [f"{n} ยังไม่ได้ตอบ" for n in range(1, 5)]
    # a flag toggle per question, shown once the page's script runs
    assert len(soup.select("fieldset.question .flag-toggle[hidden]")) == 4


def test_the_time_left_is_in_the_navigator_as_minutes_and_seconds(client, page, alice):
    attempt = start(client, page, alice)
    clock = attempt_page(client, attempt).select("#attempt-nav #time-left")
    assert len(clock) == 1
    assert 29 * 60 < int(clock[0]["data-remaining"]) <= 30 * 60
    minutes, seconds = clock[0].get_text().split(":")
    assert minutes in ("29", "30") and len(seconds) == 2


def test_an_untimed_test_has_the_navigator_without_a_clock(client, page, alice):
    AssessmentPage.objects.filter(pk=page.pk).update(time_limit_minutes=None)
    attempt = start(client, page, alice)
    soup = attempt_page(client, attempt)
    assert not soup.select("#time-left") and len(soup.select(".question-nav a.nav-q")) == 4


def test_saved_answers_are_marked_answered_and_counted(client, page, alice):
    attempt = start(client, page, alice)
    row = AttemptQuestion.objects.get(attempt=attempt, question__kind="single")
    saved = client.post(
        reverse("assessments:autosave", args=[attempt.pk]), {f"answer-{row.question_id}": "0"}, headers=FETCH
    )
    assert saved.status_code == 200
    soup = attempt_page(client, attempt)
    answered = soup.select(".question-nav a.nav-q.answered")
    assert [a["href"] for a in answered] == [f"#q{row.position}"]
    assert soup.select_one("#answered-count").get_text() == "1"
    assert "ตอบแล้ว 1 จาก 4 ข้อ" in soup.select_one(".attempt-progress").get_text()


def test_the_navigator_reads_in_english(client, page, alice):
    attempt = start(client, page, alice)
    client.cookies["skills_language"] = "en"
    soup = attempt_page(client, attempt)
    assert soup.select_one(".attempt-progress").get_text(" ", strip=True) == "0 of 4 answered"
    assert soup.select_one("#attempt-nav")["aria-label"] == "Question navigator"
    assert soup.select_one(".question-nav a.nav-q").get_text(" ", strip=True) == "1 not answered"


def test_the_page_script_is_a_static_file_and_every_answer_stays_in_the_form(client, page, alice):
    attempt = start(client, page, alice)
    soup = attempt_page(client, attempt)
    scripts = soup.select("main script, body > script")
    assert any(s.get("src", "").endswith("assessments/attempt.js") for s in scripts)
    assert not [
        s for s in soup.select("script") if not s.get("src") and s.get_text(strip=True) and not s.get("nonce")
    ]
    form = soup.select_one("form#attempt-form")
    assert len(form.select("fieldset.question")) == 4 and form.select_one("#submit-button")


def test_a_long_test_comes_in_parts_of_ten_with_every_question_still_in_the_form():
    from assessments.views import attempt_sections

    rows = [{"position": n} for n in range(1, 31)]
    parts = attempt_sections(rows)
    assert [(p["number"], p["first"], p["last"], len(p["rows"])) for p in parts] == [
        (1, 1, 10, 10), (2, 11, 20, 10), (3, 21, 30, 10),
    ]  # fmt: skip
    assert [row["section"] for row in rows] == [1] * 10 + [2] * 10 + [3] * 10
    assert [(p["first"], p["last"]) for p in attempt_sections(rows[:23])][-1] == (21, 23)
    assert len(attempt_sections(rows[:7])) == 1


def test_the_page_heads_each_part_and_the_navigator_knows_its_part(client, page, alice, monkeypatch):
    monkeypatch.setattr("assessments.views.SECTION_SIZE", 3)  # the fixture's test has 4 questions
    soup = attempt_page(client, start(client, page, alice))
    parts = soup.select("form#attempt-form section.attempt-section")
    assert [p.select_one("h2").get_text(strip=True) for p in parts] == [
        "ส่วนที่ 1 จาก 2: ข้อ 1–3", "ส่วนที่ 2 จาก 2: ข้อ 4–4",
    ]  # fmt: skip
    assert [len(p.select("fieldset.question")) for p in parts] == [3, 1]
    # without the script every part shows (nothing hidden on the server); the steps come with it
    assert not any(p.has_attr("hidden") for p in parts)
    assert parts[0].select_one(".section-steps[hidden] .section-next")["data-go"] == "2"
    assert parts[1].select_one(".section-previous")["data-go"] == "1" and not parts[1].select(".section-next")
    assert [a["data-section"] for a in soup.select("a.nav-q")] == ["1", "1", "1", "2"]


def test_one_part_needs_no_heading_or_steps(client, page, alice):
    soup = attempt_page(client, start(client, page, alice))
    assert len(soup.select("section.attempt-section")) == 1
    assert not soup.select(".attempt-section-title") and not soup.select(".section-steps")

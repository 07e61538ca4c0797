"""Item statistics on a small hand-computed data set, and the permission on the report and chart."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.reports import item_frame, item_statistics, option_counts, text_answer_counts
from assessments.services import attempt_start, attempt_submit

from .conftest import all_right

# Four attempts, three items. Hand computed:
# facility 0.5 each; discrimination (item vs mean of the other two items)
# q1: r([1,1,0,0], [1,.5,.5,0]) = 0.5 / sqrt(1 * 0.5) = 0.7071; q2: r([1,0,1,0], [1,1,0,0]) = 0; q3 as q1.
SCORES = {1: (1, 1, 1), 2: (1, 0, 1), 3: (0, 1, 0), 4: (0, 0, 0)}


def frame():
    rows = []
    for attempt_id, scores in SCORES.items():
        for question_id, score in enumerate(scores, start=1):
            choice = 10 * question_id + (1 if score else 2)
            rows.append((attempt_id, question_id, score, {"choice": choice}))
    return item_frame(rows)


def test_facility_and_discrimination_match_the_hand_computed_values():
    stats = item_statistics(frame()).set_index("question_id")
    assert list(stats["facility"]) == [0.5, 0.5, 0.5]
    assert stats.loc[1, "discrimination"] == pytest.approx(0.70711, abs=1e-4)
    assert stats.loc[2, "discrimination"] == pytest.approx(0.0)
    assert stats.loc[3, "discrimination"] == pytest.approx(0.70711, abs=1e-4)
    assert list(stats["flagged"]) == [False, True, False]
    assert list(stats["attempts"]) == [4, 4, 4]


def test_option_counts():
    counts = option_counts(frame()).set_index(["question_id", "choice_id"])
    assert counts.loc[(1, 11), "chosen"] == 2 and counts.loc[(1, 11), "share"] == 0.5
    assert counts.loc[(2, 22), "chosen"] == 2


def test_an_item_everyone_got_right_has_no_discrimination_and_is_not_flagged():
    stats = item_statistics(item_frame([(1, 1, 1, None), (2, 1, 1, None), (1, 2, 1, None), (2, 2, 0, None)]))
    assert stats.set_index("question_id").loc[1, "discrimination"] is None


@pytest.mark.django_db
def test_statistics_page_and_chart_for_authors_and_hr_only(
    client, page, alice, bob, carol, hana, eddie, ada, now, django_assert_max_num_queries
):
    for employee in (alice, bob):
        attempt = attempt_start(page=page, employee=employee, now=now)
        rows = list(attempt.questions.select_related("question"))
        attempt_submit(attempt=attempt, employee=employee, now=now, responses=all_right(rows))
    url = reverse("assessments:statistics", args=[page.pk])
    chart = reverse("assessments:statistics_chart", args=[page.pk])
    for user in (alice.user, carol.user, eddie):  # eddie edits pages but does not keep the bank
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(chart).status_code == 403
    client.force_login(hana)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    html = response.content.decode()
    assert "ข้อหนึ่ง" in html and "1.00" in html  # question one, facility 1.00 (both got it right)
    assert "“firewall”: 2" in html  # the short-text question's typed answers
    client.force_login(ada)
    png = client.get(chart)
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_statistics_queries_do_not_grow_with_attempts(
    client, page, hana, org, academic, now, django_assert_max_num_queries
):
    from profiles.factories import EmployeeFactory

    def run(n):
        for _ in range(n):
            employee = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
            attempt = attempt_start(page=page, employee=employee, now=now)
            attempt_submit(attempt=attempt, employee=employee, now=now, responses={})
        with django_assert_max_num_queries(40) as captured:
            client.get(reverse("assessments:statistics", args=[page.pk]))
        return len(captured.captured_queries)

    client.force_login(hana)
    client.get(reverse("profiles:my_profile"))  # a session's first page answers the menu's role questions
    assert run(2) == run(5)


@pytest.mark.django_db
def test_statistics_follow_a_new_submission(client, page, alice, bob, hana, now):
    client.force_login(hana)
    url = reverse("assessments:statistics", args=[page.pk])
    attempt = attempt_start(page=page, employee=alice, now=now)
    attempt_submit(attempt=attempt, employee=alice, now=now, responses={})
    assert client.get(url).context["attempt_count"] == 1
    chart = client.get(reverse("assessments:statistics_chart", args=[page.pk])).content
    attempt = attempt_start(page=page, employee=bob, now=now)
    attempt_submit(attempt=attempt, employee=bob, now=now, responses=all_right(list(attempt.questions.all())))
    assert client.get(url).context["attempt_count"] == 2
    assert client.get(reverse("assessments:statistics_chart", args=[page.pk])).content != chart


def test_most_frequent_typed_answers():
    frame = item_frame(
        [
            (1, 5, 1, {"text": "Firewall"}),
            (2, 5, 1, {"text": " firewall "}),
            (3, 5, 0, {"text": "antivirus"}),
            (4, 5, 0, None),
            (1, 6, 1, {"choice": 3}),
        ]
    )
    table = text_answer_counts(frame)
    assert list(table.itertuples(index=False, name=None)) == [(5, "firewall", 2), (5, "antivirus", 1)]


def test_statistics_link_for_hr_and_authors_and_no_permission_queries_for_staff(
    client, page, alice, hana, eddie, ada
):
    link = reverse("assessments:statistics", args=[page.pk])
    client.force_login(alice.user)
    client.get(page.url)  # the menu answers are kept from the first page on
    with CaptureQueriesContext(connection) as staff_view:
        html = client.get(page.url).content.decode()
    assert link not in html
    assert not [q for q in staff_view.captured_queries if "grouppagepermission" in q["sql"]]
    for user in (hana, ada):  # HR (no staff profile here) and an editor who is also a course author
        client.force_login(user)
        assert link in client.get(page.url).content.decode()
    client.force_login(eddie)  # a content editor alone
    assert link not in client.get(page.url).content.decode()

"""HR defines plans and targets in the Wagtail admin; bad targets get clear messages."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from profiles.factories import CompetencyFactory, CompetencyFrameworkFactory
from profiles.models import PlanTarget


@pytest.fixture
def hr_client(client, hana):
    hana.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="profiles",
            content_type__model__in=["capabilityplan", "plantarget", "plantargetvalue"],
        )
    )
    # the admin speaks the user's chosen language: English here, so the messages read as in the code
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(hana)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(hana)
    return client


def target_form(plan, competency, *, values, level=3, unit=None, groups=(), baseline=2566):
    data = nested_form_data(
        {
            "plan": plan.pk,
            "name_th": "ทดสอบ",
            "name_en": "Test",
            "competency": competency.pk,
            "min_level": level,
            "org_unit": unit.pk if unit else "",
            "baseline_fiscal_year": baseline,
            "baseline_value": "",
            "sort_order": 0,
            "values": inline_formset(
                [
                    {"fiscal_year": year, "quarter": quarter or "", "value": value}
                    for year, quarter, value in values
                ]
            ),
        }
    )
    data["personnel_groups"] = [g.pk for g in groups]
    return data


def post(client, data):
    return client.post(reverse("plantarget:add"), data)


def errors_of(response) -> str:
    return response.content.decode()


def test_hr_adds_a_target_with_yearly_values(hr_client, plan, competencies, alice):
    response = post(
        hr_client, target_form(plan, competencies["A1.2"], values=[(2568, None, 80), (2570, None, 90)])
    )
    assert response.status_code == 302
    target = PlanTarget.objects.get(name_en="Test")
    assert sorted(target.values.values_list("fiscal_year", "value")) == [(2568, 80), (2570, 90)]


@pytest.mark.parametrize(
    "values, message",
    [
        ([(2575, None, 80)], "FY2575 is outside the plan"),
        ([(2568, None, 80), (2568, None, 90)], "FY2568 is given twice"),
        ([(2568, None, 180)], "between 0 and 100"),
    ],
)
def test_values_outside_the_plan_twice_or_off_scale_are_refused(
    hr_client, plan, competencies, alice, values, message
):
    count = PlanTarget.objects.count()
    response = post(hr_client, target_form(plan, competencies["A1.2"], values=values))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert PlanTarget.objects.count() == count


def test_level_above_the_scale_is_refused(hr_client, plan, competencies, alice):
    response = post(hr_client, target_form(plan, competencies["A1.2"], level=7, values=[(2568, None, 80)]))
    assert "Level 7 is not on the scale (1 to 5)" in errors_of(response)


def test_competency_of_another_framework_is_refused(hr_client, plan, alice):
    other = CompetencyFactory(area__framework=CompetencyFrameworkFactory(code="OTHER"), code="X9")
    response = post(hr_client, target_form(plan, other, values=[(2568, None, 80)]))
    assert "X9 belongs to" in errors_of(response)
    assert not PlanTarget.objects.filter(competency=other).exists()


def test_population_that_matches_nobody_is_refused(hr_client, plan, competencies, org, alice, technology):
    # Nobody in the Data section is in the Technology group
    response = post(
        hr_client,
        target_form(
            plan, competencies["A1.2"], unit=org["data"], groups=[technology], values=[(2568, None, 80)]
        ),
    )
    assert "matches nobody" in errors_of(response)


def test_baseline_after_first_target_year_is_refused(hr_client, plan, competencies, alice):
    response = post(
        hr_client, target_form(plan, competencies["A1.2"], baseline=2569, values=[(2568, None, 80)])
    )
    assert "baseline year must come before" in errors_of(response)


def test_plan_range_cannot_leave_target_values_outside(plan):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    plan.last_fiscal_year = 2568
    with translation.override("en"), pytest.raises(ValidationError, match="FY2569"):
        plan.full_clean()
    plan.first_fiscal_year, plan.last_fiscal_year = 2570, 2566
    with translation.override("en"), pytest.raises(ValidationError, match="comes before"):
        plan.full_clean()


def test_plan_lists_are_reachable_for_hr(hr_client, plan):
    assert hr_client.get(reverse("capabilityplan:index")).status_code == 200
    assert hr_client.get(reverse("plantarget:index")).status_code == 200
    assert hr_client.get(reverse("plantarget:edit", args=[plan.targets.first().pk])).status_code == 200

"""The second factor is required for the configured roles, including acting heads and scoped HR."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.models import ActingHead


@pytest.fixture
def mfa_for_managers_and_hr(settings):
    settings.MFA_REQUIRED_ROLES = ["hr", "manager"]


def _sent_to_mfa_setup(client, user) -> bool:
    client.force_login(user)
    response = client.get(reverse("profiles:my_profile"))
    return response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_scoped_hr_officer_must_set_up_a_second_factor(client, scoped_hr, mfa_for_managers_and_hr):
    assert _sent_to_mfa_setup(client, scoped_hr)


def test_acting_head_must_while_acting_and_not_after(client, alice, dave, org, mfa_for_managers_and_hr):
    today = timezone.localdate()
    acting = ActingHead.objects.create(
        org_unit=org["data"], employee=dave, starts_on=today, ends_on=today + dt.timedelta(days=3)
    )
    assert _sent_to_mfa_setup(client, dave.user)
    client.logout()
    ActingHead.objects.filter(pk=acting.pk).update(ends_on=today - dt.timedelta(days=1))
    assert not _sent_to_mfa_setup(client, dave.user)


def test_committee_viewer_and_employee_are_not_asked(client, committee, alice, mfa_for_managers_and_hr):
    assert not _sent_to_mfa_setup(client, committee)
    client.logout()
    assert not _sent_to_mfa_setup(client, alice.user)

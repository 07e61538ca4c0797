"""Staff passwords are stored with Argon2id; older hashes still sign in and are upgraded on the way."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.cache import cache
from django.urls import reverse

from skills_site.settings import base
from tests.conftest import PASSWORD


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    cache.clear()
    yield
    cache.clear()


def test_new_passwords_are_stored_with_argon2id_at_the_owasp_parameters(production_hashers):
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_pbkdf2_password_still_signs_in_and_is_restored_as_argon2id(client, alice, production_hashers):
    alice.user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    alice.user.save(update_fields=["password"])

    response = client.post(reverse("account_login"), {"login": alice.user.email, "password": PASSWORD})

    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert identify_hasher(alice.user.password).algorithm == "argon2"
    assert alice.user.check_password(PASSWORD)


def test_a_wrong_password_does_not_touch_the_stored_hash(client, alice, production_hashers):
    alice.user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    alice.user.save(update_fields=["password"])
    before = alice.user.password

    client.post(reverse("account_login"), {"login": alice.user.email, "password": "not-the-password"})

    alice.user.refresh_from_db()
    assert alice.user.password == before

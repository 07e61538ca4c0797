"""The test suite: fast hashing, in-memory e-mail, no debug."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
WHITENOISE_AUTOREFRESH = True
MFA_REQUIRED_ROLES: list[str] = []  # tests that need it turn it on
API_EVIDENCE_SETTLE_SECONDS = 0  # tests that need the settle time set it
# Single sign-on is on in the tests (as with SSO_* set); tests/test_sso.py points it at a real
# OpenID Connect provider that it starts on loopback.
SSO = {"issuer": "http://127.0.0.1:9", "client_id": "skills-tests", "secret": "tests-secret", "label": None}
INSTALLED_APPS = INSTALLED_APPS + SSO_APPS  # noqa: F405
SOCIALACCOUNT_PROVIDERS = socialaccount_providers(SSO)  # noqa: F405

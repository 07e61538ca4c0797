"""Local development and the demo: debug on, e-mail printed to the console."""

from .base import *  # noqa: F403
from .env import env_int, env_list, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-used-in-production-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo's HR and manager logins work without an authenticator app unless asked for:
# set MFA_REQUIRED_ROLES=hr,manager to try the second factor locally.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", [])
# An illustrative cost of one staff hour for the demo's training plan (about a civil servant's hourly
# pay with on-costs); a department sets its own figure (README, Configuration).
TRAINING_STAFF_HOUR_COST = env_int("TRAINING_STAFF_HOUR_COST", 250, minimum=0)

"""Settings shared by every environment. Environment-specific modules import from here."""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ..sign_in_limits import AddressPolicy
from .env import env_choice, env_database, env_int, env_list, env_rate, env_sso, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env_str("SKILLS_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "skills_site",
    "profiles",
    "courses",
    "assessments",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "skills_site.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skills_site.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "api.middleware.ApiAuditMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "skills_site.middleware.RequireSecondFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "skills_site.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "skills_site.urls"
WSGI_APPLICATION = "skills_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skills_site.context_processors.site_navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database(sqlite_path=VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2id first (see skills_site/hashers.py for the parameters and why); the others only verify
# passwords stored before, which are re-stored with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "skills_site.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Language and time: Thai first, English second; the department works in Bangkok time.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# The first catalogue that translates a msgid wins, and LOCALE_PATHS win over the apps' own: the
# project's wording first, then our Thai for what Wagtail's own catalogue lacks or gets wrong. That
# one is kept out of locale/ so that makemessages never rewrites it (manage.py wagtail_thai_gaps).
LOCALE_PATHS = [BASE_DIR / "locale", PROJECT_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "skills_language"

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Personal files (proof of outside learning): never under MEDIA_ROOT, served only by a view that checks
# who is asking. Give every app server the same folder, as for MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/no-public-url/"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
# Proof of outside learning: PDF, PNG or JPEG (checked by their content, not their name), at most this size.
PRIOR_LEARNING_MAX_FILE_MB = env_int("PRIOR_LEARNING_MAX_FILE_MB", 5, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Accounts: staff sign in with their work e-mail; HR creates the accounts, so sign-up is closed.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "profiles:my_profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "skills_site.accounts.ClosedSignupAccountAdapter"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=300)
# Failed sign-ins: limited per account by allauth (whatever the address), and per address by
# skills_site/sign_in_limits.py, which slows an address down without shutting out the people behind
# it who give the right password (an exam room behind one NAT address). Both are kept in the cache:
# use Redis in production so every app server shares them.
_login_failed = env_str("LOGIN_FAILED_RATE_LIMIT", "5/5m/key")
if "/ip" in _login_failed:
    raise ImproperlyConfigured(
        "LOGIN_FAILED_RATE_LIMIT limits each account (e.g. 5/5m/key); an address is limited by "
        "LOGIN_ADDRESS_FAILURE_LIMIT, which does not shut out people who give the right password."
    )
_address_failures, _address_window = env_rate("LOGIN_ADDRESS_FAILURE_LIMIT", "50/10m")
SIGN_IN_ADDRESS_POLICY = AddressPolicy(
    failures=_address_failures,
    window=_address_window,
    slow_seconds=env_int("LOGIN_ADDRESS_SLOW_SECONDS", 2, minimum=1),
)
ACCOUNT_RATE_LIMITS = {
    # Sign-ins per address: an office behind one NAT address signs in together on exam day.
    "login": env_str("LOGIN_RATE_LIMIT", "600/m/ip"),
    "login_failed": _login_failed,
    "reset_password": "20/m/ip,5/m/key",
}
# Single sign-on with OpenID Connect (skills_site/sso.py), switched on by the environment alone:
# SSO_ISSUER_URL, SSO_CLIENT_ID and SSO_CLIENT_SECRET together (one without the others stops
# start-up), SSO_BUTTON_LABEL optional. People are matched to existing accounts by verified work
# e-mail; nobody is signed up. A provider that reports a second factor (an ``amr`` value in
# SSO_MFA_AMR or an ``acr`` in SSO_MFA_ACR) stands in for ours; otherwise ours is asked for.
SSO = env_sso()
SSO_PROVIDER_ID = "dept-sso"
SSO_MFA_AMR = env_list("SSO_MFA_AMR", ["mfa", "otp", "hwk"])
SSO_MFA_ACR = env_list("SSO_MFA_ACR", [])
SOCIALACCOUNT_ADAPTER = "skills_site.sso.DepartmentSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matched in the adapter, by verified e-mail only
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts (with its CSRF token)
SOCIALACCOUNT_STORE_TOKENS = False
SSO_APPS = ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]


def socialaccount_providers(sso: dict) -> dict:
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": SSO_PROVIDER_ID,
                    "name": sso["label"] or "SSO",
                    "client_id": sso["client_id"],
                    "secret": sso["secret"],
                    # Who someone is comes from the ID token alone, its signature always checked.
                    "settings": {"server_url": sso["issuer"], "fetch_userinfo": False},
                }
            ],
        }
    }


SOCIALACCOUNT_PROVIDERS = socialaccount_providers(SSO) if SSO is not None else {}
if SSO is not None:
    INSTALLED_APPS += SSO_APPS
# Second factor: TOTP with recovery codes. Roles listed here must set one up before they can
# use the site (choices: hr, manager, editor); staff without such a role may still opt in.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Digital Skills Tracker"
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", ["hr", "manager"])
# Days after a person's end date before `apply_retention` anonymises them (their figures stay in reports).
DEPARTED_STAFF_RETENTION_DAYS = env_int("DEPARTED_STAFF_RETENTION_DAYS", 2 * 365, minimum=30)
# HR and editors sign in to the Wagtail admin through the same page (and the same second factor).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# A signed-in person sent to the sign-in page (e.g. an employee opening the admin) sees it with
# a note instead of being bounced back, which would loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "skills-tracker@localhost")

# Security headers (Wagtail marks its own preview views SAMEORIGIN, so the rest can be DENY).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSP_FRAME_SRC = env_list(
    "CSP_FRAME_SRC",
    ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
)

# The read API (/api/v1/, api/): calls per client token, refused calls per address before it is
# told to wait, how long after it was recorded evidence appears in the sync, the longest a token lives.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/m")
if not re.fullmatch(r"[1-9][0-9]*/[0-9]*(s|m|h|d)", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT={API_RATE_LIMIT!r} is not a rate: write e.g. 120/m (s, m, h or d)."
    )
API_REFUSALS_PER_MINUTE = env_int("API_REFUSALS_PER_MINUTE", 30, minimum=1)
API_EVIDENCE_SETTLE_SECONDS = env_int("API_EVIDENCE_SETTLE_SECONDS", 300, minimum=0)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)

# Wagtail
WAGTAIL_SITE_NAME = "Digital Skills Tracker"
# No outside avatar service: Wagtail shows its own default avatar or the uploaded picture.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["Asia/Bangkok"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# The level policy (profiles/competencies/levels.py): how long each kind of evidence counts, in whole
# Bangkok days counting the day it was observed, and how the results of one kind combine.
LEVEL_EVIDENCE_VALID_DAYS = {
    "assessment": env_int("LEVEL_VALID_DAYS_ASSESSMENT", 3 * 365, minimum=1),
    "manager_review": env_int("LEVEL_VALID_DAYS_MANAGER_REVIEW", 3 * 365, minimum=1),
    "course": env_int("LEVEL_VALID_DAYS_COURSE", 3 * 365, minimum=1),
    "import": env_int("LEVEL_VALID_DAYS_IMPORT", 3 * 365, minimum=1),
    "self_assessment": env_int("LEVEL_VALID_DAYS_SELF_ASSESSMENT", 365, minimum=1),
    # Learning done elsewhere, accepted by a reviewer: counts as long as a course completed here.
    "prior_learning": env_int("LEVEL_VALID_DAYS_PRIOR_LEARNING", 3 * 365, minimum=1),
}
_METHODS = ["most_recent", "highest", "decaying_average"]
LEVEL_COMBINATION_METHODS = {
    "assessment": env_choice("LEVEL_METHOD_ASSESSMENT", "highest", choices=_METHODS),
    "manager_review": env_choice("LEVEL_METHOD_MANAGER_REVIEW", "most_recent", choices=_METHODS),
    "course": env_choice("LEVEL_METHOD_COURSE", "highest", choices=_METHODS),
    "import": env_choice("LEVEL_METHOD_IMPORT", "most_recent", choices=_METHODS),
    "self_assessment": env_choice("LEVEL_METHOD_SELF_ASSESSMENT", "most_recent", choices=_METHODS),
    "prior_learning": env_choice("LEVEL_METHOD_PRIOR_LEARNING", "highest", choices=_METHODS),
}
# Decaying average: the weight (per cent) of each new result against the average so far.
LEVEL_DECAYING_AVERAGE_WEIGHT = env_int("LEVEL_DECAYING_AVERAGE_WEIGHT", 65, minimum=1)

# Signed-in pages are kept in the cache until any data changes, for at most this long (0: never kept;
# see skills_site/page_cache.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300, minimum=0)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "skills-tracker",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Training demand (profiles/training): the department's standard cost of one staff hour in baht,
# valued with each course's learning hours (0: staff time is not priced); the success rate (%) assumed
# for a course with fewer than 20 completions to measure; and how long the planner may search.
TRAINING_STAFF_HOUR_COST = env_int("TRAINING_STAFF_HOUR_COST", 0, minimum=0)
TRAINING_DEFAULT_SUCCESS_RATE = env_int("TRAINING_DEFAULT_SUCCESS_RATE", 70, minimum=1, maximum=100)
TRAINING_SOLVER_SECONDS = env_int("TRAINING_SOLVER_SECONDS", 20, minimum=1)

"""Settings shared by every environment. Environment-specific modules import from here."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import env_database, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env_str("SKILLS_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "skills_site",
    "profiles",
    "courses",
    "assessments",
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
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "skills_site.middleware.RequireSecondFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
LOCALE_PATHS = [BASE_DIR / "locale"]
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
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
# Repeated failed sign-ins are slowed down per address and per account (allauth's limits,
# kept in the cache: use Redis in production so every app server shares them).
ACCOUNT_RATE_LIMITS = {
    # Sign-ins per address: an office behind one NAT address signs in together on exam day.
    "login": env_str("LOGIN_RATE_LIMIT", "600/m/ip"),
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
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

# Wagtail
WAGTAIL_SITE_NAME = "Digital Skills Tracker"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["Asia/Bangkok"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# The level policy: how long each kind of evidence counts (in days), see profiles/levels.py.
LEVEL_EVIDENCE_VALID_DAYS = {
    "assessment": env_int("LEVEL_VALID_DAYS_ASSESSMENT", 3 * 365, minimum=1),
    "manager_review": env_int("LEVEL_VALID_DAYS_MANAGER_REVIEW", 3 * 365, minimum=1),
    "course": env_int("LEVEL_VALID_DAYS_COURSE", 3 * 365, minimum=1),
    "import": env_int("LEVEL_VALID_DAYS_IMPORT", 3 * 365, minimum=1),
    "self_assessment": env_int("LEVEL_VALID_DAYS_SELF_ASSESSMENT", 365, minimum=1),
}

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

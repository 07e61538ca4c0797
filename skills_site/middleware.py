"""Language selection: Thai unless the person chose otherwise on this site."""

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from profiles.organisation import access
from profiles.organisation.roles import EDITORS_GROUP


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language header.

    Staff often use browsers set to English; the department works in Thai, so Thai is the
    default and only the language switch (a cookie) changes it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequireSecondFactorMiddleware:
    """Sends people whose role requires a second factor to set one up before anything else.

    Which roles must have one is ``settings.MFA_REQUIRED_ROLES`` (hr, manager, editor). The
    answer is kept in the session once a person passes, so ordinary pages cost no queries.
    """

    SESSION_KEY = "skills_mfa_checked_for"
    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            messages.warning(
                request,
                _("Your role requires a second sign-in factor. Set up an authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        required = set(settings.MFA_REQUIRED_ROLES)
        user = getattr(request, "user", None)
        if not required or user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self.EXEMPT_PREFIXES):
            return False
        if request.session.get(self.SESSION_KEY) == user.pk:
            return False
        return not second_factor_in_order(request, user)


# Set for a session whose single sign-on reported a second factor at the provider (skills_site/accounts.py).
SSO_SECOND_FACTOR_KEY = "skills_second_factor_at_provider"


def second_factor_in_order(request, user, *, manager: bool | None = None) -> bool:
    """True when the person's roles need no second factor or they have one; kept in the session.

    Asked by the middleware on the first page that is not exempt, or earlier at sign-in.
    ``manager`` is the answer of ``profiles.organisation.access.is_manager`` when the caller already has it.
    """
    from allauth.mfa.utils import is_mfa_enabled

    required = set(settings.MFA_REQUIRED_ROLES)
    from_provider = request.session.get(SSO_SECOND_FACTOR_KEY) == user.pk
    needs_one = required and _has_role(user, required, manager=manager)
    if from_provider or not needs_one or is_mfa_enabled(user):
        request.session[RequireSecondFactorMiddleware.SESSION_KEY] = user.pk
        return True
    return False


def _has_role(user, roles: set[str], *, manager: bool | None = None) -> bool:
    if "hr" in roles and access.is_hr(user):
        return True
    if "manager" in roles and (access.is_manager(user) if manager is None else manager):
        return True
    return "editor" in roles and user.groups.filter(name=EDITORS_GROUP).exists()


class ContentSecurityPolicyMiddleware:
    """Sends a Content-Security-Policy with every response.

    Site pages allow scripts only from the site itself or carrying this request's nonce
    (``{{ request.csp_nonce }}`` on an inline ``<script>``). The Wagtail admin, which relies on
    inline scripts of its own, gets a policy that still forbids plugins, foreign framing and
    posting forms elsewhere. Embedded video hosts come from ``settings.CSP_FRAME_SRC``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import secrets

        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request)
        return response

    @staticmethod
    def policy(request) -> str:
        # Forms post to the site itself, and the single sign-on button's post is answered with a
        # redirect to the provider, which form-action must allow too.
        form_action = " ".join(["'self'", *sso_origins()])
        common = ["object-src 'none'", "base-uri 'self'", f"form-action {form_action}"]
        if request.path.startswith("/admin/"):
            return "; ".join([*common, "frame-ancestors 'self'"])
        frames = " ".join(["'self'", *settings.CSP_FRAME_SRC])
        return "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' 'nonce-{request.csp_nonce}'",
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data:",
                "font-src 'self'",
                "connect-src 'self'",
                f"frame-src {frames}",
                "frame-ancestors 'none'",
                *common,
            ]
        )


def sso_origins() -> list[str]:
    """The single sign-on providers' origins (scheme, host and port), from the configured issuers."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins

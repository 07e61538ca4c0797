"""Every call to the read API in the audit log, answered in the caller's language (English unless
it asks for Thai: machines rarely send the site's language cookie)."""

from __future__ import annotations

from django.utils import timezone, translation

from .services import api_call_record, token_check

API_PREFIX = "/api/v1/"
SCHEMA_PATH = "/api/v1/schema/"


def _language(request) -> str:
    accepted = request.headers.get("Accept-Language", "").lower()
    return "th" if accepted.startswith("th") else "en"


class ApiAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX) or request.path == SCHEMA_PATH:
            return self.get_response(request)
        with translation.override(_language(request)):
            response = self.get_response(request)
        if not hasattr(request, "api_client"):  # refused before the token was read (e.g. a POST)
            scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
            check = token_check(raw.strip(), now=timezone.now()) if scheme.lower() == "bearer" else None
            request.api_client = check.client if check else None
            request.api_refusal = check.refusal if check else "missing"
        api_call_record(
            client=request.api_client,
            refusal=getattr(request, "api_refusal", None),
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", "")[:500],
            status=response.status_code,
            rows=getattr(request, "api_rows", None),
            address=request.META.get("REMOTE_ADDR", ""),
        )
        return response

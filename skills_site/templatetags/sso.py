"""The single sign-on button on the sign-in page, when SSO_* configure a provider."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("account/includes/sso_button.html", takes_context=True)
def sso_button(context):
    if settings.SSO is None:
        return {"enabled": False}
    request = context["request"]
    return {
        "enabled": True,
        "action": reverse("sso_login", kwargs={"provider_id": settings.SSO_PROVIDER_ID}),
        "label": settings.SSO["label"],
        "next": request.GET.get("next", ""),
        "csrf_token": context.get("csrf_token"),
    }

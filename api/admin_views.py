"""HR's pages for the read API's clients: the list, a new client (its token shown once), revoke."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profiles.models import OrgUnit
from profiles.organisation.access import hr_scope_unit_ids, is_hr, is_hr_officer, visible_units
from skills_site.thai_calendar import BANGKOK

from .forms import ApiClientForm
from .models import ApiClient
from .services import api_client_create, api_client_revoke


def _clients_for(user):
    """Department-wide HR: every client; an HR officer with a scope: the clients inside it."""
    if not is_hr_officer(user):
        raise PermissionDenied
    clients = ApiClient.objects.select_related("org_unit", "created_by", "revoked_by")
    if is_hr(user):
        return clients
    return clients.filter(org_unit_id__in=hr_scope_unit_ids(user))


def client_index(request):
    clients = list(_clients_for(request.user)[:200])
    now = timezone.now()
    for client in clients:
        client.current_state = client.state(now)
    return TemplateResponse(request, "api/admin/index.html", {"clients": clients})


def client_add(request):
    _clients_for(request.user)
    department_wide = is_hr(request.user)
    units = OrgUnit.objects.all() if department_wide else visible_units(request.user)
    form = ApiClientForm(request.POST or None, units=units, department_wide=department_wide)
    if request.method == "POST" and form.is_valid():
        # A second send of the same form (a double click) makes no second token.
        if not cache.add(f"api-client-form:{form.cleaned_data['form_key']}", 1, timeout=3600):
            messages.warning(
                request,
                _(
                    "This form was already sent: its token was shown once, on the answer to the first "
                    "send. If nobody copied it, revoke that client below and create another."
                ),
            )
            return redirect("api_clients:index")
        expires_at = dt.datetime.combine(form.cleaned_data["expires_on"], dt.time.max, tzinfo=BANGKOK)
        client, token = api_client_create(
            name=form.cleaned_data["name"],
            org_unit=form.cleaned_data["org_unit"],
            expires_at=expires_at,
            by=request.user,
            now=timezone.now(),
        )
        response = TemplateResponse(request, "api/admin/token.html", {"client": client, "token": token})
        response["Cache-Control"] = "no-store"
        return response
    if not form.is_bound:
        form.initial["form_key"] = secrets.token_urlsafe(16)
    return TemplateResponse(request, "api/admin/add.html", {"form": form})


@require_POST
def client_revoke(request, pk: int):
    client = get_object_or_404(ApiClient, pk=pk)
    if not _clients_for(request.user).filter(pk=client.pk).exists():
        raise Http404
    if api_client_revoke(client=client, by=request.user, now=timezone.now()):
        messages.success(
            request, _("“%(name)s” is revoked: its token no longer works.") % {"name": client.name}
        )
    else:
        messages.info(request, _("“%(name)s” was already revoked.") % {"name": client.name})
    return redirect("api_clients:index")

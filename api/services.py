"""Creating and revoking API clients (HR, in the admin), and recognising their tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from profiles.hr_data.audit import audit_log, audit_log_refusal
from profiles.models import OrgUnit

from .models import ApiClient

TOKEN_PREFIX = "dst"


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_client_create(
    *, name: str, org_unit: OrgUnit | None, expires_at: dt.datetime, by, now: dt.datetime
) -> tuple[ApiClient, str]:
    """A new client and its token, which is returned here once and never stored."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            org_unit=org_unit,
            key_id=key_id,
            secret_hash=_secret_hash(secret),
            created_by=by,
            created_at=now,
            expires_at=expires_at,
        )
        audit_log(
            instance=client,
            action="api.client_create",
            user=by,
            data={"key": key_id, "org_unit": org_unit.code if org_unit else None, "expires": expires_at},
        )
    return client, f"{TOKEN_PREFIX}_{key_id}_{secret}"


def api_client_revoke(*, client: ApiClient, by, now: dt.datetime) -> bool:
    """Revoke for good; False when it already was (a second click changes nothing)."""
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is not None:
            return False
        client.revoked_at = now
        client.revoked_by = by
        client.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(instance=client, action="api.client_revoke", user=by, data={"key": client.key_id})
    return True


@dataclass(frozen=True)
class TokenCheck:
    client: ApiClient | None  # the client the token names, when it names one
    refusal: str | None  # None: accepted; else malformed, unknown, forged, revoked or expired


def token_check(raw: str | None, *, now: dt.datetime) -> TokenCheck:
    """Which client a presented token belongs to, and whether it may be used now."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return TokenCheck(None, "malformed")
    client = ApiClient.objects.select_related("org_unit").filter(key_id=parts[1]).first()
    if client is None:
        return TokenCheck(None, "unknown")
    if not hmac.compare_digest(client.secret_hash, _secret_hash(parts[2])):
        return TokenCheck(client, "forged")
    state = client.state(now)
    if state != ApiClient.State.ACTIVE:
        return TokenCheck(client, str(state))
    return TokenCheck(client, None)


def api_call_record(
    *,
    client: ApiClient | None,
    refusal: str | None,
    method: str,
    path: str,
    query: str,
    status: int,
    rows: int | None,
    address: str,
) -> None:
    """One entry in the audit log per call, answered or refused (what was asked, what came back)."""
    data = {"method": method, "path": path, "query": query, "status": status, "address": address}
    if rows is not None:
        data["rows"] = rows
    refused = status >= 400
    if refused:
        data["reason"] = refusal or str(status)
    action = "api.refused" if refused else "api.call"
    if client is not None:
        audit_log(instance=client, action=action, data=data)
        if not refused:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    else:
        audit_log_refusal(model=ApiClient, label=f"API: {data['reason']} token", action=action, data=data)

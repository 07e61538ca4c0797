"""Personal data: everything held about one person (for them to download), and anonymisation.

The collection is a generic walk, so rows added by any app are included: every model with a
foreign key to the person's ``Employee`` or user account, then every model pointing at those rows.
Anonymisation removes identity only: evidence, enrolments and attempts stay, with the unit and
group recorded at the time, so every report figure is the same before and after.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from ..organisation.models import Employee
from .audit import audit_log
from .exports import neutralise_formula

SECRET_FIELDS = {"password", "secret", "data", "token", "key", "content"}


def _related_models(target) -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        for field_object in model._meta.get_fields():
            if (
                isinstance(field_object, (models.ForeignKey, models.OneToOneField))
                and field_object.related_model is target
            ):
                found.append((model, field_object.name))
    return found


def _rows(queryset) -> list[dict]:
    names = [
        f.attname
        for f in queryset.model._meta.concrete_fields
        if f.name not in SECRET_FIELDS and not isinstance(f, models.BinaryField)
    ]
    return list(queryset.values(*names))


def personal_data_collect(employee: Employee) -> dict[str, list[dict]]:
    """``{"app.Model": [row, ...]}`` for the person, their account and the rows that point at them."""
    User = get_user_model()
    user = employee.user
    data: dict[str, list[dict]] = {
        "profiles.Employee": _rows(Employee.objects.filter(pk=employee.pk)),
        f"{User._meta.app_label}.{User.__name__}": _rows(User.objects.filter(pk=user.pk)),
    }
    first_level: list[tuple[type[models.Model], list]] = []
    for target, instance in ((Employee, employee), (User, user)):
        for model, field_name in _related_models(target):
            if model in (Employee, User):
                continue
            queryset = model._default_manager.filter(**{field_name: instance})
            rows = _rows(queryset)
            if rows:
                label = model._meta.label
                data.setdefault(label, []).extend(row for row in rows if row not in data.get(label, []))
                first_level.append((model, [row["id"] for row in rows if "id" in row]))
    for parent, ids in first_level:
        if not ids:
            continue
        for model, field_name in _related_models(parent):
            rows = _rows(model._default_manager.filter(**{f"{field_name}__in": ids}))
            if rows:
                label = model._meta.label
                existing = data.setdefault(label, [])
                existing.extend(row for row in rows if row not in existing)
    return data


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def personal_data_json(employee: Employee) -> bytes:
    data = {
        label: [{key: _plain(value) for key, value in row.items()} for row in rows]
        for label, rows in personal_data_collect(employee).items()
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def personal_data_csv(employee: Employee) -> bytes:
    """One line per value (record type, record id, field, value), formula cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["record", "id", "field", "value"])
    for label, rows in personal_data_collect(employee).items():
        for row in rows:
            for key, value in row.items():
                plain = _plain(value)
                writer.writerow(
                    [label, row.get("id", ""), key, neutralise_formula("" if plain is None else plain)]
                )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def employee_anonymise(*, employee: Employee, by, now: dt.datetime | None = None) -> Employee:
    """Remove a departed person's identity for good; their records and report figures stay."""

    now = now or timezone.now()
    with transaction.atomic():
        employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
        if employee.anonymised_at is not None:
            return employee
        code = f"ANON-{employee.pk}"
        employee.employee_number = code
        employee.first_name_th = "ไม่ระบุตัวตน"
        employee.last_name_th = code
        employee.first_name_en = "Anonymised"
        employee.last_name_en = code
        employee.position_title = ""
        employee.birth_date = None
        employee.is_active = False
        employee.anonymised_at = now
        employee.save()
        user = employee.user
        user.username = code.lower()
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        if apps.is_installed("allauth.account"):
            from allauth.account.models import EmailAddress

            EmailAddress.objects.filter(user=user).delete()
        if apps.is_installed("allauth.mfa"):
            from allauth.mfa.models import Authenticator

            Authenticator.objects.filter(user=user).delete()
        audit_log(instance=employee, action="profiles.anonymise", user=by, data={"employee": code})
    return employee


def retention_due(*, today: dt.date | None = None):
    """Departed staff whose end date is older than the retention period and who still have a name."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.DEPARTED_STAFF_RETENTION_DAYS)
    return Employee.objects.filter(is_active=False, anonymised_at__isnull=True, end_date__lt=cutoff)

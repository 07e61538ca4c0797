"""Personal data: everything held about one person (for them to download), and anonymisation.

The collection is a generic walk, so rows added by any app are included: every model with a
foreign key to the person's ``Employee`` or user account, then every model pointing at those rows.
Anonymisation removes identity only: evidence, enrolments and attempts stay, with the unit and
group recorded at the time, so every report figure is the same before and after; the proof attached
to claims of outside learning (certificates carry the name) is deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from ..organisation.models import Employee
from ..prior_learning.models import PriorLearningClaim
from .audit import audit_log
from .exports import neutralise_formula

SECRET_FIELDS = {"password", "secret", "data", "token", "key", "content"}

# What the download may show of an app's rows: ``{"app.Model": rule}``, where a rule takes the
# person's rows of that model (plain dicts) and returns the rows to give, with fields withheld or
# explained. Apps whose records carry rules of their own (an assessment's review policy) register
# one in ``AppConfig.ready``, so that this module needs to import none of them.
PersonalDataRule = Callable[[list[dict]], list[dict]]
_rules: dict[str, PersonalDataRule] = {}


def personal_data_rule_register(model_label: str, rule: PersonalDataRule) -> None:
    """Called from an app's ``AppConfig.ready``: the download passes this model's rows through ``rule``."""
    if model_label in _rules and _rules[model_label] is not rule:
        raise ValueError(f"a personal-data rule for {model_label} is already registered")
    _rules[model_label] = rule


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
    for label, rule in _rules.items():
        if label in data:
            data[label] = rule(data[label])
            if not data[label]:
                del data[label]
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
        if apps.is_installed("allauth.socialaccount"):  # the single sign-on link (subject, claims)
            from allauth.socialaccount.models import SocialAccount

            SocialAccount.objects.filter(user=user).delete()
        if apps.is_installed("allauth.mfa"):
            from allauth.mfa.models import Authenticator

            Authenticator.objects.filter(user=user).delete()
        # Proof of outside learning shows the person's name: the files go (the claims and their
        # evidence stay), once the rest is committed.
        claims = PriorLearningClaim.objects.filter(employee=employee).exclude(file="")
        paths = [(claim.file.storage, claim.file.name) for claim in claims]
        claims.update(file="", file_name="")
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in paths])
        audit_log(instance=employee, action="profiles.anonymise", user=by, data={"employee": code})
    return employee


def retention_due(*, today: dt.date | None = None):
    """Departed staff whose end date is older than the retention period and who still have a name."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.DEPARTED_STAFF_RETENTION_DAYS)
    return Employee.objects.filter(is_active=False, anonymised_at__isnull=True, end_date__lt=cutoff)

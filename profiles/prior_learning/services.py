"""Writes: an employee's claim of outside learning, and its review by their manager or HR.

Accepting records one piece of "recognised prior learning" evidence (``evidence_record``, the claim
as its source object, observed on the day the learning was completed); rejecting needs a reason. A
claim is reviewed once: the row is locked and its state checked, so a second review (or two at the
same moment) is refused. The employee is e-mailed the decision, and the people who may review a new
claim are e-mailed when it arrives, once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from decimal import Decimal
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from skills_site.thai_calendar import BANGKOK

from ..competencies.models import Competency, LevelEvidence, ProficiencyLevel
from ..competencies.selectors import frameworks_of_employee
from ..competencies.services import evidence_record
from ..organisation.access import can_manage_employee
from ..organisation.models import Employee
from .files import ClaimFileError, claim_file_check
from .models import PriorLearningClaim
from .selectors import reviewers_of

log = logging.getLogger(__name__)
MAX_HOURS = Decimal(2000)


class ClaimRefused(Exception):
    """A claim or review the rules do not allow; the message is for the person who made it."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def observed_at_of(day: dt.date) -> dt.datetime:
    """Outside learning is observed at noon, Bangkok time, on the day it was completed."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=BANGKOK)


def _same_claim(
    employee: Employee, *, title: str, provider: str, completed_on: dt.date, competency: Competency
):
    return PriorLearningClaim.objects.filter(
        employee=employee,
        title__iexact=title.strip(),
        provider__iexact=provider.strip(),
        completed_on=completed_on,
        competency=competency,
    ).order_by("-submitted_at")


def claim_submit(
    *,
    employee: Employee,
    title: str,
    provider: str,
    completed_on: dt.date,
    hours: Decimal,
    competency: Competency,
    level: int,
    file_name: str,
    content: bytes,
    now: dt.datetime,
) -> PriorLearningClaim:
    """Record a claim, waiting for review; ``ClaimRefused`` says what is wrong (nothing is kept then)."""
    title, provider = title.strip(), provider.strip()
    if not title or not provider:
        raise ClaimRefused(_("Give the course or certificate and who provided it."))
    today = now.astimezone(BANGKOK).date()
    if completed_on > today:
        raise ClaimRefused(_("The completion date is in the future."))
    if not (Decimal("0.5") <= hours <= MAX_HOURS):
        raise ClaimRefused(_("Hours must be between 0.5 and 2,000."))
    if competency.framework_id not in {framework.pk for framework in frameworks_of_employee(employee)}:
        raise ClaimRefused(
            _(
                "%(competency)s is not in a framework that applies to you: choose a competency of your "
                "own frameworks (those on your profile)."
            )
            % {"competency": competency}
        )
    if not ProficiencyLevel.objects.filter(framework_id=competency.framework_id, level=level).exists():
        raise ClaimRefused(
            _("Level %(level)s is not on the scale of %(framework)s.")
            % {"level": level, "framework": competency.framework}
        )
    try:
        checked = claim_file_check(content)
    except ClaimFileError as error:
        raise ClaimRefused(str(error)) from None
    digest = hashlib.sha256(content).hexdigest()
    for earlier in _same_claim(
        employee, title=title, provider=provider, completed_on=completed_on, competency=competency
    ):
        if earlier.state == PriorLearningClaim.State.SUBMITTED:
            raise ClaimRefused(_("You have already claimed this; it is waiting for review."))
        if earlier.state == PriorLearningClaim.State.ACCEPTED:
            raise ClaimRefused(
                _("This claim was already accepted on %(day)s; it counts once.")
                % {"day": earlier.reviewed_at.astimezone(BANGKOK).date().isoformat()}
            )
        if earlier.file_sha256 == digest:
            raise ClaimRefused(
                _(
                    "This claim was reviewed and rejected with this same file. Attach new proof, or talk to "
                    "the reviewer about the reason they gave."
                )
            )
    with transaction.atomic():
        claim = PriorLearningClaim(
            employee=employee,
            title=title[:255],
            provider=provider[:255],
            completed_on=completed_on,
            hours=hours,
            competency=competency,
            level_claimed=level,
            file_name=(file_name or "")[-255:],
            file_type=checked.file_type,
            file_size=checked.size,
            file_sha256=digest,
            submitted_at=now,
        )
        claim.file.save(f"claim.{checked.file_type}", ContentFile(content), save=False)
        claim.save()
        transaction.on_commit(lambda: _tell_reviewers(claim))
    return claim


def claim_review(
    *,
    claim: PriorLearningClaim,
    reviewer,
    accept: bool,
    level: int | None = None,
    reason: str = "",
    now: dt.datetime,
) -> PriorLearningClaim:
    """Accept (recording the evidence) or reject (with a reason) a waiting claim, once."""
    if not can_manage_employee(reviewer, claim.employee):
        raise PermissionDenied(_("Only the employee's manager or HR reviews this claim."))
    reason = reason.strip()
    if not accept and not reason:
        raise ClaimRefused(_("Say why the claim is rejected: the employee will read it."))
    with transaction.atomic():
        locked = (
            PriorLearningClaim.objects.select_for_update()
            .select_related("employee", "competency")
            .get(pk=claim.pk)
        )
        if locked.state != PriorLearningClaim.State.SUBMITTED:
            raise ClaimRefused(
                _("This claim has already been reviewed (%(state)s); a reviewed claim is not reviewed again.")
                % {"state": locked.get_state_display()}
            )
        locked.reviewer, locked.reviewed_at, locked.reason = reviewer, now, reason
        if accept:
            level = level or locked.level_claimed
            evidence, _created = evidence_record(
                employee=locked.employee,
                competency=locked.competency,
                level=level,
                source=LevelEvidence.Source.PRIOR_LEARNING,
                observed_at=observed_at_of(locked.completed_on),
                recorded_by=reviewer,
                source_object=locked,
                source_label=f"{locked.provider}: {locked.title}",
                note=reason,
            )
            locked.state, locked.level_accepted, locked.evidence = (
                PriorLearningClaim.State.ACCEPTED,
                level,
                evidence,
            )
        else:
            locked.state = PriorLearningClaim.State.REJECTED
        locked.save(
            update_fields=["state", "reviewer", "reviewed_at", "reason", "level_accepted", "evidence"]
        )
        transaction.on_commit(lambda: _tell_employee(locked))
    return locked


# --- E-mail ------------------------------------------------------------------------------------------------


def _link(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _both_languages(render) -> tuple[str, str]:
    """Subject and body in Thai, then English: the department reads Thai; some staff read English."""
    parts = []
    for language in ("th", "en"):
        with translation.override(language):
            parts.append(render())
    subject = f"{parts[0][0]} / {parts[1][0]}"
    return subject, parts[0][1] + "\n\n----\n\n" + parts[1][1]


def _send(subject: str, body: str, addresses: list[str]) -> None:
    addresses = [address for address in addresses if address]
    if not addresses:
        return
    try:
        send_mail(subject, body, None, addresses)
    except (OSError, SMTPException):
        # The decision stands; the employee sees it on their page. The mail server's failure is logged.
        log.exception("Could not e-mail %s about an outside learning claim", addresses)


def _tell_employee(claim: PriorLearningClaim) -> None:
    def render():
        accepted = claim.state == PriorLearningClaim.State.ACCEPTED
        subject = (
            _("Your outside learning was accepted")
            if accepted
            else _("Your outside learning claim was rejected")
        )
        lines = [
            _("Dear %(name)s,") % {"name": claim.employee.full_name},
            "",
            f"{claim.provider}: {claim.title} ({claim.completed_on.isoformat()})",
        ]
        if accepted:
            lines.append(
                _("It now counts as evidence of level %(level)s in %(competency)s.")
                % {"level": claim.level_accepted, "competency": claim.competency}
            )
        else:
            lines.append(_("It was rejected for this reason:"))
        if claim.reason:
            lines += ["", claim.reason]
        lines += ["", _link(reverse("profiles:prior_learning_detail", args=[claim.pk]))]
        return subject, "\n".join(lines)

    subject, body = _both_languages(render)
    _send(subject, body, [claim.employee.user.email if claim.employee.user_id else ""])


def _tell_reviewers(claim: PriorLearningClaim) -> None:
    reviewers = reviewers_of(claim.employee)

    def render():
        subject = _("An outside learning claim to review")
        body = "\n".join(
            [
                _("%(name)s claims outside learning:") % {"name": claim.employee.full_name},
                f"{claim.provider}: {claim.title} ({claim.completed_on.isoformat()}), {claim.competency} "
                + _("level %(level)s") % {"level": claim.level_claimed},
                "",
                _link(reverse("profiles:prior_learning_detail", args=[claim.pk])),
            ]
        )
        return subject, body

    subject, body = _both_languages(render)
    _send(subject, body, [person.user.email for person in reviewers if person.user_id])

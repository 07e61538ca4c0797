"""A head of unit's share of the training plan, outside the admin (linked from My team): who in their
units is planned on which course, by when, and "Assign my units' share" with a dry run first.

The plan shown is the active plan's cheapest plan meeting its targets for the default fiscal year (HR
works with budget ceilings in the admin). Only the units the user heads (and those below) are shown or
assigned; the targets stay the department's.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from skills_site.thai_calendar import format_fiscal_year

from ..organisation.access import managed_unit_ids
from ..organisation.selectors import employee_for_user
from .admin_views import assigned_message
from .selectors import team_plan
from .services import PlanChanged, already_assigned, assignment_preview, training_plan_assign
from .tables import plan_tables


def now() -> dt.datetime:
    return timezone.now()


@login_required
def team_training_page(request):
    units = managed_unit_ids(request.user)
    if not units:
        raise PermissionDenied(_("The training plan of a team is for heads of units."))
    found = team_plan(now=now())
    language = translation.get_language()
    context = {"units": units, "is_manager": True, "plan": None}
    if found is None:
        return render(request, "profiles/training/team.html", context)
    plan, training = found
    me = employee_for_user(request.user)
    preview = assignment_preview(training, unit_ids=units, exclude_employee_id=me.pk if me else None)
    here = reverse("profiles:my_team_training")
    if request.method == "POST":
        expected = request.POST.get("fingerprint", "")
        try:
            report = training_plan_assign(
                plan=plan,
                training=training,
                preview=preview,
                expected_fingerprint=expected,
                user=request.user,
                scope_label=_("Your units' share"),
            )
        except PlanChanged:
            done = already_assigned(expected)
            if done is not None:
                messages.info(
                    request, assigned_message(done) + " " + _("(This dry run had already been assigned.)")
                )
            else:
                messages.error(
                    request,
                    _(
                        "The plan has changed since your dry run (new evidence, courses or enrolments). "
                    "Nothing was assigned: check the new dry run below."
                    ),
                )
            return redirect(here)
        messages.success(request, assigned_message(report.as_dict()))
        return redirect(here)
    context.update(
        plan=plan,
        training=training,
        tables=plan_tables(training, language=language, unit_ids=units),
        preview=preview,
        year_label=format_fiscal_year(training.fiscal_year, language),
        scope_label=_("Your units' share"),
        post_url=here,
    )
    return render(request, "profiles/training/team.html", context)

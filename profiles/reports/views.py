"""Staff pages over the reports: "My skills" for every employee and "My team" for heads of units.

Each view parses the request, checks scope through ``organisation.access``, calls one selector and
renders; charts are built in ``figures`` and cached in ``cache``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from skills_site.page_cache import cacheable_page

from ..organisation.access import headed_units, is_hr, is_manager, managed_unit_ids
from ..organisation.selectors import employee_for_user, subtree, unit_tree
from ..training.selectors import team_training_share
from . import charts
from .admin_views import png_response
from .cache import cached, report_cache_key
from .contributions import can_assign_courses
from .figures import my_skills_figure, team_readiness_figure
from .selectors import TEAM_SORTS, my_skills, recommended_courses, team_members, team_page, team_readiness


def now() -> dt.datetime:
    return timezone.now()


@login_required
@cacheable_page
def my_skills_page(request):
    """The signed-in employee's levels against role targets, their history and the evidence."""
    employee = employee_for_user(request.user)
    skills = my_skills(employee, now=now()) if employee else None
    return render(
        request,
        "profiles/my_skills.html",
        {
            "employee": employee,
            "skills": skills,
            "recommended": recommended_courses(employee, skills),
            "is_manager": is_manager(request.user),
        },
    )


@login_required
@cacheable_page
def my_skills_chart(request, kind: str):
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("No staff profile is linked to your account."))

    phone = charts.wants_phone_size(request)

    def build() -> bytes:
        with charts.for_phone(phone):
            figure = my_skills_figure(my_skills(employee, now=now()), kind)
            if figure is None:
                raise Http404(_("No such chart."))
            return charts.figure_png(figure)

    key = report_cache_key(
        "my-skills", employee.pk, kind, phone, translation.get_language(), timezone.localdate()
    )
    return png_response(cached(key, build))


def _team_scope(request) -> tuple[list[int], int | None]:
    """The units whose staff this user may see as a team, and the one chosen (``?unit=``)."""
    if is_hr(request.user):
        allowed = None
    else:
        allowed = managed_unit_ids(request.user)
        if not allowed:
            raise PermissionDenied(_("My team is for heads of units."))
    raw = request.GET.get("unit")
    if raw:
        if not raw.isdigit() or (allowed is not None and int(raw) not in allowed):
            raise PermissionDenied(_("You can only see the teams of units you manage."))
        return sorted(subtree(unit_tree(), int(raw))), int(raw)
    if allowed is None:
        head = headed_units(request.user).first()
        if head is None:
            raise Http404(_("Choose a unit."))
        return sorted(subtree(unit_tree(), head.pk)), head.pk
    return sorted(allowed), None


def _team_members(request):
    unit_ids, chosen = _team_scope(request)
    members = team_members(unit_ids, manager=request.user)
    return members, chosen


@login_required
@cacheable_page
def my_team_page(request):
    """A manager's team: skills matrix coloured by gap, readiness, who needs what, courses for gaps."""
    members, chosen = _team_members(request)
    page = request.GET.get("page", "1")
    sort = request.GET.get("sort", "name")
    search = request.GET.get("q", "").strip()[:100]
    team = team_page(
        members,
        as_of=now(),
        page=int(page) if page.isdigit() else 1,
        sort=sort if sort in TEAM_SORTS else "name",
        search=search,
    )
    paging = request.GET.copy()
    paging.pop("page", None)
    return render(
        request,
        "profiles/team/readiness.html",
        {
            "team": team,
            "search": search,
            "sort": sort,
            "paging_query": paging.urlencode(),
            "units": headed_units(request.user).order_by("code"),
            "chosen_unit": chosen,
            "query": request.GET.urlencode(),
            "can_assign": can_assign_courses(request.user),
            "is_manager": True,
            "training": team_training_share(managed_unit_ids(request.user), now=now()),
        },
    )


@login_required
@cacheable_page
def my_team_chart(request):
    members, chosen = _team_members(request)
    phone = charts.wants_phone_size(request)
    key = report_cache_key(
        "team", request.user.pk, chosen, phone, translation.get_language(), timezone.localdate()
    )

    def build() -> bytes:
        with charts.for_phone(phone):
            return charts.figure_png(team_readiness_figure(team_readiness(members, as_of=now())))

    return png_response(cached(key, build))

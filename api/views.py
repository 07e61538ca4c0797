"""The read API at /api/v1/ (django-ninja): org units, staff, current levels, evidence since a
cursor, and plan targets with their status. Read-only, per-client tokens, scoped like an HR
officer; the OpenAPI 3 schema is at /api/v1/schema/."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import Field

from profiles.competencies.levels import as_of_moment
from profiles.models import CapabilityPlan, OrgUnit
from profiles.organisation.selectors import unit_subtree_ids
from profiles.reports.selectors import capability_report

from . import selectors
from .cursors import CursorRefused, cursor_make, cursor_read
from .models import ApiClient
from .services import token_check

DESCRIPTION = """Read-only data for HR systems and BI tools (Power BI, Excel's Power Query).

Send the token HR created for your system as `Authorization: Bearer <token>`. A token reads its
org unit and every unit below it (or the whole department), and expires. Lists come in pages in id
order: pass the `next_cursor` of one page as `cursor` to get the next, with the same parameters.
Every call is recorded in the site's audit log."""


class ApiRefused(HttpError):
    """A refusal with its status and a message that says what to do."""


def _refusal_message(refusal: str) -> str:
    return {
        "missing": _("Send your token as “Authorization: Bearer <token>”."),
        "malformed": _("This is not a token of this site. Ask HR for one."),
        "unknown": _("No API client has this token. Ask HR for one."),
        "forged": _("This token is not valid. Ask HR for a new one."),
        "revoked": _("This token has been revoked. Ask HR for a new one."),
        "expired": _("This token has expired. Ask HR for a new one."),
    }[refusal]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class TokenAuth(HttpBearer):
    """A client's token from the Authorization header; refusals say why, and are counted per address."""

    def __call__(self, request):
        key = f"api-refusals:{client_address(request)}"
        limit = settings.API_REFUSALS_PER_MINUTE
        if (cache.get(key) or 0) >= limit:
            request.api_refusal = "throttled"
            raise ApiRefused(429, _("Too many refused calls from this address; wait a minute."))
        scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            check_client, refusal = None, "missing"
        else:
            check = token_check(raw.strip(), now=timezone.now())
            check_client, refusal = check.client, check.refusal
        request.api_client = check_client
        request.api_refusal = refusal
        if refusal is not None:
            cache.add(key, 0, timeout=60)
            cache.incr(key)
            raise ApiRefused(401, _refusal_message(refusal))
        return check_client

    def authenticate(self, request, token):  # the header is read in __call__
        raise NotImplementedError


class ClientThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` calls per client (e.g. 120/m), read when each call is counted."""

    def __init__(self):
        super().__init__(rate="1/s")

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE_LIMIT)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str | None:
        client = getattr(request, "api_client", None)
        return f"api-throttle:{client.pk}" if client is not None else None


api = NinjaAPI(
    title="Digital Skills Tracker read API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api_v1",
    docs_url=None,
    openapi_url="/schema/",
    auth=TokenAuth(),
    throttle=[ClientThrottle()],
)


@api.exception_handler(ApiRefused)
def refused(request, exc: ApiRefused):
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(CursorRefused)
def cursor_refused(request, exc: CursorRefused):
    request.api_refusal = "cursor"
    return api.create_response(request, {"detail": str(exc)}, status=400)


# --- Scope --------------------------------------------------------------------------------------


def _scope(request, unit_id: int | None) -> list[int] | None:
    """The units a call reads: the client's subtree, narrowed to ``unit_id``'s when it is inside it."""
    client: ApiClient = request.auth
    allowed = None if client.org_unit_id is None else unit_subtree_ids(client.org_unit_id)
    if unit_id is None:
        return allowed
    if allowed is not None and unit_id not in allowed:
        request.api_refusal = "scope"
        raise ApiRefused(
            403,
            _("This token reads org unit %(code)s and the units below it only.")
            % {"code": client.org_unit.code},
        )
    if allowed is None and not OrgUnit.objects.filter(pk=unit_id).exists():
        raise ApiRefused(404, _("There is no org unit %(id)s.") % {"id": unit_id})
    return unit_subtree_ids(unit_id)


def _next(request, endpoint: str, params: dict, rows: list, more: bool) -> str | None:
    request.api_rows = len(rows)
    if not more:
        return None
    last = rows[-1]["id"] if isinstance(rows[-1], dict) else rows[-1].id
    return cursor_make(client_id=request.auth.pk, endpoint=endpoint, params=params, after=last)


class PageQuery(Schema):
    cursor: str | None = Field(None, description="`next_cursor` of the previous page.")
    page_size: int = Field(100, ge=1, le=500)


class UnitPageQuery(PageQuery):
    unit: int | None = Field(None, description="Only this org unit and the units below it.")


# --- Org units ----------------------------------------------------------------------------------


class OrgUnitOut(Schema):
    id: int
    code: str
    name_th: str
    name_en: str
    kind: str
    parent_id: int | None
    head_id: int | None = Field(description="Employee id of the unit's head.")
    is_active: bool


class OrgUnitPage(Schema):
    results: list[OrgUnitOut]
    next_cursor: str | None


@api.get("/org-units/", response=OrgUnitPage, summary="Org units", tags=["Organisation"])
def org_units(request, query: Query[PageQuery]):
    params: dict = {}
    after = cursor_read(query.cursor, client_id=request.auth.pk, endpoint="org-units", params=params)
    rows, more = selectors.org_units_page(unit_ids=_scope(request, None), after=after, size=query.page_size)
    return {"results": rows, "next_cursor": _next(request, "org-units", params, rows, more)}


# --- Staff --------------------------------------------------------------------------------------


class StaffOut(Schema):
    id: int
    employee_number: str
    first_name_th: str
    last_name_th: str
    first_name_en: str
    last_name_en: str
    org_unit_id: int
    personnel_group: str = Field(description="Personnel group code.")
    is_active: bool
    start_date: dt.date
    end_date: dt.date | None

    @staticmethod
    def resolve_personnel_group(employee) -> str:
        return employee.personnel_group.code


class StaffPage(Schema):
    results: list[StaffOut]
    next_cursor: str | None


class StaffQuery(UnitPageQuery):
    include_inactive: bool = Field(False, description="Include people who have left.")


@api.get("/staff/", response=StaffPage, summary="Staff (minimal fields)", tags=["Organisation"])
def staff(request, query: Query[StaffQuery]):
    params = {"unit": query.unit, "inactive": query.include_inactive}
    after = cursor_read(query.cursor, client_id=request.auth.pk, endpoint="staff", params=params)
    rows, more = selectors.staff_page(
        unit_ids=_scope(request, query.unit), after=after, size=query.page_size,
        include_inactive=query.include_inactive,
    )  # fmt: skip
    return {"results": rows, "next_cursor": _next(request, "staff", params, rows, more)}


# --- Current levels -----------------------------------------------------------------------------


class LevelOut(Schema):
    competency_id: int
    framework: str
    competency: str = Field(description="Competency code within its framework.")
    level: int
    source: str = Field(description="The kind of evidence that decides the level.")
    self_rated: bool
    evidence_id: int = Field(description="The deciding evidence record.")
    observed_at: dt.datetime


class EmployeeLevelsOut(Schema):
    employee_id: int
    employee_number: str
    levels: list[LevelOut]


class LevelsPage(Schema):
    as_of: dt.datetime
    results: list[EmployeeLevelsOut]
    next_cursor: str | None


class LevelsQuery(UnitPageQuery):
    as_of: dt.date | None = Field(None, description="The end of this day in Bangkok; today when left out.")


@api.get("/levels/", response=LevelsPage, summary="Current levels as of a date", tags=["Competencies"])
def levels(request, query: Query[LevelsQuery]):
    """Each active person's level per competency, from the evidence log by the site's level policy."""
    today = timezone.localdate()
    day = query.as_of or today
    if day > today:
        raise ApiRefused(400, _("as_of cannot be after today (%(today)s).") % {"today": today.isoformat()})
    params = {"unit": query.unit, "as_of": day.isoformat()}
    after = cursor_read(query.cursor, client_id=request.auth.pk, endpoint="levels", params=params)
    moment = as_of_moment(day)
    rows, codes, more = selectors.levels_page(
        unit_ids=_scope(request, query.unit), after=after, size=query.page_size, as_of=moment
    )
    results = [
        {
            "employee_id": employee.id,
            "employee_number": employee.employee_number,
            "levels": [
                {
                    "competency_id": cid, "framework": codes[cid][0], "competency": codes[cid][1],
                    "level": current.level, "source": current.source, "self_rated": current.is_self_rated,
                    "evidence_id": current.deciding.id, "observed_at": current.deciding.observed_at,
                }  # fmt: skip
                for cid, current in sorted(per_employee.items(), key=lambda item: codes[item[0]])
            ],
        }
        for employee, per_employee in rows
    ]
    employees = [employee for employee, _levels in rows]
    cursor = _next(request, "levels", params, employees, more)
    return {"as_of": moment, "results": results, "next_cursor": cursor}


# --- Evidence since a cursor ----------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    employee_id: int
    employee_number: str = Field(validation_alias="employee__employee_number")
    competency_id: int
    framework: str = Field(validation_alias="competency__area__framework__code")
    competency: str = Field(validation_alias="competency__code")
    level: int
    source: str
    observed_at: dt.datetime
    recorded_at: dt.datetime
    corrects_id: int | None = Field(description="The record this one corrects; that one no longer counts.")
    org_unit_at_time_id: int
    personnel_group_at_time: str = Field(validation_alias="personnel_group_at_time__code")


class EvidencePage(Schema):
    results: list[EvidenceOut]
    next_cursor: str = Field(description="Pass it next time (now or later) to get what was recorded since.")
    more: bool = Field(description="True when more records are waiting now.")


@api.get("/evidence/", response=EvidencePage, summary="Evidence since a cursor", tags=["Competencies"])
def evidence(request, query: Query[UnitPageQuery]):
    """The append-only evidence log in the order it was recorded, for incremental sync.

    Keep the `next_cursor` of the last page and send it next time: you get only what was recorded
    since. A record appears `API_EVIDENCE_SETTLE_SECONDS` after it was recorded.
    """
    params = {"unit": query.unit}
    after = cursor_read(query.cursor, client_id=request.auth.pk, endpoint="evidence", params=params)
    settled = timezone.now() - dt.timedelta(seconds=settings.API_EVIDENCE_SETTLE_SECONDS)
    rows, more = selectors.evidence_page(
        unit_ids=_scope(request, query.unit), after=after, size=query.page_size, settled_before=settled
    )
    request.api_rows = len(rows)
    last = rows[-1]["id"] if rows else after
    cursor = cursor_make(client_id=request.auth.pk, endpoint="evidence", params=params, after=last)
    return {"results": rows, "next_cursor": cursor, "more": more}


# --- Plans and their targets --------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    code: str
    name_th: str
    name_en: str
    first_fiscal_year: int = Field(description="Thai fiscal year (B.E.), e.g. 2566.")
    last_fiscal_year: int
    is_active: bool


@api.get("/plans/", response=list[PlanOut], summary="Capability plans", tags=["Plans"])
def plans(request):
    rows = list(CapabilityPlan.objects.order_by("first_fiscal_year", "code"))
    request.api_rows = len(rows)
    return rows


class TargetStatusOut(Schema):
    target_id: int
    target: str
    competency: str
    min_level: int
    population: str
    fiscal_year: int = Field(description="Thai fiscal year (B.E.): FY2568 = 1 Oct 2024 – 30 Sep 2025.")
    quarter: int | None
    period: str = Field(description="baseline, year or quarter.")
    as_of: dt.date | None
    to_date: bool = Field(description="True for the running year or quarter, measured up to today.")
    headcount: int | None
    reached: int | None
    actual_pct: float | None
    target_pct: float | None
    needed: int | None
    gap_headcount: int | None
    status: str | None = Field(description="met, on_track, at_risk or off_track.")


class TargetsQuery(Schema):
    fiscal_year: int | None = Field(None, description="Only this fiscal year (B.E.).")
    unit: int | None = Field(None, description="Figures for this org unit and the units below it.")


@api.get(
    "/plans/{plan_id}/targets/",
    response=list[TargetStatusOut],
    summary="Plan targets with their status per fiscal year",
    tags=["Plans"],
)
def plan_targets(request, plan_id: int, query: Query[TargetsQuery]):
    """The capability report's target table: per target and period, actual, target, gap and status."""
    plan = get_object_or_404(CapabilityPlan, pk=plan_id)
    client: ApiClient = request.auth
    unit_id = query.unit if query.unit is not None else client.org_unit_id
    _scope(request, unit_id)
    report = capability_report(plan, now=timezone.now(), unit_id=unit_id, fiscal_year=query.fiscal_year)
    table = report.table
    if query.fiscal_year is not None:
        table = table[table["fiscal_year"] == query.fiscal_year]
    rows = [
        {key: (None if _missing(value) else value) for key, value in row.items()}
        for row in table.to_dict("records")
    ]
    request.api_rows = len(rows)
    return rows


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)

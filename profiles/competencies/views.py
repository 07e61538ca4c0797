"""Pages staff see about themselves."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..organisation.selectors import employee_for_user
from .levels import SOURCE_RANK
from .models import LevelEvidence
from .selectors import employee_competency_profile


@login_required
def my_profile(request):
    """The signed-in employee's levels against their role targets, with the evidence behind them."""
    employee = employee_for_user(request.user)
    frameworks = employee_competency_profile(employee) if employee else []
    return render(
        request,
        "profiles/my_profile.html",
        {"employee": employee, "frameworks": frameworks, "validity": _validity()},
    )


def _validity() -> list[tuple[str, int]]:
    """How long each kind of evidence counts, strongest source first, for the policy note."""
    sources = sorted(LevelEvidence.Source, key=lambda source: -SOURCE_RANK[source])
    return [(source.label, settings.LEVEL_EVIDENCE_VALID_DAYS[source]) for source in sources]

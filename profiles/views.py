"""Pages staff see about themselves."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import employee_competency_profile, employee_for_user


@login_required
def my_profile(request):
    """The signed-in employee's levels against their role targets, with the evidence behind them."""
    employee = employee_for_user(request.user)
    frameworks = employee_competency_profile(employee) if employee else []
    return render(
        request,
        "profiles/my_profile.html",
        {"employee": employee, "frameworks": frameworks},
    )

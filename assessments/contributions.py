"""What assessments contribute to the capability reports (registered in ``AssessmentsConfig.ready``)."""

from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet

from profiles.models import Employee
from profiles.reports.contributions import ATTEMPT_COLUMNS

from .models import Attempt


def submitted_attempts_of(staff: QuerySet[Employee]) -> pd.DataFrame:
    """When each submitted attempt of these people was submitted, and whether it passed."""
    rows = Attempt.objects.filter(employee__in=staff, status=Attempt.Status.SUBMITTED).values_list(
        "submitted_at", "passed"
    )
    return pd.DataFrame(list(rows), columns=ATTEMPT_COLUMNS)

"""Run once by the browser tests' live server before it starts: the demo department and a plan.

The demo data has no capability plan, so HR's report would be empty; this adds a small one over
the OCSC framework (one target per competency, level 3 and up, shares for every fiscal year).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skills_site.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from profiles.models import CapabilityPlan, Competency, PlanTarget, PlanTargetValue  # noqa: E402
from skills_site.thai_calendar import fiscal_year_of  # noqa: E402

PLAN_CODE = "E2E"


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_frameworks", verbosity=0)
    call_command("seed_demo", employees=12, verbosity=0)
    with transaction.atomic():
        competencies = list(
            Competency.objects.filter(framework__code__startswith="OCSC").order_by("sort_order", "id")
        )
        year = fiscal_year_of(timezone.now())
        plan = CapabilityPlan.objects.create(
            code=PLAN_CODE,
            name_th="แผนพัฒนาทักษะดิจิทัลของกรม",
            name_en="Department digital skills plan",
            framework=competencies[0].framework,
            first_fiscal_year=year - 2,
            last_fiscal_year=year + 1,
        )
        for order, competency in enumerate(competencies):
            target = PlanTarget.objects.create(
                plan=plan,
                competency=competency,
                min_level=3,
                baseline_fiscal_year=year - 3,
                sort_order=order,
            )
            PlanTargetValue.objects.bulk_create(
                [
                    PlanTargetValue(target=target, fiscal_year=y, value=40 + 10 * i)
                    for i, y in enumerate(range(year - 2, year + 2))
                ]
            )


if __name__ == "__main__":
    main()

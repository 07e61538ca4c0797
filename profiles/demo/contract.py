"""How apps take part in ``manage.py seed_demo``.

``seed_demo`` builds the demo department and a five-year evidence history, then lets each app
with a ``demo`` module (``courses.demo``, ``assessments.demo``) add its content and tie the
history to its own records, so that every piece of course or assessment evidence in the demo
points at a real completion or attempt. An app's ``demo`` module provides:

``seed_content(*, stdout, rng) -> None``
    Create the app's demo content (pages, question banks). Called once, before the history.

``link_evidence(events: list[DemoEvent], *, rng, stdout) -> None``
    For the events whose ``source`` the app produces, create the records behind them (an
    enrolment completed at ``observed_at``, a submitted attempt) in bulk, and set
    ``source_content_type_id``, ``source_object_id`` and ``source_label`` on each such event.
    Events it cannot tie to a record it leaves alone. It must not write LevelEvidence itself:
    ``seed_demo`` bulk-inserts every event afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class DemoEvent:
    """One evidence record that the demo history will insert."""

    employee_id: int
    user_id: int
    competency_id: int
    framework_code: str
    competency_code: str
    level: int
    source: str
    observed_at: dt.datetime
    org_unit_id: int
    personnel_group_id: int
    recorded_by_id: int | None = None
    source_content_type_id: int | None = None
    source_object_id: str = ""
    source_label: str = ""
    note: str = ""

"""How far a running import commit has got, for the progress bar on the commit page.

Kept in Django's cache (Redis, or the file cache a host's workers share in production), because the
status request that reads it is usually served by another worker than the commit that writes it.
"""

from __future__ import annotations

from django.core.cache import cache

STAGES = ("checking", "writing", "finished", "failed")
KEEP_SECONDS = 60 * 60


def _key(staff_import_id: int) -> str:
    return f"profiles:import-progress:{staff_import_id}"


def import_progress_set(*, staff_import_id: int, stage: str, done: int = 0, total: int = 0) -> None:
    if stage not in STAGES:
        raise ValueError(f"Unknown import stage {stage!r}")
    cache.set(_key(staff_import_id), {"stage": stage, "done": done, "total": total}, KEEP_SECONDS)


def import_progress_get(*, staff_import_id: int) -> dict | None:
    """{"stage", "done", "total"}, or None when no commit of this import has started (or it expired)."""
    return cache.get(_key(staff_import_id))

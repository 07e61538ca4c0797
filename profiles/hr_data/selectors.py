"""Reads for the HR data pages and the home page."""

from __future__ import annotations

from .models import StaffImport


def latest_import() -> StaffImport | None:
    """The last file uploaded from the HR system (without its content), for HR's first page."""
    imports = StaffImport.objects.select_related("uploaded_by").defer("content")
    return imports.order_by("-uploaded_at", "-id").first()

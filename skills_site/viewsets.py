"""The project's base for Wagtail admin listings."""

import datetime as dt

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet as WagtailModelViewSet

from . import thai_calendar


def calendar_date(value) -> str:
    """A date or moment as the reader's language writes it: B.E. in Thai, C.E. in English."""
    language = translation.get_language() or "th"
    if isinstance(value, dt.datetime):
        return thai_calendar.format_be_datetime(value, language)
    if isinstance(value, dt.date):
        return thai_calendar.format_be_date(value, language)
    return value


class CalendarDateColumn(Column):
    """A listing's date column: "26 พ.ย. 2569" in Thai (Wagtail's own shows "26 พฤศจิกายน 2026")."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return calendar_date(value) if value else value


class ModelViewSet(WagtailModelViewSet):
    """Wagtail's ModelViewSet, plus ``get_queryset(request)`` to shape the listing's rows, and date
    columns in the reader's calendar.

    Wagtail builds a listing from the model's default manager; a viewset that defines
    ``get_queryset(request)`` (for example to ``select_related`` what its columns show, so the
    listing costs the same number of queries for 20 rows as for 2) has it used by the listing
    and its search results. A date or datetime field named in ``list_display`` is shown by a
    ``CalendarDateColumn``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if hasattr(self, "get_queryset"):
            self.index_view_class = self._listing_class(self.index_view_class)

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        list_display = view_kwargs.get("list_display")
        if isinstance(list_display, (list, tuple)):
            view_kwargs["list_display"] = [self._calendar_column(entry) for entry in list_display]
        return view_kwargs

    def _calendar_column(self, entry):
        if not isinstance(entry, str) or "__" in entry:
            return entry
        try:
            field = self.model._meta.get_field(entry)
        except FieldDoesNotExist:
            return entry
        if not isinstance(field, models.DateField):  # DateTimeField is a DateField
            return entry
        return CalendarDateColumn(entry, label=capfirst(field.verbose_name), sort_key=entry)

    def _listing_class(self, view_class):
        viewset = self

        def get_base_queryset(view):
            return viewset.get_queryset(view.request)

        return type(view_class.__name__, (view_class,), {"get_base_queryset": get_base_queryset})

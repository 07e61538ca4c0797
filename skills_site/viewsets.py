"""The project's base for Wagtail admin listings."""

from wagtail.admin.viewsets.model import ModelViewSet as WagtailModelViewSet


class ModelViewSet(WagtailModelViewSet):
    """Wagtail's ModelViewSet, plus ``get_queryset(request)`` to shape the listing's rows.

    Wagtail builds a listing from the model's default manager; a viewset that defines
    ``get_queryset(request)`` (for example to ``select_related`` what its columns show, so the
    listing costs the same number of queries for 20 rows as for 2) has it used by the listing
    and its search results.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if hasattr(self, "get_queryset"):
            self.index_view_class = self._listing_class(self.index_view_class)

    def _listing_class(self, view_class):
        viewset = self

        def get_base_queryset(view):
            return viewset.get_queryset(view.request)

        return type(view_class.__name__, (view_class,), {"get_base_queryset": get_base_queryset})

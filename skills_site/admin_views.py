"""Wagtail admin views the project narrows: the site history is HR's audit trail."""

from wagtail.admin.auth import permission_denied
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from profiles.organisation.access import is_hr


def may_read_site_history(user) -> bool:
    """Department-wide HR and administrators: the log names people and what was done to them.

    Content editors read a page's own history from the page; an HR officer limited to a subtree
    reads the history of the records in their units from each record.
    """
    return is_hr(user)


class SiteHistoryView(LogEntriesView):
    """Wagtail's site history (and its CSV/Excel export), for those who may read the audit trail."""

    def dispatch(self, request, *args, **kwargs):
        if not may_read_site_history(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

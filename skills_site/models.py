"""The site's own pages."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from assessments.models import AssessmentPage
from assessments.selectors import next_schedule_change

from .page_cache import page_cache_allow, page_cache_until
from .selectors import home_for


def now() -> dt.datetime:
    return timezone.now()


class HomePage(Page):
    """The landing page: each person's next steps, by the roles they hold (or the way in)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        moment = now()
        context["home"] = home_for(request.user, now=moment, request=request)
        if not getattr(request, "is_preview", False):
            page_cache_allow(request)
            page_cache_until(
                request, next_schedule_change(assessments=AssessmentPage.objects.all(), now=moment)
            )
        return context

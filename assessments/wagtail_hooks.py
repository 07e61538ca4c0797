"""Registers the question bank under one "Question bank" admin menu, with GIFT import/export."""

from types import SimpleNamespace

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets import Button

from skills_site.viewsets import ModelViewSet

from . import admin_views
from .gift import choice_problems
from .models import AssessmentPage, Question, QuestionCategory
from .selectors import can_view_statistics


class QuestionAdminForm(WagtailAdminModelForm):
    """Checks the options against the question type, with the rules the GIFT importer applies."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices") if hasattr(self, "formsets") else None
        if formset is not None and formset.is_valid() and cleaned.get("kind"):
            choices = [
                SimpleNamespace(**form.cleaned_data)
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            for problem in choice_problems(cleaned["kind"], choices):
                self.add_error(None, problem)
        return cleaned


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "kind", "competency", "difficulty", "category", "is_active"]
    list_filter = ["category", "kind", "competency", "difficulty", "is_active"]
    search_fields = ["name", "text_th", "text_en"]
    copy_view_enabled = True
    inspect_view_enabled = False
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionAdminForm)

    def get_queryset(self, request):
        return Question.objects.select_related("category", "competency")


class QuestionCategoryViewSet(ModelViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["name", "description"]
    form_fields = ["name", "description"]
    search_fields = ["name"]
    copy_view_enabled = False


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class GiftViewSet(ViewSet):
    """GIFT import and export: a page of its own in the question bank menu."""

    name = "assessments_gift"
    url_prefix = "question-bank/gift"
    icon = "download"
    menu_label = _("GIFT import / export")

    def get_urlpatterns(self):
        return [
            path("", admin_views.gift_index, name="index"),
            path("export/", admin_views.gift_export, name="export"),
        ]

    def get_menu_item(self, order=None):
        return PermittedMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="gift-import-export",
            icon_name=self.icon,
            order=order or 300,
            permission="assessments.add_question",
        )


class QuestionBankGroup(ViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 250
    items = (QuestionViewSet, QuestionCategoryViewSet, GiftViewSet)


@hooks.register("register_admin_viewset")
def register_question_bank():
    return QuestionBankGroup()


@hooks.register("register_page_listing_more_buttons")
def statistics_button(page, user, next_url=None):
    """Item statistics from the page listing, for an assessment's authors and HR."""
    if page.specific_class is AssessmentPage and can_view_statistics(user, page):
        yield Button(
            _("Item statistics"),
            reverse("assessments:statistics", args=[page.pk]),
            icon_name="table",
            priority=45,
        )

"""Registers the question bank under one "Question bank" admin menu, with GIFT import/export."""

from types import SimpleNamespace

from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets import Button

from skills_site.rich_text import TextFormat, render_text, sanitise_html
from skills_site.viewsets import ModelViewSet

from . import admin_views
from .gift import choice_problems
from .models import AssessmentPage, Question, QuestionCategory
from .selectors import can_view_statistics


def _clean_html(values: dict, instance, pairs) -> None:
    """HTML is stored cleaned, as the GIFT import stores it: nothing that could run is ever kept."""
    for format_field, text_fields in pairs:
        if values.get(format_field) == TextFormat.HTML:
            for name in text_fields:
                if values.get(name):
                    values[name] = sanitise_html(values[name])
                    setattr(instance, name, values[name])


class QuestionAdminForm(WagtailAdminModelForm):
    """Checks the options against the question type, with the rules the GIFT importer applies."""

    def clean(self):
        cleaned = super().clean()
        _clean_html(cleaned, self.instance, [
            ("text_format", ("text_th", "text_en")),
            ("general_feedback_format", ("general_feedback_th", "general_feedback_en")),
        ])  # fmt: skip
        formset = self.formsets.get("choices") if hasattr(self, "formsets") else None
        if formset is not None and formset.is_valid() and cleaned.get("kind"):
            live = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            for form in live:
                _clean_html(form.cleaned_data, form.instance, [
                    ("text_format", ("text_th", "text_en")),
                    ("feedback_format", ("feedback_th", "feedback_en")),
                ])  # fmt: skip
            choices = [SimpleNamespace(**form.cleaned_data) for form in live]
            for problem in choice_problems(cleaned["kind"], choices):
                self.add_error(None, problem)
        return cleaned


def _option_display(choice):
    if choice.number is not None:
        text = f"{choice.number.normalize():f} ± {choice.tolerance.normalize():f}"
    else:
        text = render_text(choice.text_th or choice.text_en, choice.text_format, inline=True)
    parts = [format_html("{} <strong>{}%</strong>", text, f"{choice.weight.normalize():f}")]
    if choice.match_th or choice.match_en:
        parts.append(format_html(" → {}", choice.match_th or choice.match_en))
    if choice.feedback_th or choice.feedback_en:
        feedback = render_text(choice.feedback_th or choice.feedback_en, choice.feedback_format)
        parts.append(format_html('<div class="help">{}</div>', feedback))
    return format_html_join("", "{}", ((part,) for part in parts))


class QuestionInspectView(InspectView):
    """The question as learners see it: texts formatted (and cleaned), with every option's weight."""

    def get_field_label(self, field_name, field):
        if field_name == "options":
            return _("Options / accepted answers / pairs")
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        question = self.object
        if field_name in ("text_th", "text_en"):
            return render_text(getattr(question, field_name), question.text_format)
        if field_name in ("general_feedback_th", "general_feedback_en"):
            return render_text(getattr(question, field_name), question.general_feedback_format)
        if field_name == "options":
            return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", (
                (_option_display(choice),) for choice in question.choices.all()
            )))  # fmt: skip
        return super().get_field_display_value(field_name, field)


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "kind", "competency", "difficulty", "category", "is_active"]
    list_filter = ["category", "kind", "competency", "difficulty", "is_active"]
    search_fields = ["name", "text_th", "text_en"]
    copy_view_enabled = True
    inspect_view_enabled = True
    inspect_view_class = QuestionInspectView
    inspect_view_fields = [
        "category", "competency", "kind", "difficulty", "name", "idnumber", "text_format", "text_th",
        "text_en", "options", "general_feedback_th", "general_feedback_en",
    ]  # fmt: skip
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
            path("progress/", admin_views.gift_progress, name="progress"),  # ?token=<the upload form's>
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

"""Item analysis of quizzes in the Wagtail admin (Reports › Quiz analysis).

For the people who may edit the quiz page (see `permissions.QuizAnalysisPermissionPolicy`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page

from courses.models import QuizPage
from lms.spreadsheets import LocalSpreadsheetExportMixin
from lms.text import percent_text

from .analysis import MIN_PRESENTED_FOR_DISCRIMINATION, item_analysis, quizzes_with_figures
from .permissions import ANALYSE, quiz_analysis_policy

EMPTY = "–"
DISCRIMINATION_TOO_FEW = _("Not shown: fewer than %(count)s attempts were presented this question.")


def format_percent(value) -> str:
    if value is None:
        return EMPTY
    return percent_text(value)


def _format_discrimination(figures):
    if figures.discrimination is None:
        return format_html(
            '<span title="{hint}">{empty}</span><span class="w-sr-only">{hint}</span>',
            hint=DISCRIMINATION_TOO_FEW % {"count": MIN_PRESENTED_FOR_DISCRIMINATION},
            empty=EMPTY,
        )
    return number_format(figures.discrimination, 2)


def _answers_text(answers):
    """The most frequent answers with their shares: "OZG (60,0 %); Onlinezugangsgesetz (…)"."""
    return "; ".join(f"{answer.text} ({percent_text(answer.percent)})" for answer in answers)


def _question_title(figures):
    if figures.in_quiz:
        return figures.title
    return _("%(title)s (no longer in the quiz)") % {"title": figures.title}


def _rounded(places):
    exponent = Decimal(1).scaleb(-places)

    def rounded(value):
        if value is None:
            return None
        return Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP)

    return rounded


def _yes_no(value):
    return str(_("Yes") if value else _("No"))


class QuizAnalysisIndexView(ReportView):
    """The quizzes the user may edit, with their attempts, mean score and pass rate."""

    template_name = "courses/admin/quiz_analysis_index.html"
    page_title = _("Quiz analysis")
    header_icon = "table"
    index_url_name = "courses_quiz_analysis_index"
    verbose_name_plural = _("quizzes")
    permission_policy = quiz_analysis_policy
    permission_required = ANALYSE
    columns = [
        TitleColumn(
            "title",
            label=_("Quiz"),
            accessor=lambda quiz: quiz.get_admin_display_title(),
            get_url=lambda quiz: reverse("courses_quiz_analysis", args=[quiz.pk]),
        ),
        Column("course", label=_("Course"), accessor="course_title"),
        Column("attempts", label=_("Attempts"), accessor="attempt_count"),
        Column(
            "mean_percent",
            label=_("Mean score"),
            accessor=lambda quiz: format_percent(quiz.mean_percent),
        ),
        Column(
            "pass_rate",
            label=_("Pass rate"),
            accessor=lambda quiz: format_percent(
                100 * quiz.passed_count / quiz.attempt_count if quiz.attempt_count else None
            ),
        ),
    ]

    def get_queryset(self):
        quizzes = self.permission_policy.instances_user_has_permission_for(
            self.request.user, ANALYSE
        )
        return quizzes_with_figures(quizzes=quizzes).order_by("path")

    def decorate_paginated_queryset(self, object_list):
        quizzes = list(object_list)
        parent_paths = {quiz.path[: -Page.steplen] for quiz in quizzes}
        parents = {
            page.path: page.get_admin_display_title()
            for page in Page.objects.filter(path__in=parent_paths).only(
                "path", "title", "draft_title"
            )
        }
        for quiz in quizzes:
            quiz.course_title = parents.get(quiz.path[: -Page.steplen], "")
        return quizzes


class QuizAnalysisView(LocalSpreadsheetExportMixin, ReportView):
    """One quiz: overall figures and the per-question table, downloadable as CSV and XLSX."""

    template_name = "courses/admin/quiz_analysis.html"
    header_icon = "table"
    paginate_by = None
    permission_policy = quiz_analysis_policy
    permission_required = ANALYSE
    breadcrumbs_items = [
        *ReportView.breadcrumbs_items,
        {"url": reverse_lazy("courses_quiz_analysis_index"), "label": _("Quiz analysis")},
    ]
    columns = [
        Column("title", label=_("Question"), accessor=_question_title),
        Column("type", label=_("Type"), accessor="type_label"),
        Column("presented", label=_("Presented")),
        Column(
            "correct_percent",
            label=_("Fully correct"),
            accessor=lambda f: format_percent(f.correct_percent),
        ),
        Column(
            "mean_points_percent",
            label=_("Mean share of points"),
            accessor=lambda f: format_percent(f.mean_points_percent),
        ),
        Column("discrimination", label=_("Discrimination index"), accessor=_format_discrimination),
        Column(
            "answers",
            label=_("Most frequent answers"),
            accessor=lambda f: _answers_text(f.answers) or EMPTY,
        ),
    ]
    list_export = [
        "title",
        "type_label",
        "in_quiz",
        "presented",
        "correct_percent",
        "mean_points_percent",
        "discrimination",
        "id",
        "answers",
    ]
    export_headings = {
        "title": _("Question"),
        "type_label": _("Type"),
        "in_quiz": _("In the quiz"),
        "presented": _("Presented"),
        "correct_percent": _("Fully correct (%)"),
        "mean_points_percent": _("Mean share of points (%)"),
        "discrimination": _("Discrimination index"),
        "id": _("Question ID"),
        "answers": _("Most frequent answers"),
    }
    custom_field_preprocess = {
        "in_quiz": {
            ReportView.FORMAT_CSV: _yes_no,
            ReportView.FORMAT_XLSX: _yes_no,
        },
        "answers": {
            ReportView.FORMAT_CSV: _answers_text,
            ReportView.FORMAT_XLSX: _answers_text,
        },
        **{
            name: {
                ReportView.FORMAT_CSV: rounding,
                ReportView.FORMAT_XLSX: rounding,
            }
            for name, rounding in (
                ("correct_percent", _rounded(1)),
                ("mean_points_percent", _rounded(1)),
                ("discrimination", _rounded(2)),
            )
        },
    }

    def get(self, request, *args, quiz_id, **kwargs):
        self.quiz = get_object_or_404(QuizPage, pk=quiz_id)
        if not self.permission_policy.user_has_permission_for_instance(
            request.user, ANALYSE, self.quiz
        ):
            raise PermissionDenied
        self.analysis = item_analysis(quiz=self.quiz)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.analysis.questions

    def get_page_title(self):
        return self.quiz.get_admin_display_title()

    def get_header_title(self):
        return _("Quiz analysis: %(quiz)s") % {"quiz": self.get_page_title()}

    def get_filename(self):
        return f"quiz-analysis-{self.quiz.slug}-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def no_results_message(self):
        return _("No one has finished this quiz yet.")

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Edit quiz"),
                url=reverse("wagtailadmin_pages:edit", args=[self.quiz.pk]),
                icon_name="edit",
            )
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        analysis = self.analysis
        context["analysis"] = analysis
        context["mean_percent"] = format_percent(analysis.mean_percent)
        context["pass_rate"] = format_percent(analysis.pass_rate)
        context["min_presented"] = MIN_PRESENTED_FOR_DISCRIMINATION
        return context

"""The admin for editors and administrators: every grade and finding keeps its history (who, when,
old and new values, restorable), saves refuse to overwrite someone else's change, and deleting a
report keeps its history and can be undone."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from peel.admin import HTTPS_URL_FIELDS
from reports.editor.forms import FindingAdminForm, GradeAdminForm, ReportAdminForm
from reports.editor.services import report_delete, report_deleted_reason, report_restore
from reports.models import (
    AreaForImprovement,
    CauseOfConcern,
    Grade,
    GradeAmendment,
    GradeCount,
    Inspection,
    InspectionRecommendation,
    MonitoringPeriod,
    PccResponse,
    PromisingPractice,
    Question,
    Recommendation,
    RecommendationResponse,
    Report,
    Round,
    Theme,
)


class PeelAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS


class ChoiceLabelsContextHelper(HistoricalRecordContextHelper):
    """History changes in words: 'Good → Requires improvement', not '4 → 2'."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and value is not None:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose revert form runs in one transaction, like the change form, so its
    optimistic-locking check holds the row until the save, and whose history shows choices in words."""

    formfield_overrides = HTTPS_URL_FIELDS

    def get_historical_record_context_helper(self, request, historical_record):
        return ChoiceLabelsContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


def source_link(url: str):
    return format_html('<a href="{}" rel="noopener">source</a>', url) if url else "—"


@admin.register(Round)
class RoundAdmin(PeelAdmin):
    list_display = ["name", "position", "scale", "has_pillars", "start_date", "end_date"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(PeelAdmin):
    list_display = ["name", "pillar", "position"]
    list_filter = ["pillar"]
    search_fields = ["name", "slug", "description"]


@admin.register(Question)
class QuestionAdmin(PeelAdmin):
    list_display = ["label", "round", "pillar", "position", "graded", "theme"]
    list_filter = ["round", "pillar", "graded", "is_overall"]
    list_select_related = ["round", "theme"]
    search_fields = ["short_name", "code", "text"]
    autocomplete_fields = ["theme"]


class QuestionWithRoundInline(admin.options.InlineModelAdmin):
    """An inline whose question autocomplete shows 'round label': the round is read with the question,
    not once per row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs.setdefault("queryset", Question.objects.select_related("round"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CauseOfConcernInline(QuestionWithRoundInline, admin.StackedInline):
    model = CauseOfConcern
    extra = 0
    fields = ["position", "question", "text", "recommendations_intro", "recommendations_link"]
    readonly_fields = ["recommendations_link"]
    autocomplete_fields = ["question"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recommendation_count=Count("recommendations"))

    @admin.display(description="Recommendations")
    def recommendations_link(self, cause: CauseOfConcern):
        if cause.pk is None:
            return "Save the report first, then add recommendations on the cause's own page."
        url = reverse("admin:reports_causeofconcern_change", args=[cause.pk])
        count = cause.recommendation_count  # type: ignore[attr-defined]  # annotated by get_queryset
        return format_html('<a href="{}">{} recommendation(s): edit on the cause\'s page</a>', url, count)


class AreaForImprovementInline(QuestionWithRoundInline, admin.TabularInline):
    model = AreaForImprovement
    extra = 0
    fields = ["position", "question", "text"]
    autocomplete_fields = ["question"]
    # A report can have twenty areas for improvement: one compact row each.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}


@admin.register(Report)
class ReportAdmin(HistoryAdmin):
    form = ReportAdminForm
    list_display = ["title", "force", "round", "pillar", "published", "source_document", "version"]
    list_filter = ["round", "pillar", "force"]
    list_select_related = ["force", "round"]
    search_fields = ["title", "force__name", "summary", "source_document"]
    date_hierarchy = "published"
    autocomplete_fields = ["force"]
    readonly_fields = ["version"]
    inlines = [CauseOfConcernInline, AreaForImprovementInline]
    change_list_template = "admin/reports/report/change_list.html"

    def get_urls(self):
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name="reports_report_deleted"),
            *super().get_urls(),
        ]

    def delete_model(self, request, obj: Report) -> None:
        report_delete(report=obj)

    def delete_queryset(self, request, queryset) -> None:
        for report in queryset:
            report_delete(report=report)

    def deleted_view(self, request):
        """Reports deleted from the admin, each restorable with its findings (POST restores)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                report = report_restore(report_id=int(request.POST.get("report_id", "0")))
            except (ValueError, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                return HttpResponseRedirect(request.path)
            messages.success(request, f"Restored “{report}” with its causes of concern and areas for improvement.")
            return HttpResponseRedirect(reverse("admin:reports_report_change", args=[report.pk]))
        deletions = (
            Report.history.filter(history_type="-", history_change_reason__startswith="report ")
            .exclude(id__in=Report.objects.values("id"))
            .select_related("history_user")
            .order_by("-history_date")
        )
        latest: dict[int, Any] = {}  # a report's id: its last deletion record (simple-history's model, untyped)
        for record in deletions:
            if record.history_change_reason == report_deleted_reason(record.id):
                latest.setdefault(record.id, record)
        context = {
            **self.admin_site.each_context(request),
            "title": "Deleted reports",
            "opts": self.model._meta,
            "deletions": list(latest.values()),
        }
        return render(request, "admin/reports/report/deleted.html", context)


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 1
    fields = ["position", "text"]


class FindingAdmin(HistoryAdmin):
    """A finding saved here is locked on its report's version, which the save then bumps. Subclasses
    define short_text, labelled with the kind of finding."""

    form = FindingAdminForm
    list_display = ["short_text", "report", "position", "question"]
    list_filter = ["report__round", "report__force"]
    list_select_related = ["report", "question__round"]
    search_fields = ["text", "report__title", "report__force__name"]
    autocomplete_fields = ["report", "question"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change:
            report = obj.report
            report._change_reason = f"{obj._meta.verbose_name} {obj.pk} changed"
            report.save(update_fields=["version"])


@admin.register(CauseOfConcern)
class CauseOfConcernAdmin(FindingAdmin):
    inlines = [RecommendationInline]

    @admin.display(description="Cause of concern")
    def short_text(self, cause: CauseOfConcern) -> str:
        return cause.text[:100]


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = ["short_text", "cause", "position"]
    list_filter = ["cause__report__round", "cause__report__force"]
    list_select_related = ["cause"]
    search_fields = ["text", "cause__text", "cause__report__force__name"]
    autocomplete_fields = ["cause"]

    @admin.display(description="Recommendation")
    def short_text(self, recommendation: Recommendation) -> str:
        return recommendation.text[:100]


@admin.register(AreaForImprovement)
class AreaForImprovementAdmin(FindingAdmin):
    @admin.display(description="Area for improvement")
    def short_text(self, area: AreaForImprovement) -> str:
        return area.text[:100]


class GradeAmendmentInline(admin.TabularInline):
    model = GradeAmendment
    extra = 0
    readonly_fields = ("amended_on", "previous_status", "previous_tier", "new_status", "new_tier", "reason", "source_url")
    fields = readonly_fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        # Amendments are recorded by changing the grade with an amendment date and reason.
        return False


@admin.register(Grade)
class GradeAdmin(HistoryAdmin):
    form = GradeAdminForm
    list_display = ["force", "round_name", "question_label", "display_grade", "carried_over", "source", "version"]
    list_filter = ["question__round", "status", "tier", "carried_over", "source_type", "force"]
    list_select_related = ["force", "question__round"]
    search_fields = ["force__name", "question__short_name", "question__code", "evidence", "source_url"]
    autocomplete_fields = ["force", "question", "report"]
    readonly_fields = ["version"]
    inlines = [GradeAmendmentInline]
    change_list_template = "admin/reports/grade/change_list.html"
    fieldsets = [
        (None, {"fields": ["force", "question", "report", "status", "tier", "carried_over"]}),
        ("Source", {"fields": ["source_url", "source_type", "evidence", "summary"]}),
        (
            "Amendment by HMICFRS",
            {
                "fields": ["amended_on", "amendment_reason"],
                "description": "Fill these in only when HMICFRS changed a published grade: the force page then shows "
                "the change with its date and reason. Correcting our own typing mistake is not an amendment.",
            },
        ),
        (None, {"fields": ["version", "expected_version"]}),
    ]

    @admin.display(description="Round", ordering="question__round__position")
    def round_name(self, grade: Grade) -> str:
        return grade.question.round.name

    @admin.display(description="Question or area", ordering="question__position")
    def question_label(self, grade: Grade) -> str:
        return grade.question.label

    @admin.display(description="Grade", ordering="tier")
    def display_grade(self, grade: Grade) -> str:
        return grade.display_grade

    @admin.display(description="Source")
    def source(self, grade: Grade):
        return source_link(grade.source_url)

    def save_model(self, request, obj: Grade, form, change) -> None:
        super().save_model(request, obj, form, change)
        if form.amendment is not None:
            form.amendment.grade = obj
            form.amendment.save()


@admin.register(GradeAmendment)
class GradeAmendmentAdmin(HistoryAdmin):
    list_display = ["grade", "amended_on", "previous_display", "new_display", "source"]
    list_filter = ["amended_on", "grade__question__round"]
    list_select_related = ["grade__force", "grade__question__round"]
    search_fields = ["grade__force__name", "grade__question__short_name", "reason"]
    autocomplete_fields = ["grade"]
    date_hierarchy = "amended_on"

    @admin.display(description="Source")
    def source(self, amendment: GradeAmendment):
        return source_link(amendment.source_url)


@admin.register(GradeCount)
class GradeCountAdmin(PeelAdmin):
    list_display = ["force", "round", "n_areas_graded", "outstanding", "good", "adequate", "requires_improvement", "inadequate"]
    list_filter = ["round"]
    list_select_related = ["force", "round"]
    search_fields = ["force__name"]


@admin.register(MonitoringPeriod)
class MonitoringPeriodAdmin(HistoryAdmin):
    list_display = ["force", "stage", "entered_display", "left_display", "source", "version"]
    list_filter = ["stage", "force"]
    list_select_related = ["force"]
    search_fields = ["force__name", "reasons", "evidence"]
    autocomplete_fields = ["force"]
    readonly_fields = ["version"]

    @admin.display(description="Source")
    def source(self, period: MonitoringPeriod):
        return source_link(period.source_url)


class InspectionRecommendationInline(admin.StackedInline):
    model = InspectionRecommendation
    extra = 0
    fields = ["number", "force", "text", "deadline_text", "deadline", "deadline_precision"]
    autocomplete_fields = ["force"]


@admin.register(Inspection)
class InspectionAdmin(HistoryAdmin):
    list_display = ["title", "kind", "published", "version"]
    list_filter = ["kind"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["forces"]
    readonly_fields = ["version"]
    date_hierarchy = "published"
    inlines = [InspectionRecommendationInline]


@admin.register(InspectionRecommendation)
class InspectionRecommendationAdmin(HistoryAdmin):
    list_display = ["short_text", "inspection", "number", "force", "deadline_display", "version"]
    list_filter = ["inspection"]
    list_select_related = ["inspection", "force"]
    search_fields = ["text", "inspection__title"]
    autocomplete_fields = ["force"]
    readonly_fields = ["version"]

    @admin.display(description="Recommendation")
    def short_text(self, recommendation: InspectionRecommendation) -> str:
        return recommendation.text[:100]


class RecommendationResponseInline(admin.StackedInline):
    model = RecommendationResponse
    extra = 0
    fields = ["recommendation", "peel_recommendation", "text", "joint"]
    raw_id_fields = ["recommendation", "peel_recommendation"]


@admin.register(PccResponse)
class PccResponseAdmin(HistoryAdmin):
    list_display = ["force", "subject_title", "published", "statutory_deadline", "days_late", "commissioner", "version"]
    list_filter = ["force"]
    list_select_related = ["force", "inspection", "report"]
    search_fields = ["force__name", "commissioner", "text"]
    autocomplete_fields = ["force", "report"]
    readonly_fields = ["version", "statutory_deadline", "days_late"]
    inlines = [RecommendationResponseInline]


@admin.register(PromisingPractice)
class PromisingPracticeAdmin(HistoryAdmin):
    list_display = ["title", "force", "inspection", "version"]
    list_filter = ["inspection", "force"]
    list_select_related = ["force", "inspection"]
    search_fields = ["title", "text", "force__name"]
    autocomplete_fields = ["force"]
    readonly_fields = ["version"]

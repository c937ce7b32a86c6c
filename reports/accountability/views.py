"""The accountability pages: /monitoring/ (HMICFRS's Engage periods as a timeline and a table) and
/recommendations/ (the register of recommendations, PCC responses and promising practice).

Each view reads top to bottom: filters (400 naming the problem), one selector, tables, chart, render.
"""

from datetime import date

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from reports.accountability import charts, selectors
from reports.accountability.filters import MonitoringFilterForm, RegisterFilterForm
from reports.accountability.tables import MonitoringTable, RegisterTable, ResponsesTable, practice_data
from reports.caching import ALL_ROUNDS, cache_page_per_data_version
from reports.exports.services import EXPORT_PARAMS, table_export, table_params
from reports.tablepages import filters_invalid, paginate


# Every force (accountability rows bump "shared"; the register holds PEEL reports' recommendations too).
@cache_page_per_data_version(lambda request: [ALL_ROUNDS], params=("force", *table_params("periods-"), *EXPORT_PARAMS))
def monitoring(request: HttpRequest) -> HttpResponseBase:
    """Which forces HMICFRS has had in Engage (enhanced monitoring), when, and why: a timeline and a table."""
    form = MonitoringFilterForm(request.GET, forces=selectors.forces_choices())
    if not form.is_valid():
        return filters_invalid(request, form, title="Monitoring")
    page = selectors.monitoring_get(**form.selector_kwargs())
    table = paginate(request, MonitoringTable(page.periods, caption="Periods in Engage, earliest first", prefix="periods-"))
    if export := table_export(request, {"periods": table}, subject="monitoring", filters=form.selector_kwargs().values()):
        return export
    context = {
        "form": form,
        "page": page,
        "table": table,
        "figure": charts.monitoring_timeline_figure(periods=page.periods, today=date.today()),
    }
    return render(request, "accountability/monitoring.html", context)


@cache_page_per_data_version(
    lambda request: [ALL_ROUNDS],
    params=("force", "inspection", "deadline", "response", *table_params("register-", "responses-"), *EXPORT_PARAMS),
)
def recommendations(request: HttpRequest) -> HttpResponseBase:
    """Every recommendation (inspections' and PEEL reports'), filterable, with PCC responses and promising practice."""
    form = RegisterFilterForm(request.GET, forces=selectors.forces_choices(), inspections=selectors.inspections_choices())
    if not form.is_valid():
        return filters_invalid(request, form, title="Recommendations")
    kwargs = form.selector_kwargs()
    rows = selectors.recommendations_register(**kwargs, today=date.today())
    force_slug = kwargs["force_slug"]
    register = paginate(request, RegisterTable(rows, caption="Recommendations", prefix="register-"))
    responses = paginate(
        request,
        ResponsesTable(selectors.pcc_responses_list(force_slug=force_slug), caption="PCC responses", prefix="responses-"),
    )
    tables = {
        "register": register,
        "responses": responses,
        "practice": lambda: practice_data(selectors.promising_practice_list(force_slug=force_slug), title="Promising practice"),
    }
    if export := table_export(request, tables, subject="recommendations", filters=kwargs.values()):
        return export
    context = {
        "form": form,
        "register": register,
        "responses": responses,
        "practices": selectors.promising_practice_list(force_slug=force_slug),
        "unanswered_past": sum(row["unanswered_past"] for row in rows),
    }
    return render(request, "accountability/recommendations.html", context)

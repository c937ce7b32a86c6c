"""The accountability pages: /monitoring/ (HMICFRS's Engage periods as a timeline and a table) and
/recommendations/ (the register of recommendations, PCC responses and promising practice).

Each view reads top to bottom: filters (400 naming the problem), one selector, tables, chart, render.
"""

import contextlib
from datetime import date

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from reports.accountability import charts, selectors
from reports.accountability.filters import AccountabilityFilterForm, MonitoringFilterForm, RegisterFilterForm
from reports.accountability.tables import MonitoringTable, RegisterTable, ResponsesTable, practice_data
from reports.caching import ALL_ROUNDS, cache_page_per_data_version
from reports.exports.services import EXPORT_PARAMS, table_export, table_params

ROWS_PER_PAGE = 25
MAX_PER_PAGE = 100


def filters_invalid(request: HttpRequest, form: AccountabilityFilterForm, *, title: str) -> HttpResponse:
    """The page's filters could not be used: say which and why, with status 400."""
    context = {"title": title, "problems": form.error_lines(), "reset_url": request.path}
    return render(request, "reports/filters_invalid.html", context, status=400)


def paginate(request: HttpRequest, table, *, per_page: int = ROWS_PER_PAGE):
    """Sort and paginate a table from the query string; bad page numbers fall back to the first or last page."""
    RequestConfig(request, paginate=False).configure(table)
    with contextlib.suppress(ValueError):
        per_page = max(1, min(MAX_PER_PAGE, int(request.GET.get(table.prefixed_per_page_field, per_page))))
    try:
        table.paginate(page=request.GET.get(table.prefixed_page_field, 1), per_page=per_page)
    except PageNotAnInteger:
        table.paginate(page=1, per_page=per_page)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=per_page)
    return table


# Every force (accountability rows bump "shared"; the register holds PEEL reports' recommendations too).
@cache_page_per_data_version(lambda request: [ALL_ROUNDS], params=("force", *table_params("periods-"), *EXPORT_PARAMS))
def monitoring(request: HttpRequest) -> HttpResponse:
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
def recommendations(request: HttpRequest) -> HttpResponse:
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

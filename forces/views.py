"""The forces pages: every force with its latest grades, and one force's history."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from forces.filters import ForceFilterForm
from forces.tables import ForceGradesTable, ForcesLatestTable
from peel.caching import cache_page_per_data_version
from reports import charts, selectors
from reports.exports import findings_list_data, table_export, theme_history_data
from reports.views import filters_invalid, paginate


@cache_page_per_data_version
def force_list(request: HttpRequest) -> HttpResponse:
    """Every force with its latest grade per pillar or area; search by name."""
    form = ForceFilterForm(request.GET)
    if not form.is_valid():
        return filters_invalid(request, form, title="Police forces")
    latest = selectors.forces_latest_get(**form.selector_kwargs())
    caption = "Latest grade per pillar" if latest.show == "pillars" else "Latest grade per area"
    table = paginate(request, ForcesLatestTable.for_latest(latest, caption=caption, scroll_label="Forces (scrolls sideways)"))
    if export := table_export(request, {"forces": table}, subject="forces", filters=form.selector_kwargs().values()):
        return export
    return render(request, "forces/force_list.html", {"form": form, "latest": latest, "table": table})


@cache_page_per_data_version
def force_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A force's grades across rounds as a chart and tables, and the findings of its reports."""
    history = selectors.force_history_get(force_slug=slug)
    if history is None:
        raise Http404("No such force.")
    grades_table = paginate(request, ForceGradesTable(history.grades, caption=f"Grades of {history.force['name']}"), per_page=50)
    tables = {
        "grades": grades_table,
        "themes": lambda: theme_history_data(history),
        "findings": lambda: findings_list_data(history.findings, title=f"Findings, {history.force['name']}"),
    }
    if export := table_export(request, tables, subject="grades", filters=[slug]):
        return export
    rounds = [{"slug": r.slug, "name": r.name} for r in history.rounds]
    context = {
        "history": history,
        "force": history.force,
        "figure": charts.force_history_figure(points=history.points, rounds=rounds, break_after=selectors.SCALE_BREAK_AFTER),
        "grades_table": grades_table,
        "break_caveat": selectors.BREAK_CAVEAT,
        "break_after": selectors.SCALE_BREAK_AFTER,
        "amendments": selectors.grade_amendments_for_force(force_slug=slug),
    }
    return render(request, "forces/force_detail.html", context)

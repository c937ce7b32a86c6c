"""The analyst pages: national picture, forces, one force, report page, comparison, movers and findings search.

Each view reads top to bottom: parse the filters (400 with a clear message if they are bad),
call the page's selector, build its table and chart, render.
"""

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render

from reports.accountability.selectors import force_accountability_get
from reports.caching import ALL_ROUNDS, cache_page_per_data_version, force_scope, round_scope

# Each cached page names the query parameters it reads (its cache key is its canonical URL); tests check every
# filter form field is listed.
from reports.exports.services import EXPORT_PARAMS, table_export, table_params
from reports.pages import charts, selectors
from reports.pages.filters import (
    CompareFilterForm,
    FindingsFilterForm,
    ForceFilterForm,
    MoversFilterForm,
    NationalFilterForm,
)
from reports.pages.tables import (
    CompareTable,
    CrossBreakTable,
    FindingsTable,
    ForceGradesTable,
    ForcesLatestTable,
    MoversTable,
    NationalGridTable,
    distribution_data,
    findings_list_data,
    movers_chart_rows,
    report_grades_data,
    theme_history_data,
)
from reports.tablepages import filters_invalid, paginate
from reports.vocabulary import SCALE_BREAK_AFTER

MOVERS_CHARTED = 15  # the biggest changes drawn beside the movers table
FORCES_PER_PAGE = 50  # every one of the 43 forces on the first page


def national_scopes(request: HttpRequest) -> list[str]:
    """The chosen round's data; without one, the latest round with data, which any round's first grade may change."""
    return [round_scope(request.GET["round"])] if request.GET.get("round") else [ALL_ROUNDS]


def wide_scopes(request: HttpRequest) -> list[str]:
    """Pages over every force and round (forces list, movers, findings), narrowed to one force or round when filtered."""
    if request.GET.get("force"):
        return [force_scope(request.GET["force"])]
    if request.GET.get("round") and request.resolver_match and request.resolver_match.url_name == "findings":
        return [round_scope(request.GET["round"])]
    return [ALL_ROUNDS]


def compare_scopes(request: HttpRequest) -> list[str]:
    """The compared forces' data (none chosen: only what every page shares)."""
    slugs = [slug for value in request.GET.getlist("forces") for slug in value.split(",") if slug]
    return [force_scope(slug) for slug in slugs[:6]] if len(slugs) <= 6 else [ALL_ROUNDS]


@cache_page_per_data_version(national_scopes, params=("round", "pillar", *table_params(), *EXPORT_PARAMS))
def national(request: HttpRequest) -> HttpResponseBase:
    """One round, every force × every question, and the distribution of grades per question."""
    rounds = selectors.rounds_list()
    form = NationalFilterForm(request.GET, rounds=rounds, default_round=selectors.round_latest_with_data())
    if not form.is_valid():
        return filters_invalid(request, form, title="National picture")
    grid = selectors.national_grid_get(**form.selector_kwargs())
    table = NationalGridTable.for_grid(
        grid,
        caption=f"Grades of every force, PEEL {grid.round.name}" + (f", {grid.pillar}" if grid.pillar else ""),
        scroll_label="Grades of every force (scrolls sideways)",
    )
    table = paginate(request, table)
    tables = {"grades": table, "distribution": lambda: distribution_data(grid)}
    if export := table_export(request, tables, subject="national", filters=[grid.round.slug, grid.pillar]):
        return export
    context = {
        "form": form,
        "grid": grid,
        "table": table,
        "figure": charts.grade_distribution_figure(distribution=grid.distribution, round_name=grid.round.name),
        "break_caveat": selectors.BREAK_CAVEAT,
    }
    return render(request, "reports/national.html", context)


@cache_page_per_data_version(lambda request, force_slug, round_slug: [force_scope(force_slug)], params=EXPORT_PARAMS)
def report_detail(request: HttpRequest, force_slug: str, round_slug: str) -> HttpResponseBase:
    """One force's report(s) in one round: judgments, findings, dates, sources."""
    page = selectors.report_page_get(force_slug=force_slug, round_slug=round_slug)
    if page is None:
        raise Http404("No such force or PEEL round.")
    tables = {
        "grades": lambda: report_grades_data(page),
        "findings": lambda: findings_list_data(page.findings, title=f"Findings, {page.force['name']} PEEL {page.round.name}"),
    }
    if export := table_export(request, tables, subject="report", filters=[force_slug, round_slug]):
        return export
    return render(request, "reports/report_detail.html", {"page": page, "break_caveat": selectors.BREAK_CAVEAT})


@cache_page_per_data_version(compare_scopes, params=("forces", "round", *table_params(), *EXPORT_PARAMS))
def compare(request: HttpRequest) -> HttpResponseBase:
    """Two to six forces side by side per round and question."""
    chosen = request.GET.getlist("forces")
    if len(chosen) > 1:
        # A form with one checkbox per force sends forces=a&forces=b; the shareable link is forces=a,b.
        query = request.GET.copy()
        query.setlist("forces", [",".join(chosen)])
        return redirect(f"{request.path}?{query.urlencode(safe=',')}")
    forces = selectors.forces_choices()
    form = CompareFilterForm(request.GET, rounds=selectors.rounds_list(), forces=forces)
    if not form.is_valid():
        return filters_invalid(request, form, title="Compare forces")
    context = {"form": form, "forces": forces, "chosen": form.cleaned_data["forces"], "break_caveat": selectors.BREAK_CAVEAT}
    if len(form.cleaned_data["forces"]) == 1:
        context["only"] = dict(forces)[form.cleaned_data["forces"][0]]
    elif form.cleaned_data["forces"]:
        comparison = selectors.compare_get(**form.selector_kwargs())
        names = ", ".join(f["name"] for f in comparison.forces)
        context["comparison"] = comparison
        context["table"] = paginate(
            request,
            CompareTable.for_comparison(comparison, caption=f"Grades of {names}", scroll_label="Comparison (scrolls sideways)"),
            per_page=50,
        )
        filters = [*form.cleaned_data["forces"], form.cleaned_data["round"]]
        if export := table_export(request, {"grades": context["table"]}, subject="compare", filters=filters):
            return export
        context["figure"] = charts.compare_figure(
            forces=comparison.forces, rows=charts.compare_chart_rows(forces=comparison.forces, rows=comparison.rows)
        )
    return render(request, "reports/compare.html", context)


@cache_page_per_data_version(
    wide_scopes, params=("round", "direction", "theme", "force", *table_params("same-", "break-"), *EXPORT_PARAMS)
)
def movers(request: HttpRequest) -> HttpResponseBase:
    """The biggest changes between consecutive rounds; changes across the scale break apart."""
    form = MoversFilterForm(
        request.GET, rounds=selectors.rounds_list(), forces=selectors.forces_choices(), themes=selectors.themes_choices()
    )
    if not form.is_valid():
        return filters_invalid(request, form, title="Movers")
    result = selectors.movers_get(**form.selector_kwargs())
    same = MoversTable(result.same_scale, prefix="same-", caption="Changes between consecutive rounds on the same scale")
    across = CrossBreakTable(
        result.across_break, prefix="break-", caption="Grades either side of the 2018/19 → 2021/22 scale break (not comparable)"
    )
    tables = {"same": paginate(request, same), "break": paginate(request, across)}
    if export := table_export(request, tables, subject="movers", filters=form.selector_kwargs().values()):
        return export
    context = {
        "form": form,
        "result": result,
        "figure": charts.movers_figure(rows=movers_chart_rows(result.same_scale[:MOVERS_CHARTED])) if result.same_scale else None,
        "chart_label": (
            f"The {min(MOVERS_CHARTED, len(result.same_scale))} biggest changes as ranked in the table: earlier grade "
            "(open circle) to later grade (filled), blue improved, orange declined, dotted where the questions are only "
            "partly comparable."
        ),
        "same_table": tables["same"],
        "break_table": tables["break"],
        "break_caveat": selectors.BREAK_CAVEAT,
    }
    return render(request, "reports/movers.html", context)


@cache_page_per_data_version(wide_scopes, params=("q", "type", "force", "round", "question", *table_params(), *EXPORT_PARAMS))
def findings(request: HttpRequest) -> HttpResponseBase:
    """Search the text of causes of concern, recommendations and areas for improvement."""
    form = FindingsFilterForm(
        request.GET,
        rounds=selectors.rounds_list(),
        forces=selectors.forces_choices(),
        questions=selectors.questions_choices(),
    )
    if not form.is_valid():
        return filters_invalid(request, form, title="Findings")
    rows = selectors.findings_search(**form.selector_kwargs())
    caption = f"Findings matching “{form.cleaned_data['q']}”" if form.cleaned_data["q"] else "Findings"
    table = paginate(request, FindingsTable(rows, caption=caption, order_by=() if form.cleaned_data["q"] else None))
    if export := table_export(request, {"findings": table}, subject="findings", filters=form.selector_kwargs().values()):
        return export
    context = {
        "form": form,
        "table": table,
        "count": len(rows),
        "sources": selectors.findings_sources(),
        "search_ranked": connection.vendor == "postgresql",
    }
    return render(request, "reports/findings.html", context)


@cache_page_per_data_version(lambda request: [ALL_ROUNDS], params=("q", "show", *table_params(), *EXPORT_PARAMS))
def force_list(request: HttpRequest) -> HttpResponseBase:
    """Every force with its latest grade per pillar or area; search by name."""
    form = ForceFilterForm(request.GET)
    if not form.is_valid():
        return filters_invalid(request, form, title="Police forces")
    latest = selectors.forces_latest_get(**form.selector_kwargs())
    caption = "Latest grade per pillar" if latest.show == "pillars" else "Latest grade per area"
    table = ForcesLatestTable.for_latest(latest, caption=caption, scroll_label="Forces (scrolls sideways)")
    table = paginate(request, table, per_page=FORCES_PER_PAGE)
    if export := table_export(request, {"forces": table}, subject="forces", filters=form.selector_kwargs().values()):
        return export
    return render(request, "forces/force_list.html", {"form": form, "latest": latest, "table": table})


@cache_page_per_data_version(lambda request, slug: [force_scope(slug)], params=(*table_params(), *EXPORT_PARAMS))
def force_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
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
    if export := table_export(request, tables, subject="force", filters=[slug]):
        return export
    rounds = [{"slug": r.slug, "name": r.name} for r in history.rounds]
    context = {
        "history": history,
        "story": history.story,
        "force": history.force,
        "figure": charts.force_history_figure(points=history.points, rounds=rounds, break_after=SCALE_BREAK_AFTER),
        "grades_table": grades_table,
        "break_caveat": selectors.BREAK_CAVEAT,
        "break_after": SCALE_BREAK_AFTER,
        "amendments": selectors.grade_amendments_for_force(force_slug=slug),
        "accountability": force_accountability_get(force_slug=slug),
    }
    return render(request, "forces/force_detail.html", context)

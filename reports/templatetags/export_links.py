"""The "Download CSV" and "Download XLSX" links above a table: the page's own URL with ?_export=."""

from django import template

from reports.exports.services import EXPORT_PARAM, TABLE_PARAM

register = template.Library()


@register.inclusion_tag("reports/_export_links.html", takes_context=True)
def export_links(context, table: str = "", label: str = "", count: int | None = None) -> dict:
    """Links exporting a table of this page as it is filtered and sorted; table names one of several
    tables on the page, label tells the links apart for screen readers, count is the row count."""
    request = context["request"]

    def url(export_format: str) -> str:
        query = request.GET.copy()
        for key in [key for key in query if key == "page" or key.endswith("-page") or key.endswith("per_page")]:
            del query[key]  # the export holds every row, whatever page is on screen
        query[EXPORT_PARAM] = export_format
        if table:
            query[TABLE_PARAM] = table
        else:
            query.pop(TABLE_PARAM, None)
        return "?" + query.urlencode(safe=",")

    return {"csv_url": url("csv"), "xlsx_url": url("xlsx"), "label": label, "count": count}

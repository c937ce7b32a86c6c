"""What every table page shares, whichever concern it belongs to (analyst pages, accountability): the
accessible table, sorting and paging from the query string, GET filter forms whose problems name their
parameter, and the 400 page for filters that cannot be used."""

import contextlib

import django_tables2 as tables
from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

ROWS_PER_PAGE = 25
MAX_PER_PAGE = 100  # django-tables2 costs time per cell: a page never renders more rows than this


class AccessibleTable(tables.Table):
    """The common look: our accessible template (caption, th scope, aria-sort, labelled paging)."""

    caption = ""
    scroll_label = ""

    def __init__(self, data=None, *args, caption: str = "", scroll_label: str = "", **kwargs) -> None:
        # Set here rather than in Meta: django-tables2 does not pass Meta on to subclasses.
        kwargs.setdefault("template_name", "tables/table.html")
        kwargs.setdefault("attrs", {"class": "data-table"})
        super().__init__(data, *args, **kwargs)
        self.caption = caption or self.caption
        self.scroll_label = scroll_label or self.scroll_label


class FilterForm(forms.Form):
    """A GET form whose cleaned data become the page selector's keyword arguments."""

    def selector_kwargs(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}

    def error_lines(self) -> list[str]:
        """Each problem as one readable sentence naming the parameter."""
        return [
            f"{self.fields[name].label} ({name}): {message}" if name in self.fields else str(message)
            for name, errors in self.errors.items()
            for message in errors
        ]


def filters_invalid(request: HttpRequest, form: FilterForm, *, title: str) -> HttpResponse:
    """The page's filters could not be used: say which and why, with status 400."""
    context = {"title": title, "problems": form.error_lines(), "reset_url": request.path}
    return render(request, "reports/filters_invalid.html", context, status=400)


def paginate(request: HttpRequest, table, *, per_page: int = ROWS_PER_PAGE):
    """Sort and paginate a table from the query string; per_page is capped, bad page numbers
    fall back to the first or last page rather than failing."""
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

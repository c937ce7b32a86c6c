"""The public read-only API (/api/v1/), its OpenAPI schema and documentation page.

Every endpoint answers GET and HEAD with JSON, to anyone (no login, no cookie), throttled per address.
Each response carries an ETag and Last-Modified made from the data version (reports/caching.py),
so a client that sends them back gets 304 Not Modified until an editor, an import or the admin
changes the data; a 200 response is kept per data version and URL, like the pages.
A bad parameter is a 400 naming it; an unknown object, page or address is a 404; both in JSON.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView, exception_handler

from forces.models import Force
from reports.api import filters, selectors, serializers
from reports.caching import CACHE_ALIAS, DataStamp, cache_page_per_data_version, data_stamp_get
from reports.exports.services import GRADE_EXPORT_COLUMNS, LICENCE_URL, column_names
from reports.models import Round
from reports.pages import selectors as page_selectors

# Part of every ETag: bump it when a release changes what the same data looks like in the API.
REPRESENTATION = "api1"
JSON = "application/json"


# --- errors ------------------------------------------------------------------------------------


class ParametersInvalid(APIException):
    """Some query parameters cannot be used: `problems` maps each to its messages."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameter"

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        super().__init__(
            " ".join(f"Bad parameter {name}: {message}" for name, messages in problems.items() for message in messages)
        )


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Errors as JSON: {"message": "..."} and, for a 400, {"parameters": {name: [messages]}} naming each bad one."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ParametersInvalid):
        response.data = {"message": str(exc.detail), "parameters": exc.problems}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"message": str(response.data["detail"])}
    else:
        response.data = {"message": str(response.data)}
    return response


def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """A JSON 404 for an address under /api/ that names no endpoint."""
    return JsonResponse(
        {"message": f"There is no endpoint /api/{path}: see {reverse('api:root')} for the endpoints."}, status=404
    )


# --- throttling, pagination --------------------------------------------------------------------


class AddressRateThrottle(AnonRateThrottle):
    """Requests per client address in settings.API_THROTTLE_RATE (e.g. 120/minute; None: no limit),
    counted in the default cache (shared by every worker when that cache is Redis)."""

    scope = "api"

    def get_rate(self) -> str | None:
        return getattr(settings, "API_THROTTLE_RATE", None)


class ApiPagination(PageNumberPagination):
    """?page=<n> &page_size=<1 … 1000> (default 100); a bad value is a 400, a page past the end a 404."""

    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"
    page_query_param = "page"
    page_size_query_description = "Records per page: 1 to 1000 (default 100)."

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ParametersInvalid({"page_size": [f"It must be a whole number from 1 to {self.max_page_size}, not {raw!r}."]})
        return int(raw)

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise ParametersInvalid({"page": [f"It must be a whole number from 1, not {raw!r}."]})
        if int(raw) > paginator.num_pages:
            raise NotFound(f"There is no page {raw}: the last page is {paginator.num_pages}.")
        self.page = paginator.page(int(raw))
        return list(self.page)


# --- the shared flow: conditional GET, kept responses, parameters -------------------------------


def api_cache_key(*, request: HttpRequest, data_version: int) -> str:
    """The key a response is kept under: the data version and the absolute address (links in it are absolute)."""
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"api:{REPRESENTATION}:{data_version}:{digest}"


def etag_of(stamp: DataStamp) -> str:
    return f'"{REPRESENTATION}-{stamp.version}"'


class PublicReadMixin(GenericAPIView):
    """GET and HEAD answered from the data version: 304 when the client's ETag or date is current,
    else the response kept for this version and address, else a fresh one (then kept)."""

    filter_form_class: type[filters.ApiFilterForm] | type[filters.FindingFilterForm] | None = None
    throttle_classes = [AddressRateThrottle]
    pagination_class: type[ApiPagination] | None = ApiPagination
    stamp: DataStamp | None = None
    cache_key: str | None = None

    def get(self, request: Request, *args, **kwargs):
        self.parameters_check()
        self.stamp = data_stamp_get()
        changed_at = self.stamp.changed_at
        not_modified = get_conditional_response(
            request, etag=etag_of(self.stamp), last_modified=int(changed_at.timestamp()) if changed_at else None
        )
        if not_modified is not None:
            return not_modified
        key = api_cache_key(request=request, data_version=self.stamp.version)
        kept = caches[CACHE_ALIAS].get(key)
        if kept is not None:
            return HttpResponse(kept, content_type=JSON)
        self.cache_key = key
        return super().get(request, *args, **kwargs)

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.stamp is not None and response.status_code in (200, 304):
            response["ETag"] = etag_of(self.stamp)
            if self.stamp.changed_at:
                response["Last-Modified"] = http_date(self.stamp.changed_at.timestamp())
            # Clients may store a response but must ask (cheaply, with the validators) before reusing it.
            response["Cache-Control"] = "public, no-cache"
            if response.status_code == 200 and self.cache_key and isinstance(response, Response):
                response.render()
                caches[CACHE_ALIAS].set(self.cache_key, response.content)
        return response

    def parameters_allowed(self) -> set[str]:
        allowed = set(filters.PAGE_PARAMS) if self.pagination_class else set()
        if self.filter_form_class is not None:
            allowed |= set(self.filter_form_class.parameters)
        return allowed

    def parameters_check(self) -> None:
        """400 for a parameter this endpoint does not take, or given twice (a typo must not mean "everything")."""
        allowed = self.parameters_allowed()
        problems = {}
        for name in self.request.query_params:
            if name not in allowed:
                takes = f"it takes {', '.join(sorted(allowed))}" if allowed else "it takes none"
                problems[name] = [f"This endpoint has no parameter {name}; {takes}."]
            elif (times := len(self.request.query_params.getlist(name))) > 1:
                problems[name] = [f"Give {name} once (one request per value), not {times} times."]
        if problems:
            raise ParametersInvalid(problems)

    def selector_kwargs(self) -> dict:
        """The endpoint's filters, checked: 400 naming every parameter that cannot be used."""
        if self.filter_form_class is None:
            return {}
        form = self.filter_form_class(self.request.query_params)
        if not form.is_valid():
            raise ParametersInvalid({name: [str(message) for message in messages] for name, messages in form.errors.items()})
        return form.selector_kwargs()


class PublicListView(PublicReadMixin, ListAPIView):
    """A paginated list in a stable order."""


class PublicDetailView(PublicReadMixin, RetrieveAPIView):
    """One object by its identifier; 404 naming it when there is none."""

    pagination_class = None
    what = "object"

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        found = self.get_queryset().filter(**{self.lookup_field: value}).first()
        if found is None:
            raise NotFound(f"There is no {self.what} {value}.")
        return found


# --- endpoints ---------------------------------------------------------------------------------


class ApiRootView(APIView):
    """What the API offers, with links."""

    throttle_classes = [AddressRateThrottle]

    @extend_schema(responses=OpenApiTypes.OBJECT, tags=["index"])
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        endpoints = ["forces", "rounds", "questions", "themes", "grades", "reports", "findings", "amendments"]
        return Response(
            {
                "endpoints": {name: link(f"api:{name}") for name in endpoints},
                "schema": link("api:schema"),
                "docs": link("api:docs"),
                "feed": link("api:feed"),
                "data": link("exports:data"),
                "licence": LICENCE_URL,
            }
        )


class ForceListView(PublicListView):
    """Every force, by name, with its latest grade per pillar (to 2018/19) and per area (2021/22 on)."""

    serializer_class = serializers.ForceSerializer

    def get_queryset(self):
        return Force.objects.order_by("name").values("slug", "name", "country", "region", "most_similar_group")

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        latest = selectors.forces_latest_by_slug()
        records = [{**force, "latest_grades": latest.get(force["slug"], {"pillars": [], "areas": []})} for force in page]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)


class ForceDetailView(PublicDetailView):
    """One force with its latest grades; its grades are at /api/v1/grades/?force=<slug>."""

    serializer_class = serializers.ForceSerializer
    lookup_field = "slug"
    what = "force"

    def get_queryset(self):
        return Force.objects.values("slug", "name", "country", "region", "most_similar_group")

    def get_object(self) -> dict:
        force = super().get_object()
        latest = selectors.forces_latest_by_slug()
        return {**force, "latest_grades": latest.get(force["slug"], {"pillars": [], "areas": []})}


class RoundListView(PublicListView):
    """The PEEL rounds in order, with their scale: four tiers to 2018/19, five (adds Adequate) from 2021/22."""

    serializer_class = serializers.RoundSerializer

    def get_queryset(self):
        return Round.objects.order_by("position")


class RoundDetailView(PublicDetailView):
    """One round by its slug (2016, 2018-19, 2023-25)."""

    serializer_class = serializers.RoundSerializer
    lookup_field = "slug"
    what = "round"

    def get_queryset(self):
        return Round.objects.all()


@extend_schema_view(get=extend_schema(parameters=filters.QUESTION_PARAMETERS))
class QuestionListView(PublicListView):
    """Questions (to 2018/19) and graded areas (2021/22 on), in round order."""

    serializer_class = serializers.QuestionSerializer
    filter_form_class = filters.QuestionFilterForm

    def get_queryset(self):
        return selectors.questions_filtered(**self.selector_kwargs())


class QuestionDetailView(PublicDetailView):
    """One question or area by its id."""

    serializer_class = serializers.QuestionSerializer
    lookup_field = "id"
    what = "question"

    def get_queryset(self):
        return selectors.questions_filtered()


class ThemeListView(PublicListView):
    """The themes that link comparable questions across rounds, with their questions' ids."""

    serializer_class = serializers.ThemeSerializer

    def get_queryset(self):
        return selectors.themes_with_questions()


class ThemeDetailView(PublicDetailView):
    """One theme by its slug."""

    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"
    what = "theme"

    def get_queryset(self):
        return selectors.themes_with_questions()


@extend_schema_view(get=extend_schema(parameters=filters.GRADE_PARAMETERS))
class GradeListView(PublicListView):
    """Grades, one record per force and question, with the columns and words of /data/grades.csv,
    in its order (round, force, question). A force and question with no record is not known to us."""

    serializer_class = serializers.GradeSerializer
    filter_form_class = filters.GradeFilterForm

    def get_queryset(self):
        return selectors.grades_filtered(**self.selector_kwargs())

    def list(self, request: Request, *args, **kwargs) -> Response:
        names = column_names(GRADE_EXPORT_COLUMNS)
        records = [dict(zip(names, row, strict=True)) for row in self.paginate_queryset(self.get_queryset())]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)


@extend_schema_view(get=extend_schema(parameters=filters.REPORT_PARAMETERS))
class ReportListView(PublicListView):
    """Reports in round, force and pillar order, with their causes of concern, recommendations and areas for improvement."""

    serializer_class = serializers.ReportSerializer
    filter_form_class = filters.ReportFilterForm

    def get_queryset(self):
        return selectors.reports_filtered(**self.selector_kwargs())


class ReportDetailView(PublicDetailView):
    """One report by its id, with its findings."""

    serializer_class = serializers.ReportSerializer
    lookup_field = "id"
    what = "report"

    def get_queryset(self):
        return selectors.reports_filtered()


@extend_schema_view(get=extend_schema(parameters=filters.FINDING_PARAMETERS))
class FindingListView(PublicListView):
    """Causes of concern, recommendations and areas for improvement, searched and filtered as on /findings/
    (the same selector): by relevance when searching on PostgreSQL, else by force, round and report order."""

    serializer_class = serializers.FindingSerializer
    filter_form_class = filters.FindingFilterForm

    def get_queryset(self):
        return page_selectors.findings_search(**self.selector_kwargs())


@extend_schema_view(get=extend_schema(parameters=filters.AMENDMENT_PARAMETERS))
class AmendmentListView(PublicListView):
    """HMICFRS's changes to published grades, newest first: when, from what to what, why, and the source."""

    serializer_class = serializers.AmendmentSerializer
    filter_form_class = filters.AmendmentFilterForm

    def get_queryset(self):
        return selectors.amendments_filtered(**self.selector_kwargs())


# --- schema and documentation ------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, JSON by default (?format=yaml for YAML)."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    throttle_classes = [AddressRateThrottle]


@cache_page_per_data_version(lambda request: [])  # shows no data: kept until something every page shares changes
def api_docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI over the schema, from our own static files (no CDN, no inline script)."""
    return render(request, "reports/api_docs.html", {"schema_url": reverse("api:schema")})

"""The dataset downloads: the whole dataset and one force's history as CSV, and the page documenting them.

A streamed download sends its status and first bytes before its rows are read, so each one asks the
database first (`database_ping`): if it does not answer, the download is a 503 with a message
(peel.database_guard), never a 200 whose file ends after its header.
"""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from forces.models import Force
from peel.database_guard import database_ping
from reports.exports import services as exports
from reports.models import AreaForImprovement, CauseOfConcern, Grade, Recommendation, Round


def data_index(request: HttpRequest) -> HttpResponse:
    """What can be downloaded, what each column means, the scales, the encoding and the licence."""
    context = {
        "grade_columns": exports.GRADE_EXPORT_COLUMNS,
        "finding_columns": exports.FINDING_EXPORT_COLUMNS,
        "grade_count": Grade.objects.count(),
        "finding_count": CauseOfConcern.objects.count() + Recommendation.objects.count() + AreaForImprovement.objects.count(),
        "rounds": Round.objects.all(),
        "forces": Force.objects.only("slug", "name"),
        "formula_triggers": "= + - @",
        "licence_url": exports.LICENCE_URL,
    }
    return render(request, "reports/data.html", context)


def grades_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every grade of every force in every round, streamed."""
    database_ping()
    chunks = exports.queryset_csv_chunks(queryset=exports.grade_export_queryset(), columns=exports.GRADE_EXPORT_COLUMNS)
    return exports.csv_response(chunks=chunks, filename=exports.export_filename(subject="grades"))


def findings_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every cause of concern, recommendation and area for improvement, streamed."""
    database_ping()
    chunks = exports.csv_writer_chunks(
        header=exports.column_names(exports.FINDING_EXPORT_COLUMNS), rows=exports.finding_export_rows()
    )
    return exports.csv_response(chunks=chunks, filename=exports.export_filename(subject="findings"))


def force_grades_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """One force's full history for a PCC office: every round, pillar, question and grade."""
    database_ping()
    force = get_object_or_404(Force, slug=slug)
    chunks = exports.queryset_csv_chunks(
        queryset=exports.grade_export_queryset(force=force), columns=exports.GRADE_EXPORT_COLUMNS
    )
    return exports.csv_response(chunks=chunks, filename=exports.export_filename(subject="grades", filters=[force.slug]))


def force_findings_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """One force's causes of concern, recommendations and areas for improvement."""
    database_ping()
    force = get_object_or_404(Force, slug=slug)
    chunks = exports.csv_writer_chunks(
        header=exports.column_names(exports.FINDING_EXPORT_COLUMNS), rows=exports.finding_export_rows(force=force)
    )
    return exports.csv_response(chunks=chunks, filename=exports.export_filename(subject="findings", filters=[force.slug]))

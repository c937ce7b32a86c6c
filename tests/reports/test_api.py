"""The open data API (/api/v1/): the same grades as the pages and the CSV, filters and their errors,
pagination, conditional requests per data version, CORS, throttling and a fixed query budget."""

import csv
import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from forces.models import Force
from reports.api import filters
from reports.exports.services import GRADE_EXPORT_COLUMNS, cell_restore, column_names
from reports.models import Grade, GradeAmendment
from reports.pages import selectors as page_selectors
from reports.vocabulary import STATUS_WORDS, GradeStatus, Pillar, Tier, words_fold
from tests.conftest import rows_for_module
from tests.factories import (
    ROUNDS,
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    FiveTierRoundFactory,
    ForceFactory,
    GradeAmendmentFactory,
    GradeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)
from tests.reports.api_helpers import grade_edit, grades_of_every_kind


def api_get(client, path: str, **headers):
    response = client.get(path, headers=headers)
    return response, (response.json() if response.get("Content-Type", "").startswith("application/json") else None)


def every_record(client, path: str) -> list[dict]:
    """Every record of a list endpoint, following its pages."""
    records, url = [], path
    while url:
        response, body = api_get(client, url)
        assert response.status_code == 200, body
        records += body["results"]
        url = body["next"]
    return records


def status_and_tier(word: str) -> tuple[str, int | None]:
    status = STATUS_WORDS.get(words_fold(word))
    return (status, None) if status else (GradeStatus.GRADED, int(Tier.from_word(word)))


@pytest.fixture
def grades(db) -> dict[str, Grade]:
    return grades_of_every_kind()


@pytest.fixture
def bedfordshire_e1(db) -> Grade:
    """Bedfordshire graded Inadequate on 2016's E1, with its 2016 Effectiveness report."""
    grade = GradeFactory(
        force=ForceFactory(name="Bedfordshire Police", slug="bedfordshire"),
        question=QuestionFactory(code="E1", slug="e1"),
        tier=Tier.INADEQUATE,
    )
    ReportFactory(force=grade.force, round=grade.question.round)
    return grade


# --- grades: the same as the force page and the CSV ------------------------------------------------


def test_a_forces_grades_of_a_round_are_the_force_pages_column_of_that_round(client, grades):
    records = every_record(client, "/api/v1/grades/?force=northshire&round=2016")
    page_rows = [row for row in page_selectors.force_history_get(force_slug="northshire").grades if row["round_slug"] == "2016"]
    assert len(records) == len(page_rows) == 3  # Overall effectiveness, E1 (carried over) and E2 (not graded)
    api = sorted((r["question_or_area"], status_and_tier(r["grade"]), r["carried_over"] == "yes") for r in records)
    page = sorted((row["question"], (row["grade"].status, row["grade"].tier), row["grade"].carried_over) for row in page_rows)
    assert api == page


def test_a_grade_record_has_the_columns_and_words_of_the_grades_csv_in_its_order(client, grades):
    csv_text = b"".join(client.get("/data/grades.csv").streaming_content).decode("utf-8-sig")
    csv_rows = list(csv.DictReader(io.StringIO(csv_text)))
    records = every_record(client, "/api/v1/grades/?page_size=1000")
    assert all(list(record) == column_names(GRADE_EXPORT_COLUMNS) for record in records)
    assert len(records) == len(csv_rows) == Grade.objects.count()

    def as_csv(record: dict) -> dict:
        return {name: "" if value is None else str(value) for name, value in record.items()}

    # Same rows in the same order; the CSV alone puts an apostrophe before formula-like text.
    assert [as_csv(record) for record in records] == [{k: cell_restore(v) for k, v in row.items()} for row in csv_rows]


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("pillar=effectiveness", lambda r: r["pillar"] == "Effectiveness"),
        ("theme=investigating-crime", lambda r: r["theme"] == "investigating-crime"),
        ("grade=requires-improvement", lambda r: r["grade"] == "Requires improvement"),
        ("grade=not%20graded", lambda r: r["grade"] == "Not graded"),
        ("carried_over=yes", lambda r: r["carried_over"] == "yes"),
        ("round=2021/22", lambda r: r["round"] == "2021/22"),
    ],
)
def test_grades_filter_as_the_pages_do(client, grades, query, check):
    records = every_record(client, f"/api/v1/grades/?page_size=1000&{query}")
    assert records and all(check(record) for record in records)
    assert len(records) < Grade.objects.count()


def test_grades_filter_by_question_id(client, grades):
    question = grades["north e1"].question
    records = every_record(client, f"/api/v1/grades/?question={question.pk}")
    assert [r["question_or_area"] for r in records] == [question.label] * 2


# --- other endpoints ---------------------------------------------------------------------------


def test_forces_carry_the_latest_grades_the_forces_list_shows(client, db):
    theme = ThemeFactory(name="Overall effectiveness", pillar=Pillar.EFFECTIVENESS)
    force = ForceFactory(slug="bedfordshire")
    for slug, tier in [("2015", Tier.REQUIRES_IMPROVEMENT), ("2016", Tier.GOOD)]:
        grade = GradeFactory(
            force=force, question__round=RoundFactory(slug=slug), question__overall=True, question__theme=theme, tier=tier
        )
    GradeFactory(question=grade.question, tier=Tier.INADEQUATE)  # another force
    response, body = api_get(client, "/api/v1/forces/bedfordshire/")
    assert response.status_code == 200
    row = next(r for r in page_selectors.forces_latest_get(show="pillars").rows if r["force_slug"] == "bedfordshire")
    effectiveness = next(g for g in body["latest_grades"]["pillars"] if g["theme"] == "overall-effectiveness")
    assert (effectiveness["grade_order"], effectiveness["round"]) == (
        row["overall_effectiveness"].tier,
        row["overall_effectiveness_round"],
    )
    assert (effectiveness["grade"], effectiveness["round"]) == ("Good", "2016")
    assert body["page_url"].endswith("/forces/bedfordshire/")
    assert len(every_record(client, "/api/v1/forces/")) == Force.objects.count() == 2


def test_rounds_say_their_scale_and_comparability(client, db):
    RoundFactory(slug="2018-19")
    FiveTierRoundFactory()
    rounds = {r["slug"]: r for r in every_record(client, "/api/v1/rounds/")}
    assert rounds["2018-19"]["tiers"] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert "Adequate" in rounds["2021-22"]["tiers"] and rounds["2021-22"]["scale"] == "five-tier"
    assert all("comparability_note" in r for r in rounds.values())


def test_reports_carry_their_causes_of_concern_recommendations_and_areas_for_improvement(client, db):
    report = ReportFactory(force=ForceFactory(slug="bedfordshire"))
    for cause in CauseOfConcernFactory.create_batch(2, report=report):
        RecommendationFactory(cause=cause)
    AreaForImprovementFactory.create_batch(3, report=report)
    AreaForImprovementFactory(report__force=report.force, report__round=RoundFactory(slug="2017"))  # another round
    AreaForImprovementFactory(report__round=report.round)  # another force
    records = every_record(client, "/api/v1/reports/?force=bedfordshire&round=2016")
    assert [record["id"] for record in records] == [report.pk]
    record = records[0]
    detail = client.get(f"/api/v1/reports/{record['id']}/").json()
    assert detail == record
    findings = page_selectors.report_page_get(force_slug="bedfordshire", round_slug="2016").findings
    assert len(record["causes_of_concern"]) == sum(1 for f in findings if f["kind"] == "cause") == 2
    assert len(record["areas_for_improvement"]) == sum(1 for f in findings if f["kind"] == "afi") == 3


def test_findings_search_answers_what_the_findings_page_selector_answers(client, db):
    for force_name in ("Kent Police", "Essex Police"):
        report = ReportFactory(force__name=force_name)
        AreaForImprovementFactory(report=report, text=f"{force_name} should protect children sooner.")
        AreaForImprovementFactory(report=report, text="The force should answer calls sooner.")
        CauseOfConcernFactory(report=report, text="Children wait too long for help.")
    expected = page_selectors.findings_search(q="children", kind="afi")
    records = every_record(client, "/api/v1/findings/?q=children&type=afi")
    assert [(r["force_slug"], r["round_slug"], r["text"]) for r in records] == [
        (f["force_slug"], f["round_slug"], f["text"]) for f in expected
    ]
    assert [r["text"] for r in records] == [
        "Essex Police should protect children sooner.",
        "Kent Police should protect children sooner.",
    ]


def test_amendments_say_what_changed_when_with_old_and_new_grade(client, db):
    round_ = FiveTierRoundFactory()
    amendment = GradeAmendmentFactory(amended_on=round_.end_date, reason="A late correction.")
    GradeAmendmentFactory(amended_on=round_.start_date)
    records = every_record(client, "/api/v1/amendments/")
    assert len(records) == GradeAmendment.objects.count() == 2
    first = records[0]
    assert first["amended_on"] == amendment.amended_on.isoformat()
    assert (first["previous_grade_order"], first["new_grade_order"]) == (amendment.previous_tier, amendment.new_tier)
    assert first["previous_grade"] and first["new_grade"] and first["reason"] == amendment.reason


# --- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/grades/?force=atlantis", "force"),
        ("/api/v1/grades/?round=1999", "round"),
        ("/api/v1/grades/?grade=splendid", "grade"),
        ("/api/v1/grades/?carried_over=perhaps", "carried_over"),
        ("/api/v1/grades/?question=abc", "question"),
        ("/api/v1/grades/?forse=bedfordshire", "forse"),
        ("/api/v1/grades/?force=bedfordshire&force=kent", "force"),
        ("/api/v1/grades/?page_size=1001", "page_size"),
        ("/api/v1/grades/?page=0", "page"),
        ("/api/v1/findings/?type=rumour", "type"),
        ("/api/v1/questions/?pillar=speed", "pillar"),
    ],
)
def test_a_bad_parameter_is_a_json_400_naming_it(client, db, path, parameter):
    ForceFactory(slug="bedfordshire")
    ForceFactory(slug="kent")
    response, body = api_get(client, path)
    assert response.status_code == 400
    assert list(body["parameters"]) == [parameter]
    assert parameter in body["message"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/forces/atlantis/", "/api/v1/rounds/1999/", "/api/v1/reports/999999/", "/api/v1/grades/?page=999", "/api/v1/nope/"],
)
def test_an_unknown_object_page_or_endpoint_is_a_json_404(client, db, path):
    ReportFactory(force=GradeFactory().force)
    response, body = api_get(client, path)
    assert response.status_code == 404
    assert body["message"]


def test_the_api_is_read_only(client, bedfordshire_e1):
    assert client.post("/api/v1/grades/", {}).status_code == 405
    assert client.delete("/api/v1/forces/bedfordshire/").status_code == 405


# --- conditional requests and kept responses ---------------------------------------------------------


def test_a_matching_etag_or_date_gets_304_until_an_editor_changes_a_grade(client, bedfordshire_e1):
    path = "/api/v1/grades/?force=bedfordshire&round=2016"
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first.status_code == 200 and etag and last_modified
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304

    grade_edit(force_slug="bedfordshire", round_slug="2016", question_slug="e1", tier=Tier.GOOD)

    after = client.get(path, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after["ETag"] != etag
    e1 = next(r for r in after.json()["results"] if r["question_code"] == "E1")
    assert e1["grade"] == "Good"


def test_a_response_is_kept_per_data_version_and_address(client, bedfordshire_e1, django_assert_max_num_queries):
    path = "/api/v1/reports/?force=bedfordshire"
    fresh = client.get(path)
    with django_assert_max_num_queries(1):  # only the data version is read
        kept = client.get(path)
    assert kept.content == fresh.content and kept["ETag"] == fresh["ETag"]


def test_cross_origin_reads_are_open_and_writes_are_not(client, db):
    response = client.get("/api/v1/rounds/", headers={"Origin": "https://newsroom.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/grades/", headers={"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in client.post("/api/v1/grades/", headers={"Origin": "https://x.example"})
    assert "Access-Control-Allow-Origin" not in client.get("/forces/", headers={"Origin": "https://x.example"})


def test_requests_are_throttled_per_address(client, db, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    statuses = [client.get("/api/v1/rounds/", REMOTE_ADDR="192.0.2.1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get("/api/v1/rounds/", REMOTE_ADDR="192.0.2.1")
    assert "message" in throttled.json() and int(throttled["Retry-After"]) > 0
    assert client.get("/api/v1/rounds/", REMOTE_ADDR="192.0.2.2").status_code == 200


# --- query budget --------------------------------------------------------------------------------


def twelve_of_everything() -> None:
    """Twelve rounds (the PEEL rounds and made-up ones), each with a themed question; twelve forces, each graded
    on one of them, the grade amended, and a report with a cause of concern, a recommendation and an area for
    improvement about custody: more than ten records on every endpoint."""
    slugs = [*ROUNDS, *(f"made-up-{n}" for n in range(12 - len(ROUNDS)))]
    for slug in slugs:
        question = QuestionFactory(round=RoundFactory(slug=slug), theme=ThemeFactory())
        grade = GradeFactory(question=question)
        GradeAmendmentFactory(grade=grade)
        report = ReportFactory(force=grade.force, round=question.round)
        cause = CauseOfConcernFactory(report=report, text="Custody records are incomplete.")
        RecommendationFactory(cause=cause, text="Audit custody records.")
        AreaForImprovementFactory(report=report, text="The force should improve custody checks.")


@pytest.fixture(scope="class")
def twelve(django_db_setup, django_db_blocker):
    with rows_for_module(django_db_blocker, twelve_of_everything):
        yield


@pytest.mark.usefixtures("twelve")
class TestQueryBudget:
    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/grades/",
            "/api/v1/forces/",
            "/api/v1/rounds/",
            "/api/v1/questions/",
            "/api/v1/themes/",
            "/api/v1/reports/",
            "/api/v1/findings/?q=custody",
            "/api/v1/amendments/",
        ],
    )
    def test_queries_do_not_grow_with_the_page_size(self, client, db, path, django_assert_max_num_queries):
        separator = "&" if "?" in path else "?"
        with CaptureQueriesContext(connection) as at_ten:
            assert client.get(f"{path}{separator}page_size=10").status_code == 200
        for cache in caches.all():  # nothing kept: the second request reads everything again
            cache.clear()
        with django_assert_max_num_queries(len(at_ten)):
            assert client.get(f"{path}{separator}page_size=100").status_code == 200


# --- schema and docs -------------------------------------------------------------------------------


def test_the_openapi_schema_is_valid_by_drf_spectaculars_own_validator(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema_text = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/grades/", "/api/v1/reports/{id}/", "/api/v1/findings/", "/api/v1/amendments/"):
        assert f"{path}:" in schema_text


def test_the_schema_endpoint_serves_json_describing_the_grade_filters(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    parameters = {p["name"] for p in schema["paths"]["/api/v1/grades/"]["get"]["parameters"]}
    assert {"round", "force", "pillar", "question", "theme", "grade", "carried_over", "page", "page_size"} <= parameters
    grade_fields = schema["components"]["schemas"]["Grade"]["properties"]
    assert list(grade_fields) == column_names(GRADE_EXPORT_COLUMNS)


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files_without_inline_script(client, db):
    html = client.get("/api/v1/docs/").content.decode()
    assert 'data-schema-url="/api/v1/schema/"' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/js/api-docs.js" in html
    assert "<script>" not in html  # every script is a file: the CSP allows no inline script
    assert not any(cdn in html for cdn in ("unpkg", "jsdelivr", "cdnjs", "cloudflare"))


def test_the_data_page_links_the_api_docs_and_the_feed(client, db):
    html = client.get("/data/").content.decode()
    assert 'href="/api/v1/docs/"' in html and 'href="/feed/"' in html


@pytest.mark.parametrize(
    "form_class",
    [
        filters.GradeFilterForm,
        filters.QuestionFilterForm,
        filters.ReportFilterForm,
        filters.AmendmentFilterForm,
        filters.FindingFilterForm,
    ],
)
def test_each_filter_form_names_exactly_its_fields_as_parameters(db, form_class):
    assert set(form_class.parameters) == set(form_class(QueryDict()).fields)

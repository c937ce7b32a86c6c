import csv
import re
from datetime import date
from pathlib import Path

import pytest

from forces.models import Force
from reports.accountability.services import letter_import
from reports.editor.services import upload_preview
from reports.importers.service import IMPORTED
from reports.models import (
    Grade,
    GradeAmendment,
    Inspection,
    InspectionRecommendation,
    MonitoringPeriod,
    PccResponse,
    PromisingPractice,
    Question,
    RecommendationResponse,
    Round,
)
from reports.pages import selectors
from reports.vocabulary import GradeStatus, Tier, partial_date_iso, round_key
from tests.reports.accountability.letters import seed_text
from tests.reports.api_helpers import feed_entries

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"

pytestmark = pytest.mark.usefixtures("peel_data")


def source_rows(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_all_43_forces_are_loaded_with_hmicfrs_slugs():
    assert Force.objects.count() == 43
    assert set(Force.objects.values_list("slug", flat=True)) == {row["force_slug"] for row in source_rows("forces.csv")}


def test_the_seven_rounds_are_loaded_in_order_with_their_scales():
    rounds = list(Round.objects.values_list("slug", "scale"))
    assert rounds == [
        ("2014", "four-tier"),
        ("2015", "four-tier"),
        ("2016", "four-tier"),
        ("2017", "four-tier"),
        ("2018-19", "four-tier"),
        ("2021-22", "five-tier"),
        ("2023-25", "five-tier"),
    ]


def test_every_question_of_the_sources_is_loaded():
    assert Question.objects.count() == len(source_rows("questions.csv"))


def test_every_grade_row_is_loaded_with_its_grade_and_source():
    rows = source_rows("grades.csv")
    # Grades a report text adds (fixtures/sources/reports) come on top of the grade facts.
    assert Grade.objects.exclude(source_type=IMPORTED).count() == len(rows)
    loaded = {
        (g.force.slug, g.question.round.slug, g.question.short_name, g.question.code): g
        for g in Grade.objects.select_related("force", "question__round")
    }
    by_name = {(force, round_, name): g for (force, round_, name, _), g in loaded.items()}
    by_label = {(force, round_, f"{code} {name}"): g for (force, round_, name, code), g in loaded.items()}
    for row in rows:
        key = (row["force_slug"], round_key(row["round"]), row["question_or_area"])
        grade = by_name.get(key) or by_label.get(key)
        assert grade is not None, key
        assert grade.display_grade.casefold() in {row["grade"].casefold(), "not graded this time"}, key
        assert grade.source_url == row["source_url"]
        assert grade.evidence == row["evidence"]


def test_bedfordshire_was_inadequate_for_effectiveness_in_2016():
    grade = Grade.objects.get(force__slug="bedfordshire", question__round__slug="2016", question__slug="overall-effectiveness")
    assert grade.tier == Tier.INADEQUATE


def test_bedfordshire_was_good_on_all_three_pillars_in_2018_19():
    grades = Grade.objects.filter(force__slug="bedfordshire", question__round__slug="2018-19", question__is_overall=True)
    assert sorted((g.question.pillar, g.display_grade) for g in grades) == [
        ("Effectiveness", "Good"),
        ("Efficiency", "Good"),
        ("Legitimacy", "Good"),
    ]


def test_bedfordshire_was_outstanding_at_managing_offenders_in_2021_22():
    grade = Grade.objects.get(
        force__slug="bedfordshire", question__round__slug="2021-22", question__short_name="Managing offenders and suspects"
    )
    assert grade.tier == Tier.OUTSTANDING


def test_carried_over_judgments_are_flagged_only_for_the_question_they_name():
    # A row is carried over when its evidence starts so, or names its own code before "carried over";
    # a row whose evidence mentions another question's carried-over judgment is not.
    expected = set()
    with (SOURCES / "grades.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["question_or_area"].split(" ")[0]
            evidence = row["evidence"]
            if evidence.lower().startswith("carried over") or re.search(rf"\b{re.escape(code)}\b[^;]*carried over", evidence):
                expected.add((row["force_slug"], code))
    carried = Grade.objects.filter(carried_over=True).select_related("force", "question")
    assert {(g.force.slug, g.question.code) for g in carried} == expected
    assert ("dyfed-powys", "E2") in expected and ("cheshire", "L1") in expected


def test_ungraded_not_graded_and_not_inspected_stay_distinct():
    statuses = set(Grade.objects.exclude(status=GradeStatus.GRADED).values_list("status", flat=True))
    assert statuses == {GradeStatus.UNGRADED, GradeStatus.NOT_GRADED, GradeStatus.NOT_INSPECTED}


def test_comparable_questions_share_a_theme_across_the_scale_break():
    e2_2016 = Question.objects.get(round__slug="2016", slug="e2")
    area_2021 = Question.objects.get(round__slug="2021-22", short_name="Investigating crime")
    assert e2_2016.theme == area_2021.theme
    assert e2_2016.theme_partial and not area_2021.theme_partial


def test_the_shipped_data_alone_makes_an_empty_feed(client):
    assert feed_entries(client) == []


def test_every_monitoring_row_is_loaded_with_its_dates_as_precise_as_stated():
    loaded = {
        (p.force.slug, p.stage, partial_date_iso(p.entered, p.entered_precision)): partial_date_iso(p.left, p.left_precision)
        for p in MonitoringPeriod.objects.select_related("force")
    }
    assert loaded == {(row["force_slug"], row["status"], row["entered"]): row["left"] for row in source_rows("monitoring.csv")}


def test_the_seed_letter_is_held_as_bedfordshires_response_20_days_late():
    response = PccResponse.objects.get(force__slug="bedfordshire")
    assert response.inspection.title == "Police performance: Getting a grip"
    assert response.statutory_deadline == date(2023, 9, 1)
    assert response.published == date(2023, 9, 21)
    assert response.days_late == 20 and response.deadline_met is False
    assert response.recommendation_responses.count() == 3
    assert PromisingPractice.objects.filter(force__slug="bedfordshire").count() == 2


def test_importing_the_seed_letter_again_changes_nothing():
    models = (Inspection, InspectionRecommendation, PccResponse, RecommendationResponse, PromisingPractice)
    before = [model.objects.count() for model in models]
    result = letter_import(text=seed_text(), source_document="bedfordshire-2023-getting-a-grip.txt")
    assert result.changes == []
    assert [model.objects.count() for model in models] == before


def test_the_grade_facts_file_uploads_back_as_entirely_unchanged():
    preview = upload_preview(data=(SOURCES / "grades.csv").read_bytes())
    assert (preview.file_error, preview.invalid) == ("", [])
    assert preview.count("unchanged") == len(preview.rows) == len(source_rows("grades.csv"))
    assert not preview.can_apply


def test_the_northamptonshire_amendment_is_seeded_from_the_grade_facts():
    amendment = GradeAmendment.objects.get()
    grade = amendment.grade
    assert (grade.force.slug, grade.question.round.slug, grade.question.slug) == (
        "northamptonshire",
        "2023-25",
        "responding-to-the-public",
    )
    assert (amendment.amended_on, amendment.previous_display, amendment.new_display) == (
        date(2024, 8, 8),
        "Adequate",
        "Requires improvement",
    )
    assert amendment.source_url == grade.source_url == "https://northantspfcc.org.uk/?p=25963"


def test_the_shipped_bedfordshire_2016_report_texts_are_searchable():
    hits = selectors.findings_search(force_slug="bedfordshire", round_slug="2016")
    assert any(h["kind"] == "cause" for h in hits)
    assert any(h["kind"] == "afi" for h in hits)

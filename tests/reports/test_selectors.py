import pytest
from django.db import connection

from forces.models import Force
from reports.models import AreaForImprovement, CauseOfConcern, Grade, Question, Recommendation, Report, Round
from reports.pages import selectors
from reports.vocabulary import GradeStatus, Tier

pytestmark = pytest.mark.usefixtures("peel_data")


def row_of(rows: list[dict], force_slug: str) -> dict:
    return next(row for row in rows if row["force_slug"] == force_slug)


def question_key(grid, label: str) -> str:
    return next(q.key for q in grid.questions if q.label == label)


@pytest.fixture
def findings():
    """Findings with known words, on a force and round the shipped report texts do not cover."""
    force = Force.objects.get(slug="cleveland")
    round_ = Round.objects.get(slug="2017")
    question = Question.objects.get(round=round_, code="E3")
    report = Report.objects.create(
        force=force, round=round_, pillar="Effectiveness", title="PEEL: effectiveness 2017 – Cleveland"
    )
    cause = CauseOfConcern.objects.create(
        report=report, question=question, position=1, text="Missing children are not safeguarded quickly enough."
    )
    Recommendation.objects.create(cause=cause, position=1, text="Review the custody arrangements for detained children.")
    AreaForImprovement.objects.create(
        report=report, position=1, text="The force should improve how it records anti-social behaviour."
    )
    return report


def test_the_latest_round_with_grades_is_the_national_default():
    assert selectors.round_latest_with_data().slug == "2023-25"


def test_the_national_grid_has_every_force_and_a_cell_for_every_question():
    grid = selectors.national_grid_get(round_slug="2016")
    assert len(grid.rows) == 43
    assert all(q.key in row for row in grid.rows for q in grid.questions)
    assert grid.forces_total == 43
    assert grid.forces_known == 43


def test_bedfordshire_is_inadequate_for_effectiveness_in_the_2016_grid():
    grid = selectors.national_grid_get(round_slug="2016", pillar="Effectiveness")
    cell = row_of(grid.rows, "bedfordshire")[question_key(grid, "Overall effectiveness")]
    assert (cell.status, cell.tier) == (GradeStatus.GRADED, Tier.INADEQUATE)
    assert {q.pillar for q in grid.questions} == {"Effectiveness"}
    assert grid.questions[0].is_overall  # the pillar's own judgment first


def test_a_missing_grade_is_not_known_and_an_ungraded_question_is_ungraded():
    grid = selectors.national_grid_get(round_slug="2016", pillar="Effectiveness")
    bedfordshire = row_of(grid.rows, "bedfordshire")
    e5 = next(q for q in grid.questions if q.label.startswith("E5"))
    assert not e5.graded
    assert bedfordshire[e5.key].status == GradeStatus.UNGRADED
    cleveland = row_of(grid.rows, "cleveland")
    e1 = question_key(grid, "E1 Preventing crime, tackling ASB and keeping people safe")
    assert not Grade.objects.filter(force__slug="cleveland", question__round__slug="2016", question__code="E1").exists()
    assert (cleveland[e1].known, cleveland[e1].question_graded) == (False, True)


def test_a_carried_over_judgment_says_so():
    grade = Grade.objects.filter(carried_over=True, status=GradeStatus.GRADED).select_related("question__round", "force").first()
    grid = selectors.national_grid_get(round_slug=grade.question.round.slug)
    cell = row_of(grid.rows, grade.force.slug)[f"q{grade.question_id}"]
    assert cell.carried_over


def test_the_distribution_accounts_for_every_force_on_every_question():
    grid = selectors.national_grid_get(round_slug="2021-22")
    for entry in grid.distribution:
        graded = sum(count for _, count in entry["tiers"])
        assert graded + entry["ungraded"] + entry["not_known"] == 43, entry["question"]
    assert [tier for tier, _ in grid.distribution[0]["tiers"]] == list(Round.objects.get(slug="2021-22").tiers)


def test_five_tier_rounds_count_areas_known_against_areas_graded():
    grid = selectors.national_grid_get(round_slug="2021-22")
    # Bedfordshire: eight areas graded in 2021/22 (grade_counts.csv); we hold grades for eight.
    assert (row_of(grid.rows, "bedfordshire")["known_sort"], row_of(grid.rows, "bedfordshire")["known_of"]) == (8, 8)


def test_the_pillar_filter_does_not_apply_to_rounds_graded_by_area():
    grid = selectors.national_grid_get(round_slug="2021-22", pillar="Effectiveness")
    assert grid.pillar_ignored
    assert len(grid.questions) == Question.objects.filter(round__slug="2021-22").count()


def test_the_forces_list_shows_each_forces_latest_pillar_judgment_with_its_round():
    latest = selectors.forces_latest_get()
    bedfordshire = row_of(latest.rows, "bedfordshire")
    assert [c.label for c in latest.columns] == ["Effectiveness", "Efficiency", "Legitimacy"]
    assert (bedfordshire["overall_effectiveness"].tier, bedfordshire["overall_effectiveness_round"]) == (Tier.GOOD, "2018/19")


def test_the_forces_list_by_area_shows_the_latest_five_tier_grade():
    latest = selectors.forces_latest_get(show="areas")
    bedfordshire = row_of(latest.rows, "bedfordshire")
    assert (bedfordshire["managing_offenders"].tier, bedfordshire["managing_offenders_round"]) == (Tier.ADEQUATE, "2023–25")


def test_the_forces_list_searches_names_case_insensitively():
    assert [row["force_slug"] for row in selectors.forces_latest_get(q="YORKSHIRE").rows] == [
        "north-yorkshire",
        "south-yorkshire",
        "west-yorkshire",
    ]


def test_the_force_history_holds_the_bedfordshire_story():
    history = selectors.force_history_get(force_slug="bedfordshire")
    points = {(p["theme"], p["round"]): p["tier"] for p in history.points}
    assert points["Overall effectiveness", "2016"] == Tier.INADEQUATE
    assert points["Managing offenders and suspects", "2021/22"] == Tier.OUTSTANDING
    assert [r.slug for r in history.report_rounds][0] == "2014"


def test_an_unknown_force_has_no_history():
    assert selectors.force_history_get(force_slug="gotham") is None


def test_the_report_page_holds_judgments_per_pillar_and_its_findings(findings):
    page = selectors.report_page_get(force_slug="cleveland", round_slug="2017")
    assert [s["pillar"] for s in page.sections][:3] == ["Effectiveness", "Efficiency", "Legitimacy"]
    assert page.sections[0]["overall"]["question"] == "Overall effectiveness"
    cause = next(f for f in page.findings if f["kind"] == "cause")
    assert cause["question"].startswith("E3")
    assert cause["recommendations"] == ["Review the custody arrangements for detained children."]
    assert any(f["kind"] == "afi" for f in page.findings)


def test_the_report_page_of_an_unknown_round_is_none():
    assert selectors.report_page_get(force_slug="bedfordshire", round_slug="2099") is None


def test_compare_lists_rows_where_any_chosen_force_has_a_grade():
    comparison = selectors.compare_get(force_slugs=["bedfordshire", "cleveland"], round_slug="2016")
    assert [f["slug"] for f in comparison.forces] == ["bedfordshire", "cleveland"]
    overall = next(r for r in comparison.rows if r["question"] == "Overall effectiveness")
    assert overall["bedfordshire"].tier == Tier.INADEQUATE
    for row in comparison.rows:
        assert row["bedfordshire"].known or row["cleveland"].known


def test_movers_count_steps_on_the_rounds_own_scale():
    movers = selectors.movers_get(force_slug="bedfordshire", theme_slug="overall-effectiveness", direction="all")
    pairs = {(r["from_round"], r["to_round"]): r for r in movers.same_scale}
    # Requires improvement (2015) → Inadequate (2016): one step down the four-tier scale.
    assert pairs["2015", "2016"]["steps"] == -1
    assert pairs["2015", "2016"]["direction"] == "declined"
    # Inadequate (2016) → Requires improvement (2017): one step up.
    assert pairs["2016", "2017"]["steps"] == 1


def test_movers_on_the_five_tier_scale_count_adequate_as_a_step():
    movers = selectors.movers_get(force_slug="bedfordshire", theme_slug="managing-offenders")
    (row,) = movers.same_scale
    assert (row["from_grade"].tier, row["to_grade"].tier, row["steps"]) == (Tier.OUTSTANDING, Tier.ADEQUATE, -2)


def test_changes_across_the_scale_break_are_kept_apart_and_unranked():
    movers = selectors.movers_get(direction="all")
    assert movers.across_break
    assert all(r["from_round"] == "2018/19" and r["to_round"] == "2021/22" for r in movers.across_break)
    assert all(r["steps"] is None for r in movers.across_break)
    assert not any(r["from_round"] == "2018/19" and r["to_round"] == "2021/22" for r in movers.same_scale)


def test_movers_are_ranked_biggest_change_first_with_partly_comparable_pairs_ranked_apart_after():
    rows = selectors.movers_get().same_scale
    partial = [r["partial"] for r in rows]
    assert partial == sorted(partial)  # every fully comparable pair first
    for group in (False, True):
        changes = [abs(r["steps"]) for r in rows if r["partial"] is group]
        assert changes == sorted(changes, reverse=True)
        assert 0 not in changes


def test_the_earlier_re_offending_questions_count_partly_towards_managing_offenders():
    history = selectors.force_history_get(force_slug="bedfordshire")
    offenders = next(t for t in history.themes if t["slug"] == "managing-offenders")
    by_round = {r.slug: cell for r, cell in zip(history.rounds, offenders["row"], strict=True)}
    assert by_round["2016"]["theme_partial"] and by_round["2016"]["grade"].tier == Tier.REQUIRES_IMPROVEMENT
    assert by_round["2021-22"]["grade"].tier == Tier.OUTSTANDING and not by_round["2021-22"]["theme_partial"]
    assert not by_round["2014"]["grade"].in_round  # no question of the theme that round
    # The force's own list of grades holds E2 2016 once, under investigating crime.
    assert sum(1 for g in history.grades if g["round_slug"] == "2016" and g["question"].startswith("E2")) == 1


def test_findings_search_finds_causes_recommendations_and_areas_for_improvement(findings):
    assert {r["kind"] for r in selectors.findings_search(force_slug="cleveland")} == {"cause", "recommendation", "afi"}
    (hit,) = selectors.findings_search(q="custody", force_slug="cleveland")
    assert hit["kind"] == "recommendation"
    assert hit["cause"].startswith("Missing children")
    assert hit["question"].startswith("E3")


def test_findings_search_filters_by_type_round_and_question(findings):
    question = Question.objects.get(round__slug="2017", code="E3")
    assert [r["kind"] for r in selectors.findings_search(force_slug="cleveland", kind="afi")] == ["afi"]
    assert selectors.findings_search(force_slug="cleveland", round_slug="2016") == []
    assert {r["kind"] for r in selectors.findings_search(question_id=question.pk)} == {"cause", "recommendation"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_findings_search_on_postgresql_matches_word_forms_and_ranks(findings):
    # "records" matches "recorded"/"recording" through English stemming; contains-search would not.
    hits = selectors.findings_search(q="recording behaviour", force_slug="cleveland")
    assert [h["kind"] for h in hits] == ["afi"]
    assert hits[0]["rank"] > 0


def test_findings_search_on_sqlite_is_a_contains_search(findings):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's search")
    assert [h["kind"] for h in selectors.findings_search(q="ANTI-SOCIAL", force_slug="cleveland")] == ["afi"]


def test_the_shipped_bedfordshire_2016_report_texts_are_searchable():
    hits = selectors.findings_search(force_slug="bedfordshire", round_slug="2016")
    assert any(h["kind"] == "cause" for h in hits)
    assert any(h["kind"] == "afi" for h in hits)


def test_a_saved_grade_shows_in_the_next_read_although_the_last_read_was_cached():
    before = selectors.national_grid_get(round_slug="2016", pillar="Effectiveness")
    key = question_key(before, "Overall effectiveness")
    assert row_of(before.rows, "bedfordshire")[key].tier == Tier.INADEQUATE
    grade = Grade.objects.get(force__slug="bedfordshire", question_id=int(key[1:]))
    grade.tier = Tier.GOOD
    grade.save()
    after = selectors.national_grid_get(round_slug="2016", pillar="Effectiveness")
    assert row_of(after.rows, "bedfordshire")[key].tier == Tier.GOOD


@pytest.mark.parametrize("round_slug", ["2016", "2021-22"])
def test_a_national_page_sorted_and_sliced_in_sql_holds_the_rows_a_sorted_list_would(round_slug):
    grid = selectors.national_grid_get(round_slug=round_slug)
    every_row = list(grid.rows)
    for key in ["force", "known_sort", *(f"{q.key}_sort" for q in grid.questions[:4])]:
        for descending in (False, True):
            expected = sorted(every_row, key=lambda row, key=key: row[key], reverse=descending)
            page = grid.rows.ordered((f"-{key}" if descending else key,))[10:35]
            assert [row["force_slug"] for row in page] == [row["force_slug"] for row in expected[10:35]], key
            assert page == expected[10:35]


@pytest.mark.parametrize("show", ["pillars", "areas"])
def test_the_forces_list_sorted_and_sliced_in_sql_holds_the_rows_a_sorted_list_would(show):
    latest = selectors.forces_latest_get(show=show)
    every_row = list(latest.rows)
    for key in ["force", "country", *(f"{column.key}_sort" for column in latest.columns[:4])]:
        for descending in (False, True):
            expected = sorted(every_row, key=lambda row, key=key: row[key], reverse=descending)
            page = latest.rows.ordered((f"-{key}" if descending else key,))[10:35]
            assert page == expected[10:35], key


def test_the_movers_summary_follows_an_edited_grade_without_a_rebuild():
    from reports import summaries
    from reports.models import MoverPair

    list(selectors.movers_get(direction="all").same_scale)
    assert summaries.movers_summary_current()
    pair = (
        MoverPair.objects.filter(same_scale=True, force__slug="bedfordshire").select_related("to_grade__question__round").first()
    )
    grade = pair.to_grade
    grade.tier = next(tier for tier in grade.question.round.tiers if tier != grade.tier)
    grade.save()
    assert summaries.movers_summary_current()
    rows = selectors.movers_get(force_slug="bedfordshire", direction="all").same_scale
    (row,) = [r for r in rows if r["theme_slug"] == pair.theme.slug and r["to_round_slug"] == grade.question.round.slug]
    assert row["to_sort"] == grade.tier


def test_a_question_moved_to_another_theme_rebuilds_the_movers_summary_on_its_next_read():
    from reports import summaries

    list(selectors.movers_get(direction="all").same_scale)
    question = Question.objects.filter(theme__isnull=False, round__slug="2017").first()
    question.theme = None
    question.save()
    assert not summaries.movers_summary_current()
    rows = list(selectors.movers_get(direction="all").same_scale)
    assert summaries.movers_summary_current()
    assert not any(r["to_question"] == question.label and r["to_round_slug"] == "2017" for r in rows)

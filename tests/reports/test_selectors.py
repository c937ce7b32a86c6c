import pytest
from django.db import connection

from forces.models import Force
from reports.pages import selectors
from reports.vocabulary import GradeStatus, Pillar, Tier
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    FiveTierRoundFactory,
    ForceFactory,
    GradeCountFactory,
    GradeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)
from tests.reports.page_helpers import theme_graded

pytestmark = pytest.mark.django_db


def row_of(rows, force_slug: str) -> dict:
    return next(row for row in rows if row["force_slug"] == force_slug)


def question_key(grid, label: str) -> str:
    return next(q.key for q in grid.questions if q.label == label)


@pytest.fixture
def themes():
    """The pillar judgments' themes (the forces list's columns) and an area's, as the selectors know them by slug."""
    return {
        "effectiveness": ThemeFactory(name="Overall effectiveness", pillar=Pillar.EFFECTIVENESS),
        "efficiency": ThemeFactory(name="Overall efficiency", pillar=Pillar.EFFICIENCY),
        "legitimacy": ThemeFactory(name="Overall legitimacy", pillar=Pillar.LEGITIMACY),
        "offenders": ThemeFactory(name="Managing offenders and suspects", slug="managing-offenders"),
    }


@pytest.fixture
def findings():
    """A 2017 report with a cause of concern on E3, its recommendation and an area for improvement; another
    force's 2016 report mentions custody too."""
    report = ReportFactory(force=ForceFactory(slug="northshire"), round=RoundFactory(slug="2017"))
    question = QuestionFactory(round=report.round, code="E3", short_name="Protecting vulnerable people")
    cause = CauseOfConcernFactory(report=report, question=question, text="Missing children are not safeguarded quickly enough.")
    RecommendationFactory(cause=cause, text="Review the custody arrangements for detained children.")
    AreaForImprovementFactory(report=report, text="The force should improve how it records anti-social behaviour.")
    AreaForImprovementFactory(text="The force should review its custody records.")
    return report


def grades_spread(*, forces, questions) -> None:
    """Every tier of the questions' round, a non-grade and a missing grade, spread so that each question
    sorts the forces differently."""
    tiers = [*questions[0].round.tiers, GradeStatus.UNGRADED, None]
    for i, force in enumerate(forces):
        for j, question in enumerate(questions):
            tier = tiers[(i * (j + 2) + j) % len(tiers)]
            if tier == GradeStatus.UNGRADED:
                GradeFactory(force=force, question=question, status=GradeStatus.UNGRADED, tier=None)
            elif tier is not None:
                GradeFactory(force=force, question=question, tier=tier)


def forces_made(n: int) -> list[Force]:
    """n forces, every third in Wales."""
    return [ForceFactory(country=Force.Country.WALES if i % 3 == 0 else Force.Country.ENGLAND) for i in range(n)]


def test_the_latest_round_with_grades_is_the_national_default():
    GradeFactory()
    GradeFactory(question__round=FiveTierRoundFactory())
    QuestionFactory(round=RoundFactory(slug="2023-25"))  # a later round, no grade yet
    assert selectors.round_latest_with_data().slug == "2021-22"


def test_the_national_grid_has_every_force_and_a_cell_for_every_question():
    first, second = QuestionFactory(), QuestionFactory()
    both, one, _none = ForceFactory(), ForceFactory(), ForceFactory()
    GradeFactory(force=both, question=first)
    GradeFactory(force=both, question=second)
    GradeFactory(force=one, question=first)
    grid = selectors.national_grid_get(round_slug="2016")
    assert len(grid.rows) == 3
    assert all(q.key in row for row in grid.rows for q in grid.questions)
    assert {q.pk for q in grid.questions} == {first.pk, second.pk}
    assert grid.forces_total == 3
    assert grid.forces_known == 2


def test_a_force_inadequate_for_effectiveness_shows_so_in_the_grid_of_that_pillar_with_its_judgment_first():
    e1 = QuestionFactory(position=1)
    overall = QuestionFactory(overall=True, position=2)
    QuestionFactory(overall=True, pillar=Pillar.EFFICIENCY, position=3)
    grade = GradeFactory(question=overall, tier=Tier.INADEQUATE)
    GradeFactory(force=grade.force, question=e1)
    grid = selectors.national_grid_get(round_slug="2016", pillar=Pillar.EFFECTIVENESS)
    cell = row_of(grid.rows, grade.force.slug)[question_key(grid, "Overall effectiveness")]
    assert (cell.status, cell.tier) == (GradeStatus.GRADED, Tier.INADEQUATE)
    assert {q.pillar for q in grid.questions} == {"Effectiveness"}
    assert grid.questions[0].is_overall  # the pillar's own judgment first, though E1 comes first in the round


def test_a_missing_grade_is_not_known_and_an_ungraded_question_is_ungraded():
    e1 = QuestionFactory(code="E1", short_name="Preventing crime")
    e5 = QuestionFactory(code="E5", short_name="Serious and organised crime", graded=False)
    marked = GradeFactory(question=e5, status=GradeStatus.UNGRADED, tier=None)
    GradeFactory(force=marked.force, question=e1)
    missing = ForceFactory()
    grid = selectors.national_grid_get(round_slug="2016", pillar=Pillar.EFFECTIVENESS)
    column = next(q for q in grid.questions if q.label.startswith("E5"))
    assert not column.graded
    assert row_of(grid.rows, marked.force.slug)[column.key].status == GradeStatus.UNGRADED
    cell = row_of(grid.rows, missing.slug)[question_key(grid, "E1 Preventing crime")]
    assert (cell.known, cell.question_graded) == (False, True)
    assert row_of(grid.rows, missing.slug)[column.key].question_graded is False


def test_a_carried_over_judgment_says_so():
    carried = GradeFactory(carried_over=True)
    fresh = GradeFactory(question=carried.question)
    grid = selectors.national_grid_get(round_slug="2016")
    key = f"q{carried.question_id}"
    assert row_of(grid.rows, carried.force.slug)[key].carried_over
    assert not row_of(grid.rows, fresh.force.slug)[key].carried_over


def test_the_distribution_accounts_for_every_force_on_every_question():
    round_ = FiveTierRoundFactory()
    graded, ungraded = QuestionFactory(round=round_), QuestionFactory(round=round_, graded=False)
    outstanding, adequate, not_graded, _unknown = forces_made(4)
    GradeFactory(force=outstanding, question=graded, tier=Tier.OUTSTANDING)
    GradeFactory(force=adequate, question=graded, tier=Tier.ADEQUATE)
    GradeFactory(force=not_graded, question=graded, status=GradeStatus.NOT_GRADED, tier=None)
    GradeFactory(force=outstanding, question=ungraded, status=GradeStatus.UNGRADED, tier=None)
    grid = selectors.national_grid_get(round_slug="2021-22")
    for entry in grid.distribution:
        counted = sum(count for _, count in entry["tiers"])
        assert counted + entry["ungraded"] + entry["not_known"] == 4, entry["question"]
    first, second = grid.distribution
    assert [tier for tier, _ in first["tiers"]] == list(round_.tiers)
    assert dict(first["tiers"]) == {
        Tier.OUTSTANDING: 1,
        Tier.GOOD: 0,
        Tier.ADEQUATE: 1,
        Tier.REQUIRES_IMPROVEMENT: 0,
        Tier.INADEQUATE: 0,
    }
    assert (first["ungraded"], first["not_known"]) == (1, 1)
    assert (second["ungraded"], second["not_known"]) == (4, 0)


def test_five_tier_rounds_count_areas_known_against_areas_graded():
    round_ = FiveTierRoundFactory()
    first, second = QuestionFactory(round=round_), QuestionFactory(round=round_)
    complete, partial, uncounted = ForceFactory(), ForceFactory(), ForceFactory()
    for question in (first, second):
        GradeFactory(force=complete, question=question)
    GradeFactory(force=partial, question=first)
    GradeFactory(force=uncounted, question=first)
    GradeCountFactory(round=round_, force=complete, n_areas_graded=2)
    GradeCountFactory(round=round_, force=partial, n_areas_graded=3)
    grid = selectors.national_grid_get(round_slug="2021-22")
    known = {row["force_slug"]: (row["known_sort"], row["known_of"]) for row in grid.rows}
    assert known == {complete.slug: (2, 2), partial.slug: (1, 3), uncounted.slug: (1, None)}
    assert (grid.forces_complete, grid.forces_partial) == (1, 2)


def test_the_pillar_filter_does_not_apply_to_rounds_graded_by_area():
    round_ = FiveTierRoundFactory()
    GradeFactory(question__round=round_)
    QuestionFactory(round=round_)
    grid = selectors.national_grid_get(round_slug="2021-22", pillar=Pillar.EFFECTIVENESS)
    assert grid.pillar_ignored
    assert len(grid.questions) == 2


def test_the_forces_list_shows_each_forces_latest_pillar_judgment_with_its_round(themes):
    force = ForceFactory()
    theme_graded(force, themes["effectiveness"], "2016", Tier.INADEQUATE)
    theme_graded(force, themes["effectiveness"], "2018-19", Tier.GOOD)
    theme_graded(force, themes["offenders"], "2021-22", Tier.OUTSTANDING)
    latest = selectors.forces_latest_get()
    row = row_of(latest.rows, force.slug)
    assert [c.label for c in latest.columns] == ["Effectiveness", "Efficiency", "Legitimacy"]
    assert (row["overall_effectiveness"].tier, row["overall_effectiveness_round"]) == (Tier.GOOD, "2018/19")
    assert (row["overall_efficiency"].known, row["overall_efficiency_round"]) == (False, "")


def test_the_forces_list_by_area_shows_the_latest_five_tier_grade(themes):
    force = ForceFactory()
    theme_graded(force, themes["effectiveness"], "2018-19", Tier.GOOD)
    theme_graded(force, themes["offenders"], "2021-22", Tier.OUTSTANDING)
    theme_graded(force, themes["offenders"], "2023-25", Tier.ADEQUATE)
    latest = selectors.forces_latest_get(show="areas")
    row = row_of(latest.rows, force.slug)
    assert [c.label for c in latest.columns] == ["Managing offenders and suspects"]
    assert (row["managing_offenders"].tier, row["managing_offenders_round"]) == (Tier.ADEQUATE, "2023–25")


def test_the_forces_list_searches_names_case_insensitively():
    for slug in ("west-yorkshire", "lancashire", "north-yorkshire", "south-yorkshire"):
        ForceFactory(slug=slug, name=f"{slug.replace('-', ' ').title()} Police")
    assert [row["force_slug"] for row in selectors.forces_latest_get(q="YORKSHIRE").rows] == [
        "north-yorkshire",
        "south-yorkshire",
        "west-yorkshire",
    ]


def test_the_force_history_holds_each_themes_grades_and_the_rounds_with_its_reports(themes):
    force = ForceFactory()
    theme_graded(force, themes["effectiveness"], "2014", Tier.GOOD)
    theme_graded(force, themes["effectiveness"], "2016", Tier.INADEQUATE)
    theme_graded(force, themes["offenders"], "2021-22", Tier.OUTSTANDING)
    theme_graded(ForceFactory(), themes["effectiveness"], "2015")  # another force's round
    history = selectors.force_history_get(force_slug=force.slug)
    points = {(p["theme"], p["round"]): p["tier"] for p in history.points}
    assert points == {
        ("Overall effectiveness", "2014"): Tier.GOOD,
        ("Overall effectiveness", "2016"): Tier.INADEQUATE,
        ("Managing offenders and suspects", "2021/22"): Tier.OUTSTANDING,
    }
    assert [r.slug for r in history.report_rounds] == ["2014", "2016", "2021-22"]


def test_an_unknown_force_has_no_history():
    GradeFactory()
    assert selectors.force_history_get(force_slug="gotham") is None


def test_the_report_page_holds_judgments_per_pillar_and_its_findings(findings):
    for position, pillar in ((3, Pillar.LEGITIMACY), (2, Pillar.EFFICIENCY), (1, Pillar.EFFECTIVENESS)):
        QuestionFactory(round=findings.round, overall=True, pillar=pillar, position=position)
    page = selectors.report_page_get(force_slug="northshire", round_slug="2017")
    assert [s["pillar"] for s in page.sections] == ["Effectiveness", "Efficiency", "Legitimacy"]
    assert page.sections[0]["overall"]["question"] == "Overall effectiveness"
    assert [q["question"] for q in page.sections[0]["questions"]] == ["E3 Protecting vulnerable people"]
    cause = next(f for f in page.findings if f["kind"] == "cause")
    assert cause["question"].startswith("E3")
    assert cause["recommendations"] == ["Review the custody arrangements for detained children."]
    assert [f["text"] for f in page.findings if f["kind"] == "afi"] == [
        "The force should improve how it records anti-social behaviour."
    ]


def test_the_report_page_of_an_unknown_round_is_none():
    grade = GradeFactory()
    assert selectors.report_page_get(force_slug=grade.force.slug, round_slug="2099") is None


def test_compare_lists_rows_where_any_chosen_force_has_a_grade():
    south, north = ForceFactory(slug="southshire"), ForceFactory(slug="northshire")
    overall = QuestionFactory(overall=True)
    e1, e2 = QuestionFactory(code="E1", short_name="Preventing crime"), QuestionFactory()
    GradeFactory(force=south, question=overall, tier=Tier.INADEQUATE)
    GradeFactory(force=north, question=overall, tier=Tier.GOOD)
    GradeFactory(force=north, question=e1)
    GradeFactory(force=ForceFactory(), question=e2)  # neither chosen force holds e2
    GradeFactory(force=south, question__round=RoundFactory(slug="2015"))  # another round
    comparison = selectors.compare_get(force_slugs=["southshire", "northshire"], round_slug="2016")
    assert [f["slug"] for f in comparison.forces] == ["southshire", "northshire"]
    assert [r["question"] for r in comparison.rows] == ["Overall effectiveness", "E1 Preventing crime"]
    overall_row, e1_row = comparison.rows
    assert (overall_row["southshire"].tier, overall_row["northshire"].tier) == (Tier.INADEQUATE, Tier.GOOD)
    assert (e1_row["southshire"].known, e1_row["northshire"].known) == (False, True)


def test_movers_count_steps_on_the_rounds_own_scale(themes):
    force = ForceFactory()
    for round_slug, tier in (("2015", Tier.REQUIRES_IMPROVEMENT), ("2016", Tier.INADEQUATE), ("2017", Tier.REQUIRES_IMPROVEMENT)):
        theme_graded(force, themes["effectiveness"], round_slug, tier)
    movers = selectors.movers_get(force_slug=force.slug, theme_slug="overall-effectiveness", direction="all")
    pairs = {(r["from_round"], r["to_round"]): r for r in movers.same_scale}
    # Requires improvement → Inadequate: one step down the four-tier scale.
    assert pairs["2015", "2016"]["steps"] == -1
    assert pairs["2015", "2016"]["direction"] == "declined"
    # Inadequate → Requires improvement: one step up.
    assert pairs["2016", "2017"]["steps"] == 1


def test_movers_on_the_five_tier_scale_count_adequate_as_a_step(themes):
    force = ForceFactory()
    theme_graded(force, themes["offenders"], "2021-22", Tier.OUTSTANDING)
    theme_graded(force, themes["offenders"], "2023-25", Tier.ADEQUATE)
    movers = selectors.movers_get(force_slug=force.slug, theme_slug="managing-offenders")
    (row,) = movers.same_scale
    assert (row["from_grade"].tier, row["to_grade"].tier, row["steps"]) == (Tier.OUTSTANDING, Tier.ADEQUATE, -2)


def test_changes_across_the_scale_break_are_kept_apart_and_unranked():
    force, theme = ForceFactory(), ThemeFactory(name="Investigating crime")
    for round_slug, tier in (("2017", Tier.GOOD), ("2018-19", Tier.REQUIRES_IMPROVEMENT), ("2021-22", Tier.ADEQUATE)):
        theme_graded(force, theme, round_slug, tier)
    movers = selectors.movers_get(direction="all")
    assert [(r["from_round"], r["to_round"], r["steps"]) for r in movers.across_break] == [("2018/19", "2021/22", None)]
    assert [(r["from_round"], r["to_round"]) for r in movers.same_scale] == [("2017", "2018/19")]


def test_movers_are_ranked_biggest_change_first_with_partly_comparable_pairs_ranked_apart_after():
    full, partly = ThemeFactory(), ThemeFactory()
    QuestionFactory(round=RoundFactory(slug="2016"), theme=partly, theme_partial=True)
    changes = [  # (theme, earlier grade, later grade): created smallest change first
        (partly, Tier.GOOD, Tier.OUTSTANDING),
        (full, Tier.GOOD, Tier.REQUIRES_IMPROVEMENT),
        (partly, Tier.INADEQUATE, Tier.OUTSTANDING),
        (full, Tier.GOOD, Tier.GOOD),
        (full, Tier.OUTSTANDING, Tier.INADEQUATE),
    ]
    for theme, earlier, later in changes:
        force = ForceFactory()
        theme_graded(force, theme, "2015", earlier)
        theme_graded(force, theme, "2016", later)
    rows = selectors.movers_get().same_scale
    assert [(r["partial"], r["steps"]) for r in rows] == [(False, -3), (False, -1), (True, 3), (True, 1)]


def test_the_earlier_re_offending_questions_count_partly_towards_managing_offenders(themes):
    force = ForceFactory()
    RoundFactory(slug="2014")
    investigating = ThemeFactory(name="Investigating crime")
    e2 = theme_graded(force, investigating, "2016", Tier.REQUIRES_IMPROVEMENT).question
    e2.also_themes.add(themes["offenders"])
    theme_graded(force, themes["offenders"], "2021-22", Tier.OUTSTANDING)
    history = selectors.force_history_get(force_slug=force.slug)
    offenders = next(t for t in history.themes if t["slug"] == "managing-offenders")
    by_round = {r.slug: cell for r, cell in zip(history.rounds, offenders["row"], strict=True)}
    assert by_round["2016"]["theme_partial"] and by_round["2016"]["grade"].tier == Tier.REQUIRES_IMPROVEMENT
    assert by_round["2021-22"]["grade"].tier == Tier.OUTSTANDING and not by_round["2021-22"]["theme_partial"]
    assert not by_round["2014"]["grade"].in_round  # no question of the theme that round
    # The force's own list of grades holds the 2016 question once, under investigating crime.
    assert [(g["question"], g["theme_slug"]) for g in history.grades if g["round_slug"] == "2016"] == [
        (e2.label, "investigating-crime")
    ]


def test_findings_search_finds_causes_recommendations_and_areas_for_improvement(findings):
    assert {r["kind"] for r in selectors.findings_search(force_slug="northshire")} == {"cause", "recommendation", "afi"}
    assert len(selectors.findings_search(q="custody")) == 2
    (hit,) = selectors.findings_search(q="custody", force_slug="northshire")
    assert hit["kind"] == "recommendation"
    assert hit["cause"].startswith("Missing children")
    assert hit["question"].startswith("E3")


def test_findings_search_filters_by_type_round_and_question(findings):
    question = findings.causes_of_concern.get().question
    assert [r["kind"] for r in selectors.findings_search(force_slug="northshire", kind="afi")] == ["afi"]
    assert len(selectors.findings_search(round_slug="2016")) == 1
    assert selectors.findings_search(force_slug="northshire", round_slug="2016") == []
    assert {r["kind"] for r in selectors.findings_search(question_id=question.pk)} == {"cause", "recommendation"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_findings_search_on_postgresql_matches_word_forms_and_ranks(findings):
    # "records" matches "recorded"/"recording" through English stemming; contains-search would not.
    hits = selectors.findings_search(q="recording behaviour", force_slug="northshire")
    assert [h["kind"] for h in hits] == ["afi"]
    assert hits[0]["rank"] > 0


def test_findings_search_on_sqlite_is_a_contains_search(findings):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's search")
    assert [h["kind"] for h in selectors.findings_search(q="ANTI-SOCIAL", force_slug="northshire")] == ["afi"]


def test_a_saved_grade_shows_in_the_next_read_although_the_last_read_was_cached():
    grade = GradeFactory(question=QuestionFactory(overall=True), tier=Tier.INADEQUATE)
    before = selectors.national_grid_get(round_slug="2016", pillar=Pillar.EFFECTIVENESS)
    key = question_key(before, "Overall effectiveness")
    assert row_of(before.rows, grade.force.slug)[key].tier == Tier.INADEQUATE
    grade.tier = Tier.GOOD
    grade.save()
    after = selectors.national_grid_get(round_slug="2016", pillar=Pillar.EFFECTIVENESS)
    assert row_of(after.rows, grade.force.slug)[key].tier == Tier.GOOD


@pytest.mark.parametrize("round_factory", [RoundFactory, FiveTierRoundFactory])
def test_a_national_page_sorted_and_sliced_in_sql_holds_the_rows_a_sorted_list_would(round_factory):
    round_ = round_factory()
    grades_spread(forces=forces_made(8), questions=[QuestionFactory(round=round_) for _ in range(4)])
    grid = selectors.national_grid_get(round_slug=round_.slug)
    every_row = list(grid.rows)
    for key in ["force", "known_sort", *(f"{q.key}_sort" for q in grid.questions)]:
        for descending in (False, True):
            expected = sorted(every_row, key=lambda row, key=key: row[key], reverse=descending)
            page = grid.rows.ordered((f"-{key}" if descending else key,))[2:6]
            assert [row["force_slug"] for row in page] == [row["force_slug"] for row in expected[2:6]], key
            assert page == expected[2:6]


@pytest.mark.parametrize(
    ("show", "round_slug", "theme_names"),
    [("pillars", "2016", ["effectiveness", "efficiency", "legitimacy"]), ("areas", "2021-22", ["offenders"])],
)
def test_the_forces_list_sorted_and_sliced_in_sql_holds_the_rows_a_sorted_list_would(themes, show, round_slug, theme_names):
    questions = [theme_graded(ForceFactory(), themes[name], round_slug).question for name in theme_names]
    questions.append(theme_graded(ForceFactory(), ThemeFactory(pillar=Pillar.EFFECTIVENESS), round_slug).question)
    grades_spread(forces=forces_made(8), questions=questions)
    latest = selectors.forces_latest_get(show=show)
    every_row = list(latest.rows)
    for key in ["force", "country", *(f"{column.key}_sort" for column in latest.columns)]:
        for descending in (False, True):
            expected = sorted(every_row, key=lambda row, key=key: row[key], reverse=descending)
            page = latest.rows.ordered((f"-{key}" if descending else key,))[2:6]
            assert page == expected[2:6], key


def test_the_movers_summary_follows_an_edited_grade_without_a_rebuild(themes):
    from reports import summaries

    force = ForceFactory()
    theme_graded(force, themes["effectiveness"], "2015", Tier.GOOD)
    grade = theme_graded(force, themes["effectiveness"], "2016", Tier.REQUIRES_IMPROVEMENT)
    theme_graded(ForceFactory(), themes["effectiveness"], "2016")
    list(selectors.movers_get(direction="all").same_scale)
    assert summaries.movers_summary_current()
    grade.tier = Tier.INADEQUATE
    grade.save()
    assert summaries.movers_summary_current()
    (row,) = selectors.movers_get(force_slug=force.slug, direction="all").same_scale
    assert (row["to_round_slug"], row["to_sort"], row["steps"]) == ("2016", Tier.INADEQUATE, -2)


def test_a_question_moved_to_another_theme_rebuilds_the_movers_summary_on_its_next_read(themes):
    from reports import summaries

    force = ForceFactory()
    theme_graded(force, themes["effectiveness"], "2016", Tier.GOOD)
    question = theme_graded(force, themes["effectiveness"], "2017", Tier.INADEQUATE).question
    assert [r["to_question"] for r in selectors.movers_get(direction="all").same_scale] == [question.label]
    question.theme = None
    question.save()
    assert not summaries.movers_summary_current()
    rows = list(selectors.movers_get(direction="all").same_scale)
    assert summaries.movers_summary_current()
    assert rows == []

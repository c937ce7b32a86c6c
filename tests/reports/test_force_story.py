"""A force's story is computed from its grades: the ends of its headline grades in time order, each
theme's arc, and facts the data supports (how rare a grade was; 'first' only when the dates show it)."""

import datetime

import pytest

from reports.pages import selectors
from reports.vocabulary import Tier
from tests.factories import (
    FiveTierRoundFactory,
    ForceFactory,
    GradeCountFactory,
    GradeFactory,
    QuestionFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def story_of(force):
    return selectors.force_history_get(force_slug=force.slug).story


def test_the_story_runs_from_the_lowest_to_the_highest_headline_grade_in_time_order():
    force = ForceFactory()
    effectiveness = ThemeFactory(name="Overall effectiveness")
    offenders = ThemeFactory(name="Managing offenders and suspects")
    GradeFactory(force=force, question=QuestionFactory(overall=True, theme=effectiveness), tier=Tier.INADEQUATE)
    GradeFactory(force=force, question=QuestionFactory(round=FiveTierRoundFactory(), theme=offenders), tier=Tier.OUTSTANDING)
    story = story_of(force)
    assert (story.start.theme, story.start.cell.tier, story.start.round) == ("Overall effectiveness", Tier.INADEQUATE, "2016")
    assert (story.end.theme, story.end.cell.tier) == ("Managing offenders and suspects", Tier.OUTSTANDING)
    assert story.crosses_break


def test_each_theme_arc_has_its_first_latest_best_and_worst():
    force = ForceFactory()
    theme = ThemeFactory(name="Overall efficiency")
    for slug, tier in (("2015", Tier.GOOD), ("2016", Tier.INADEQUATE), ("2017", Tier.REQUIRES_IMPROVEMENT)):
        GradeFactory(force=force, question=QuestionFactory(round=RoundFactory(slug=slug), overall=True, theme=theme), tier=tier)
    (arc,) = story_of(force).arcs
    assert (arc.first.round, arc.latest.round, arc.best.cell.tier, arc.worst.cell.tier) == (
        "2015",
        "2017",
        Tier.GOOD,
        Tier.INADEQUATE,
    )
    assert not arc.crosses_break


def test_a_grade_at_an_end_of_the_scale_says_how_many_forces_shared_it():
    question = QuestionFactory(overall=True, theme=ThemeFactory())
    lone = ForceFactory()
    GradeFactory(force=lone, question=question, tier=Tier.INADEQUATE)
    for _ in range(3):
        GradeFactory(question=question, tier=Tier.GOOD)
    (fact,) = story_of(lone).facts
    assert (fact.same, fact.known, fact.first) == (1, 4, None)


def test_first_is_claimed_only_when_every_holders_publication_date_is_known_and_earliest():
    round_ = FiveTierRoundFactory()
    question = QuestionFactory(round=round_, theme=ThemeFactory())
    early, late = ForceFactory(), ForceFactory()
    for force in (early, late):
        GradeFactory(force=force, question=question, tier=Tier.OUTSTANDING)
    ReportFactory(force=early, round=round_, published=round_.start_date + datetime.timedelta(days=10))
    GradeCountFactory(force=late, round=round_, published=(round_.start_date + datetime.timedelta(days=40)).isoformat())
    assert [(f.same, f.first) for f in story_of(early).facts] == [(2, True)]
    assert [f.first for f in story_of(late).facts] == [False]


def test_first_is_not_claimed_when_a_date_is_missing_or_only_a_month():
    round_ = FiveTierRoundFactory()
    question = QuestionFactory(round=round_, theme=ThemeFactory())
    dated, month_only = ForceFactory(), ForceFactory()
    for force in (dated, month_only):
        GradeFactory(force=force, question=question, tier=Tier.OUTSTANDING)
    ReportFactory(force=dated, round=round_, published=round_.start_date)
    GradeCountFactory(force=month_only, round=round_, published=round_.start_date.strftime("%Y-%m"))
    assert [f.first for f in story_of(dated).facts] == [None]


def test_the_shipped_bedfordshire_story_is_inadequate_in_2016_to_outstanding_in_2021_22(peel_data):
    story = selectors.force_history_get(force_slug="bedfordshire").story
    assert (story.start.round, story.start.cell.tier, story.start.theme) == ("2016", Tier.INADEQUATE, "Overall effectiveness")
    assert (story.end.round, story.end.cell.tier, story.end.theme) == (
        "2021/22",
        Tier.OUTSTANDING,
        "Managing offenders and suspects",
    )
    outstanding = next(f for f in story.facts if f.grade.cell.tier == Tier.OUTSTANDING)
    assert outstanding.first is None  # the data holds no publication date for Bedfordshire's 2021/22 report

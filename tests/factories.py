"""factory_boy factories: tests state the rows they need instead of reading the shipped fixtures.

Rounds are looked up by slug (get-or-create), so every grade of a test made with the defaults lands in
the same round: `RoundFactory()` is PEEL 2016 (four tiers, pillars), `FiveTierRoundFactory()` PEEL
2021/22 (five tiers, graded areas). Any other PEEL round slug takes that round's name, position, scale
and dates (ROUNDS); a slug that is not a PEEL round gets made-up four-tier values.

    grade = GradeFactory(tier=Tier.INADEQUATE)                          # a 2016 Effectiveness question
    area = QuestionFactory(round=FiveTierRoundFactory())                 # a 2021/22 graded area
    GradeFactory(force=grade.force, question__round__slug="2018-19")     # same force, a 2018/19 question
    editor = UserFactory(role=EDITOR)                                    # password: pw-<username>-2024
"""

import datetime
from dataclasses import dataclass
from typing import Any

import factory
from django.contrib.auth.models import Group, User
from django.db.models import Max
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from forces.models import Force
from peel.roles import roles_sync
from reports.models import (
    AreaForImprovement,
    CauseOfConcern,
    Grade,
    GradeAmendment,
    GradeCount,
    Inspection,
    InspectionRecommendation,
    MonitoringPeriod,
    PccResponse,
    PromisingPractice,
    Question,
    Recommendation,
    RecommendationResponse,
    Report,
    Round,
    Theme,
)
from reports.vocabulary import DatePrecision, GradeStatus, InspectionKind, MonitoringStage, Pillar, Scale, Tier


@dataclass(frozen=True)
class RoundFacts:
    name: str
    position: int
    scale: str
    has_pillars: bool
    start: datetime.date
    end: datetime.date


def _facts(name: str, position: int, scale: str, start_year: int, end_year: int) -> RoundFacts:
    return RoundFacts(
        name, position, scale, scale == Scale.FOUR_TIER, datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
    )


# The PEEL rounds as fixtures/sources/rounds.csv describes them (slug → facts).
ROUNDS: dict[str, RoundFacts] = {
    "2014": _facts("2014", 1, Scale.FOUR_TIER, 2014, 2015),
    "2015": _facts("2015", 2, Scale.FOUR_TIER, 2015, 2016),
    "2016": _facts("2016", 3, Scale.FOUR_TIER, 2016, 2017),
    "2017": _facts("2017", 4, Scale.FOUR_TIER, 2017, 2018),
    "2018-19": _facts("2018/19", 5, Scale.FOUR_TIER, 2018, 2020),
    "2021-22": _facts("2021/22", 6, Scale.FIVE_TIER, 2021, 2022),
    "2023-25": _facts("2023–25", 7, Scale.FIVE_TIER, 2023, 2026),
}


def _round_fact(round_: Any, field: str, made_up: object) -> object:
    facts = ROUNDS.get(round_.slug)
    return getattr(facts, field) if facts else made_up


class ForceFactory(DjangoModelFactory):
    """A made-up English force: 'Testshire 1 Police', slug 'testshire-1'."""

    class Meta:
        model = Force

    name = factory.Sequence(lambda n: f"Testshire {n} Police")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    country = Force.Country.ENGLAND


class RoundFactory(DjangoModelFactory):
    """A PEEL round by slug, created once per test (get-or-create): 2016, four tiers, by pillar, by default."""

    class Meta:
        model = Round
        django_get_or_create = ("slug",)

    slug = "2016"
    name = factory.LazyAttribute(lambda o: _round_fact(o, "name", o.slug))
    position = factory.LazyAttributeSequence(lambda o, n: _round_fact(o, "position", 100 + n))
    scale = factory.LazyAttribute(lambda o: _round_fact(o, "scale", Scale.FOUR_TIER))
    has_pillars = factory.LazyAttribute(lambda o: _round_fact(o, "has_pillars", True))
    start_date = factory.LazyAttribute(lambda o: _round_fact(o, "start", datetime.date(2000, 1, 1)))
    end_date = factory.LazyAttribute(lambda o: _round_fact(o, "end", datetime.date(2000, 12, 31)))


class FiveTierRoundFactory(RoundFactory):
    """PEEL 2021/22: graded areas, no pillars, five tiers (adds Adequate)."""

    slug = "2021-22"


class ThemeFactory(DjangoModelFactory):
    """A strand linking comparable questions across rounds."""

    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    pillar = ""
    position = factory.Sequence(lambda n: n + 1)


class QuestionFactory(DjangoModelFactory):
    """A graded question of a round: under Effectiveness ('E<n> Question <n>') in a pillar round, an area
    ('Area <n>', no pillar or code) in a five-tier round. `overall=True`: the pillar's own judgment."""

    class Meta:
        model = Question

    class Params:
        overall = factory.Trait(
            is_overall=True,
            code="OVERALL",
            short_name=factory.LazyAttribute(lambda o: f"Overall {o.pillar.lower()}"),
            slug=factory.LazyAttribute(lambda o: f"overall-{o.pillar.lower()}"),
            position=factory.Sequence(lambda n: n + 1),
        )

    round = factory.SubFactory(RoundFactory)
    position = factory.Sequence(lambda n: n + 1000)
    pillar = factory.LazyAttribute(lambda o: Pillar.EFFECTIVENESS if o.round.has_pillars else "")
    code = factory.LazyAttributeSequence(lambda o, n: f"E{n}" if o.round.has_pillars else "")
    short_name = factory.LazyAttributeSequence(lambda o, n: f"Question {n}" if o.round.has_pillars else f"Area {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name))
    graded = True


class ReportFactory(DjangoModelFactory):
    """A force's report in a round (its Effectiveness report in a pillar round)."""

    class Meta:
        model = Report

    force = factory.SubFactory(ForceFactory)
    round = factory.SubFactory(RoundFactory)
    pillar = factory.LazyAttribute(lambda o: Pillar.EFFECTIVENESS if o.round.has_pillars else "")
    title = factory.LazyAttribute(lambda o: f"PEEL {o.round.name}: {o.pillar or 'report'} – {o.force.name}")
    published = factory.LazyAttribute(lambda o: o.round.start_date + datetime.timedelta(days=90))
    source_url = factory.LazyAttribute(lambda o: f"https://example.org/peel-{o.round.slug}/{o.force.slug}/")


class GradeFactory(DjangoModelFactory):
    """A force graded Good on a question (2016 by default); pass status= and tier=None for a non-grade."""

    class Meta:
        model = Grade

    force = factory.SubFactory(ForceFactory)
    question = factory.SubFactory(QuestionFactory)
    status = GradeStatus.GRADED
    tier = Tier.GOOD
    source_url = factory.LazyAttribute(lambda o: f"https://example.org/peel-{o.question.round.slug}/{o.force.slug}/")
    source_type = "HMICFRS"
    evidence = ""


class GradeAmendmentFactory(DjangoModelFactory):
    """HMICFRS raising a 2021/22 grade from Requires improvement to the grade's tier (Adequate) a month in."""

    class Meta:
        model = GradeAmendment

    grade = factory.SubFactory(GradeFactory, tier=Tier.ADEQUATE, question__round=factory.SubFactory(FiveTierRoundFactory))
    amended_on = factory.LazyAttribute(lambda o: o.grade.question.round.start_date + datetime.timedelta(days=200))
    previous_status = GradeStatus.GRADED
    previous_tier = Tier.REQUIRES_IMPROVEMENT
    new_status = factory.LazyAttribute(lambda o: o.grade.status)
    new_tier = factory.LazyAttribute(lambda o: o.grade.tier)
    reason = "Re-graded after a revisit."
    source_url = "https://example.org/amendments/"


class CauseOfConcernFactory(DjangoModelFactory):
    """A cause of concern in a report (on no question unless given one)."""

    class Meta:
        model = CauseOfConcern

    report = factory.SubFactory(ReportFactory)
    question = None
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Cause of concern {n}.")


class RecommendationFactory(DjangoModelFactory):
    """A recommendation under a cause of concern."""

    class Meta:
        model = Recommendation

    cause = factory.SubFactory(CauseOfConcernFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Recommendation {n}.")


class AreaForImprovementFactory(DjangoModelFactory):
    """An area for improvement in a report."""

    class Meta:
        model = AreaForImprovement

    report = factory.SubFactory(ReportFactory)
    question = None
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Area for improvement {n}.")


class GradeCountFactory(DjangoModelFactory):
    """How many 2021/22 areas a force was graded on: 8, at unknown tiers unless given."""

    class Meta:
        model = GradeCount

    round = factory.SubFactory(FiveTierRoundFactory)
    force = factory.SubFactory(ForceFactory)
    n_areas_graded = 8


class UserFactory(DjangoModelFactory):
    """A staff user with password 'pw-<username>-2024', in `role`'s group (peel.roles; None: no role)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyAttribute(lambda o: f"pw-{o.username}-2024")
    is_staff = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            roles_sync()  # the groups come from a migration; a transactional test's flush removes them
            user.groups.add(Group.objects.get(name=extracted))


class MonitoringPeriodFactory(DjangoModelFactory):
    """A force in Engage (enhanced monitoring) from June 2022, with no exit found."""

    class Meta:
        model = MonitoringPeriod

    force = factory.SubFactory(ForceFactory)
    stage = MonitoringStage.ENGAGE
    entered = datetime.date(2022, 6, 1)
    entered_precision = DatePrecision.MONTH
    reasons = "Causes of concern about investigating crime."
    source_url = "https://example.org/engage/"


class InspectionFactory(DjangoModelFactory):
    """A national thematic inspection, 'Inspection <n>', published 7 July 2023 (a PCC's response due 1 September 2023)."""

    class Meta:
        model = Inspection

    title = factory.Sequence(lambda n: f"Inspection {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    kind = InspectionKind.NATIONAL
    published = datetime.date(2023, 7, 7)
    source_url = factory.LazyAttribute(lambda o: f"https://example.org/inspections/{o.slug}/")


class InspectionRecommendationFactory(DjangoModelFactory):
    """An inspection's recommendation to all forces, numbered in turn, with no deadline stated."""

    class Meta:
        model = InspectionRecommendation

    inspection = factory.SubFactory(InspectionFactory)
    force = None
    number = factory.Sequence(lambda n: n + 1)
    text = factory.LazyAttribute(lambda o: f"Forces should act on recommendation {o.number}.")
    deadline_text = ""
    deadline = None
    deadline_precision = ""


class PccResponseFactory(DjangoModelFactory):
    """A PCC's response to an inspection published 7 July 2023, dated 1 August 2023: on time (due 1 September)."""

    class Meta:
        model = PccResponse

    force = factory.SubFactory(ForceFactory)
    inspection = factory.SubFactory(InspectionFactory)
    report = None
    published = datetime.date(2023, 8, 1)
    commissioner = "Pat Commissioner"
    text = "The force has acted on the inspection's recommendations."
    source_url = factory.LazyAttribute(lambda o: f"https://example.org/pcc/{o.force.slug}/")


class RecommendationResponseFactory(DjangoModelFactory):
    """What a PCC response says on one recommendation of the inspection it answers, on its own (not jointly)."""

    class Meta:
        model = RecommendationResponse

    response = factory.SubFactory(PccResponseFactory)
    recommendation = factory.SubFactory(
        InspectionRecommendationFactory, inspection=factory.SelfAttribute("..response.inspection")
    )
    text = factory.Sequence(lambda n: f"Answer {n}: done.")
    joint = False


class PromisingPracticeFactory(DjangoModelFactory):
    """Practice HMICFRS named as promising in a force, in a national inspection."""

    class Meta:
        model = PromisingPractice

    inspection = factory.SubFactory(InspectionFactory)
    force = factory.SubFactory(ForceFactory)
    title = factory.Sequence(lambda n: f"Practice {n}")
    text = "The force reviews every case with partners."
    source_url = factory.LazyAttribute(lambda o: o.inspection.source_url)


# The questions of a pillar as HMICFRS asked them, for tests whose uploads and report texts name real
# questions: (code, short name, wording, graded); the pillar's own judgment last.
PILLAR_QUESTIONS: dict[tuple[str, str], list[tuple[str, str, str, bool]]] = {
    ("2016", Pillar.EFFECTIVENESS): [
        (
            "E1",
            "Preventing crime, tackling ASB and keeping people safe",
            "How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?",
            True,
        ),
        (
            "E2",
            "Investigating crime and reducing re-offending",
            "How effective is the force at investigating crime and reducing re-offending?",
            True,
        ),
        (
            "E3",
            "Protecting vulnerable people and supporting victims",
            "How effective is the force at protecting those who are vulnerable from harm, and supporting victims?",
            True,
        ),
        (
            "E4",
            "Tackling serious and organised crime",
            "How effective is the force at tackling serious and organised crime?",
            True,
        ),
        ("E5", "Specialist capabilities", "How effective are the force’s specialist capabilities?", False),
        ("OVERALL", "Overall effectiveness", "How effective is the force at keeping people safe and reducing crime?", True),
    ],
    ("2016", Pillar.EFFICIENCY): [
        ("Ef1", "Understanding demand", "", True),
        ("Ef2", "Use of resources to manage demand", "", True),
        ("Ef3", "Planning for future demand", "", True),
        ("OVERALL", "Overall efficiency", "How efficient is the force at keeping people safe and reducing crime?", True),
    ],
    ("2018-19", Pillar.EFFECTIVENESS): [
        (
            "E1",
            "Preventing crime and tackling anti-social behaviour",
            "How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?",
            True,
        ),
        ("E2", "Investigating crime", "How effective is the force at investigating crime and reducing re-offending?", True),
        (
            "E3",
            "Protecting vulnerable people",
            "How effective is the force at protecting those who are vulnerable from harm, and supporting victims?",
            True,
        ),
        (
            "E4",
            "Tackling serious and organised crime",
            "How effective is the force at tackling serious and organised crime?",
            True,
        ),
        ("E5", "Armed policing / specialist capabilities", "How effective are the force’s specialist capabilities?", False),
        ("OVERALL", "Overall effectiveness", "How effectively does the force reduce crime and keep people safe?", True),
    ],
    ("2018-19", Pillar.EFFICIENCY): [
        (
            "Ef1",
            "Meeting current demands and using resources",
            "How well does the force use its resources to meet the demand it faces?",
            True,
        ),
        ("Ef2", "Planning for the future", "How well does the force plan for the future?", True),
        (
            "OVERALL",
            "Overall efficiency",
            "How efficiently does the force operate and how sustainable are its services to the public?",
            True,
        ),
    ],
}


def pillar_questions(round_slug: str = "2016", pillar: str = Pillar.EFFECTIVENESS) -> dict[str, Question]:
    """A pillar's questions of a PEEL round as HMICFRS asked them (PILLAR_QUESTIONS), made after the round's
    questions already made, by slug as the shipped data has them: {'e1': …, 'overall-effectiveness': …}."""
    round_ = RoundFactory(slug=round_slug)
    after = round_.questions.aggregate(last=Max("position"))["last"] or 0
    made = {}
    for position, (code, short_name, text, graded) in enumerate(PILLAR_QUESTIONS[round_slug, pillar], start=after + 1):
        overall = code == "OVERALL"
        question = QuestionFactory(
            round=round_,
            pillar=pillar,
            position=position,
            code=code,
            short_name=short_name,
            text=text,
            graded=graded,
            is_overall=overall,
            slug=f"overall-{pillar.lower()}" if overall else code.lower(),
        )
        made[question.slug] = question
    return made

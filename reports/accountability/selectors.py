"""Reads of accountability: monitoring periods, the recommendation register (inspections' and PEEL
reports'), PCC responses with their statutory deadline, promising practice. Rows are plain dicts;
each read is a fixed number of queries, whatever the amount of data."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.urls import reverse

from forces.models import Force
from reports.models import (
    Inspection,
    InspectionRecommendation,
    MonitoringPeriod,
    PccResponse,
    PromisingPractice,
    Recommendation,
    RecommendationResponse,
)
from reports.vocabulary import MonitoringStage, partial_date_iso

PEEL_CHOICE = "peel"
DEADLINE_CHOICES = [
    ("", "Any deadline"),
    ("past", "Deadline passed"),
    ("upcoming", "Deadline not yet passed"),
    ("none", "No date stated"),
]
RESPONSE_CHOICES = [("", "With or without a response"), ("held", "Response held"), ("none", "No response held")]


def forces_choices() -> list[tuple[str, str]]:
    """(slug, name) of every force, for filters."""
    return list(Force.objects.order_by("name").values_list("slug", "name"))


def inspections_choices() -> list[tuple[str, str]]:
    """(slug, title) of every inspection other than PEEL, then PEEL reports as one choice."""
    return [*Inspection.objects.order_by("title").values_list("slug", "title"), (PEEL_CHOICE, "PEEL reports")]


def _period_row(period: MonitoringPeriod) -> dict:
    return {
        "force_slug": period.force.slug,
        "force_name": period.force.name,
        "stage": period.stage,
        "entered": period.entered,
        "entered_precision": period.entered_precision,
        "entered_display": period.entered_display,
        "entered_iso": partial_date_iso(period.entered, period.entered_precision),
        "left": period.left,
        "left_precision": period.left_precision,
        "left_display": period.left_display,
        "left_iso": partial_date_iso(period.left, period.left_precision),
        "open": period.left is None,
        "reasons": period.reasons,
        "source_url": period.source_url,
        "evidence": period.evidence,
    }


def monitoring_periods_list(*, force_slug: str = "") -> list[dict]:
    """Every monitoring period (of one force, if given), earliest entry first."""
    periods = MonitoringPeriod.objects.select_related("force").order_by("entered", "force__name")
    if force_slug:
        periods = periods.filter(force__slug=force_slug)
    return [_period_row(period) for period in periods]


@dataclass(frozen=True)
class MonitoringPage:
    """The /monitoring/ page's data: every period, and the Engage periods with no exit found."""

    periods: list[dict]
    engage_open: list[dict] = field(default_factory=list)


def monitoring_get(*, force_slug: str = "") -> MonitoringPage:
    """Every monitoring period, and which forces are in Engage with no exit found (and since when)."""
    periods = monitoring_periods_list(force_slug=force_slug)
    engage_open = [p for p in periods if p["open"] and p["stage"] == MonitoringStage.ENGAGE]
    return MonitoringPage(periods=periods, engage_open=engage_open)


def _deadline_state(*, last_day: date | None, today: date) -> str:
    if last_day is None:
        return "none"
    return "past" if last_day < today else "upcoming"


def _inspection_rows(*, force_slug: str, inspection: str, today: date) -> list[dict]:
    if inspection == PEEL_CHOICE:
        return []
    answers = RecommendationResponse.objects.select_related("response__force").order_by("response__force__name", "pk")
    if force_slug:
        answers = answers.filter(response__force__slug=force_slug)
    recommendations = (
        InspectionRecommendation.objects.select_related("inspection", "force")
        .prefetch_related(Prefetch("responses", queryset=answers, to_attr="answers"))
        .order_by("inspection__published", "inspection__title", "number")
    )
    if force_slug:
        recommendations = recommendations.filter(Q(force__slug=force_slug) | Q(force__isnull=True))
    if inspection:
        recommendations = recommendations.filter(inspection__slug=inspection)
    rows = []
    for recommendation in recommendations:
        last_day = recommendation.deadline_last_day
        rows.append(
            {
                "kind": "Inspection",
                "source_title": recommendation.inspection.title,
                "source_slug": recommendation.inspection.slug,
                "source_url": recommendation.inspection.source_url,
                "source_published": recommendation.inspection.published,
                "number": str(recommendation.number),
                "number_sort": (0, recommendation.number),
                "addressed_to": recommendation.force.name if recommendation.force else "All forces",
                "force_slug": recommendation.force.slug if recommendation.force else "",
                "text": recommendation.text,
                "deadline_display": recommendation.deadline_display,
                "deadline_text": recommendation.deadline_text,
                "deadline_iso": partial_date_iso(recommendation.deadline, recommendation.deadline_precision),
                "deadline_sort": last_day or date.max,
                "deadline_state": _deadline_state(last_day=last_day, today=today),
                "answers": [
                    {"force_name": a.response.force.name, "force_slug": a.response.force.slug, "text": a.text, "joint": a.joint}
                    for a in recommendation.answers
                ],
            }
        )
    return rows


def _peel_rows(*, force_slug: str, inspection: str) -> list[dict]:
    if inspection and inspection != PEEL_CHOICE:
        return []
    answers = RecommendationResponse.objects.select_related("response__force").order_by("pk")
    recommendations = (
        Recommendation.objects.select_related("cause__report__force", "cause__report__round")
        .prefetch_related(Prefetch("responses", queryset=answers, to_attr="answers"))
        .order_by("cause__report__force__name", "cause__report__round__position", "cause__position", "position")
    )
    if force_slug:
        recommendations = recommendations.filter(cause__report__force__slug=force_slug)
    rows = []
    for recommendation in recommendations:
        report = recommendation.cause.report
        rows.append(
            {
                "kind": "PEEL",
                "source_title": report.title,
                "source_slug": PEEL_CHOICE,
                "source_url": reverse("pages:report", kwargs={"force_slug": report.force.slug, "round_slug": report.round.slug}),
                "source_published": report.published,
                "number": f"{recommendation.cause.position}.{recommendation.position}",
                "number_sort": (recommendation.cause.position, recommendation.position),
                "addressed_to": report.force.name,
                "force_slug": report.force.slug,
                "text": recommendation.text,
                "deadline_display": "Not stated",
                "deadline_text": "",
                "deadline_iso": "",
                "deadline_sort": date.max,
                "deadline_state": "none",
                "answers": [
                    {"force_name": a.response.force.name, "force_slug": a.response.force.slug, "text": a.text, "joint": a.joint}
                    for a in recommendation.answers
                ],
            }
        )
    return rows


def recommendations_register(
    *, force_slug: str = "", inspection: str = "", deadline: str = "", response: str = "", today: date
) -> list[dict]:
    """Every recommendation, inspections' then PEEL reports', with its deadline and the responses held
    (from the chosen force's PCC only, when a force is chosen; recommendations to all forces count as
    addressed to it). ``unanswered_past`` marks a stated deadline passed with no response held: that says
    what we hold, not that anything was missed."""
    rows = _inspection_rows(force_slug=force_slug, inspection=inspection, today=today)
    rows += _peel_rows(force_slug=force_slug, inspection=inspection)
    for row in rows:
        row["response_held"] = bool(row["answers"])
        row["unanswered_past"] = row["deadline_state"] == "past" and not row["answers"]
    if deadline:
        rows = [row for row in rows if row["deadline_state"] == deadline]
    if response:
        rows = [row for row in rows if row["response_held"] == (response == "held")]
    return rows


def _response_row(response: PccResponse) -> dict:
    subject = response.inspection or response.report
    if response.inspection:
        subject_url = response.inspection.source_url
    elif response.report is not None:
        subject_url = reverse(
            "pages:report", kwargs={"force_slug": response.force.slug, "round_slug": response.report.round.slug}
        )
    else:
        subject_url = ""
    return {
        "force_slug": response.force.slug,
        "force_name": response.force.name,
        "subject": str(subject),
        "subject_url": subject_url,
        "subject_published": response.subject_published,
        "published": response.published,
        "statutory_deadline": response.statutory_deadline,
        "days_late": response.days_late,
        "deadline_met": response.deadline_met,
        "commissioner": response.commissioner,
        "source_url": response.source_url,
        "source_type": response.source_type,
        "answers": [
            {"number": a.recommendation.number if a.recommendation else "", "text": a.text, "joint": a.joint}
            for a in getattr(response, "answers", [])
        ],
    }


def pcc_responses_list(*, force_slug: str = "", with_answers: bool = True) -> list[dict]:
    """Every PCC response (of one force, if given) with the statutory deadline and how late it came,
    and (unless with_answers is False) what each says on each recommendation."""
    responses = PccResponse.objects.select_related("force", "inspection", "report__round").order_by(
        "force__name", "published", "pk"
    )
    if with_answers:
        answers = RecommendationResponse.objects.select_related("recommendation").order_by("recommendation__number", "pk")
        responses = responses.prefetch_related(Prefetch("recommendation_responses", queryset=answers, to_attr="answers"))
    if force_slug:
        responses = responses.filter(force__slug=force_slug)
    return [_response_row(response) for response in responses]


def promising_practice_list(*, force_slug: str = "") -> list[dict]:
    """Promising practice HMICFRS named (in one force, if given), by inspection."""
    practices = PromisingPractice.objects.select_related("inspection", "force").order_by(
        "force__name", "inspection__title", "title"
    )
    if force_slug:
        practices = practices.filter(force__slug=force_slug)
    return [
        {
            "force_slug": p.force.slug,
            "force_name": p.force.name,
            "inspection": p.inspection.title,
            "inspection_published": p.inspection.published,
            "title": p.title,
            "text": p.text,
            "source_url": p.source_url,
            "source_type": p.source_type,
        }
        for p in practices
    ]


@dataclass(frozen=True)
class ForceAccountability:
    """A force page's accountability section: monitoring, recommendations to it, PCC responses, promising practice."""

    force_slug: str
    periods: list[dict]
    recommendations: list[dict]
    responses: list[dict]
    practices: list[dict]

    @property
    def empty(self) -> bool:
        return not (self.periods or self.recommendations or self.responses or self.practices)


def force_accountability_get(*, force_slug: str, today: date | None = None) -> ForceAccountability:
    """Everything the force page shows on a force's accountability: a fixed number of queries."""
    today = today or date.today()
    # PEEL recommendations are already on the force page, under their causes of concern.
    recommendations = _inspection_rows(force_slug=force_slug, inspection="", today=today)
    for row in recommendations:
        row["unanswered_past"] = row["deadline_state"] == "past" and not row["answers"]
    return ForceAccountability(
        force_slug=force_slug,
        periods=monitoring_periods_list(force_slug=force_slug),
        recommendations=recommendations,
        # The section shows each answer under its recommendation, not again under the response.
        responses=pcc_responses_list(force_slug=force_slug, with_answers=False),
        practices=promising_practice_list(force_slug=force_slug),
    )

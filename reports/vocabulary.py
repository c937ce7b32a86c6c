"""The words of PEEL grading, defined once and free of the database: the tiers and scales, the
grade statuses and the words the sources use for them, yes/no, finding kinds and round keys.

Parsers (report importers, source CSVs, uploads), forms, exports and selectors all read them
here, so a word accepted in one place is accepted in every other.
"""

import calendar
import re
from collections.abc import Iterable
from datetime import date

from django.db import models


class Tier(models.IntegerChoices):
    """A grade on the PEEL scale, ordered from worst to best so sorting and charts work."""

    INADEQUATE = 1, "Inadequate"
    REQUIRES_IMPROVEMENT = 2, "Requires improvement"
    ADEQUATE = 3, "Adequate"
    GOOD = 4, "Good"
    OUTSTANDING = 5, "Outstanding"

    @classmethod
    def from_word(cls, word: str) -> "Tier":
        """The tier named by a grade word, case- and space-insensitive; ValueError if none."""
        wanted = words_fold(word)
        for tier in cls:
            if tier.label.casefold() == wanted:
                return tier
        raise ValueError(f"{word!r} is not a PEEL grade")


class Pillar(models.TextChoices):
    """The PEEL pillars of the rounds up to 2018/19 (Leadership was narrative only)."""

    EFFECTIVENESS = "Effectiveness"
    EFFICIENCY = "Efficiency"
    LEGITIMACY = "Legitimacy"
    LEADERSHIP = "Leadership"


class Scale(models.TextChoices):
    """The grading scale a round used."""

    FOUR_TIER = "four-tier", "Four tiers (Outstanding, Good, Requires improvement, Inadequate)"
    FIVE_TIER = "five-tier", "Five tiers (Outstanding, Good, Adequate, Requires improvement, Inadequate)"


SCALE_TIERS: dict[str, tuple[Tier, ...]] = {
    Scale.FOUR_TIER: (Tier.OUTSTANDING, Tier.GOOD, Tier.REQUIRES_IMPROVEMENT, Tier.INADEQUATE),
    Scale.FIVE_TIER: (Tier.OUTSTANDING, Tier.GOOD, Tier.ADEQUATE, Tier.REQUIRES_IMPROVEMENT, Tier.INADEQUATE),
}

# The last four-tier round; HMICFRS: grades are not directly comparable across this break.
SCALE_BREAK_AFTER = "2018-19"


class GradeStatus(models.TextChoices):
    """Whether a question carries a grade. A question with no Grade row at all is unknown."""

    GRADED = "graded", "Graded"
    UNGRADED = "ungraded", "Ungraded"
    NOT_GRADED = "not-graded", "Not graded this time"
    NOT_INSPECTED = "not-inspected", "Not inspected"


# The words the grade facts, uploads, exports and report texts use for a status that is not a tier.
STATUS_WORDS: dict[str, str] = {
    "ungraded": GradeStatus.UNGRADED,
    "not graded": GradeStatus.NOT_GRADED,
    "not inspected": GradeStatus.NOT_INSPECTED,
}
# The same statuses as exports write them ("Not graded"), keyed by status.
STATUS_EXPORT_WORDS: dict[str, str] = {status: word.capitalize() for word, status in STATUS_WORDS.items()}

YES_WORDS = frozenset({"yes", "true", "1", "y"})
NO_WORDS = frozenset({"no", "false", "0", "n"})

# Finding kinds: URL key → label. Exports write the label in lower case ("cause of concern").
FINDING_KINDS: dict[str, str] = {"cause": "Cause of concern", "recommendation": "Recommendation", "afi": "Area for improvement"}


def words_fold(text: str) -> str:
    """Case- and whitespace-insensitive form of a word or phrase."""
    return " ".join(text.split()).casefold()


def yes_no_parse(value: str, *, blank: bool | None = None) -> bool:
    """True or False for a yes/no word ('yes', 'y', 'true', '1' / 'no', 'n', 'false', '0');
    a blank value gives `blank` when one is given; ValueError naming the value otherwise."""
    lowered = value.strip().lower()
    if lowered in YES_WORDS:
        return True
    if lowered in NO_WORDS:
        return False
    if not lowered and blank is not None:
        return blank
    raise ValueError(f"must be yes or no, not {value!r}")


def round_key(value: str) -> str:
    """'2018/19', '2023–25' and '2023-25' all name the round with slug '2018-19' / '2023-25'."""
    return value.strip().replace("/", "-").replace("–", "-")


def tiers_listed(tiers: Iterable[Tier]) -> str:
    return ", ".join(tier.label for tier in tiers)


def grade_word_parse(word: str, *, tiers: tuple[Tier, ...], round_name: str) -> tuple[str, int | None]:
    """(status, tier) for a grade word on a round's scale; ValueError naming the problem."""
    status = STATUS_WORDS.get(words_fold(word))
    if status:
        return status, None
    tier = Tier.from_word(word)
    if tier not in tiers:
        raise ValueError(f"grade {word!r} is not on the PEEL {round_name} scale ({tiers_listed(tiers)})")
    return GradeStatus.GRADED, int(tier)


def grade_display(*, status: str, tier: int | None) -> str:
    """A status and tier as people read them: 'Good', 'Not inspected'."""
    return Tier(tier).label if status == GradeStatus.GRADED and tier else GradeStatus(status).label


def carried_over_from_evidence(*, evidence: str, code: str) -> bool:
    """Whether the evidence says this question's judgment was carried over from an earlier year."""
    if evidence.lower().startswith("carried over"):
        return True
    return bool(code) and re.search(rf"\b{re.escape(code)}\b[^;]*carried over", evidence) is not None


# --- accountability: monitoring stages and dates as precise as their source ---------------------


class MonitoringStage(models.TextChoices):
    """HMICFRS's monitoring stages of a force: Scan (routine, the default) and Engage (enhanced)."""

    SCAN = "Scan"
    ENGAGE = "Engage"


class DatePrecision(models.TextChoices):
    """How much of a date its source states: a year, a month or a day."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class InspectionKind(models.TextChoices):
    """An inspection other than a PEEL round: national (thematic, every force) or of one force."""

    NATIONAL = "national", "National thematic"
    FORCE = "force", "Force-specific"


# Police Act 1996 s.55: a PCC publishes comments on an HMICFRS report within 56 days of its publication.
PCC_RESPONSE_DAYS = 56

_PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def partial_date_parse(value: str) -> tuple[date, str]:
    """(date, precision) of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD': the date is the first day of the
    year or month where the source gives no more (the precision says so); ValueError otherwise."""
    match = _PARTIAL_DATE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match["year"], match["month"], match["day"]
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        return date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def partial_date_display(value: date | None, precision: str) -> str:
    """A date as precise as its source: '2019', 'December 2020', '28 June 2022'; 'Not known' when None."""
    if value is None:
        return "Not known"
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{calendar.month_name[value.month]} {value.year}"
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def partial_date_iso(value: date | None, precision: str) -> str:
    """A date as precise as its source, as the sources write it: '2019', '2020-12', '2022-06-28'; '' when None."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def partial_date_last_day(value: date, precision: str) -> date:
    """The last day a date of this precision can stand for: 'January 2024' runs to 31 January 2024."""
    if precision == DatePrecision.YEAR:
        return date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value

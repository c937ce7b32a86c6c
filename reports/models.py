from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from forces.models import Force


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
        wanted = " ".join(word.split()).casefold()
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


class RoundQuerySet(models.QuerySet):
    def latest_first(self) -> "RoundQuerySet":
        return self.order_by("-position")


class Round(models.Model):
    """An inspection round of PEEL (2014 to 2023–25) with the scale its grades use."""

    slug = models.SlugField(max_length=10, unique=True, help_text="URL-safe: 2016, 2018-19, 2023-25.")
    name = models.CharField(max_length=20, unique=True, help_text="As HMICFRS writes it: 2018/19, 2023–25.")
    position = models.PositiveSmallIntegerField(unique=True, help_text="Chronological order.")
    scale = models.CharField(max_length=10, choices=Scale.choices)
    has_pillars = models.BooleanField(help_text="Graded by pillar and numbered question (up to 2018/19).")
    start_date = models.DateField(help_text="Earliest date a report of this round can carry.")
    end_date = models.DateField(help_text="Latest date a report of this round can carry (amendments included).")
    comparability_note = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"PEEL {self.name}"

    @property
    def tiers(self) -> tuple[Tier, ...]:
        """The tiers of this round's scale, best first."""
        return SCALE_TIERS[self.scale]


class Theme(models.Model):
    """A strand of policing that links comparable questions across rounds, for charting history."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    pillar = models.CharField(max_length=15, choices=Pillar.choices, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A graded question (to 2018/19, under a pillar) or graded area (from 2021/22) of one round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="questions")
    slug = models.SlugField(max_length=100)
    position = models.PositiveSmallIntegerField(help_text="Order within the round.")
    pillar = models.CharField(max_length=15, choices=Pillar.choices, blank=True)
    code = models.CharField(max_length=60, blank=True, help_text="E1, Ef2, L3, OVERALL…; blank for areas.")
    is_overall = models.BooleanField(default=False, help_text="The pillar-level judgment.")
    short_name = models.CharField(max_length=200)
    text = models.TextField(blank=True, help_text="The question's wording, where seen.")
    graded = models.BooleanField(help_text="Whether forces received a grade on this question.")
    graded_note = models.CharField(max_length=120, blank=True)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions")
    theme_partial = models.BooleanField(default=False, help_text="Only partly comparable with the theme's other questions.")
    source_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["round__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "slug"], name="question_unique_slug_per_round"),
            models.UniqueConstraint(fields=["round", "position"], name="question_unique_position_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round.name} {self.label}"

    @property
    def label(self) -> str:
        """The question as people cite it: 'E1 Investigating crime', 'Overall effectiveness', an area name."""
        if self.is_overall or not self.code or self.code.startswith(("E-", "L-")):
            return self.short_name
        return f"{self.code} {self.short_name}"


class Report(models.Model):
    """One HMICFRS report on one force in one round (one per pillar before 2018/19)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="reports")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reports")
    pillar = models.CharField(max_length=15, choices=Pillar.choices, blank=True, help_text="Blank for an integrated report.")
    title = models.CharField(max_length=300)
    published = models.DateField(null=True, blank=True)
    last_updated = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    summary = models.TextField(blank=True, help_text="The report's narrative on the pillar or force.")
    source_document = models.CharField(max_length=200, blank=True, help_text="File the text was imported from.")
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save, for optimistic locking.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "round__position", "pillar"]
        constraints = [
            models.UniqueConstraint(fields=["force", "round", "pillar"], name="report_unique_per_force_round_pillar"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"force_slug": self.force.slug, "round_slug": self.round.slug})

    def clean(self) -> None:
        for field in ("published", "last_updated"):
            value = getattr(self, field)
            if value and self.round_id and not (self.round.start_date <= value <= self.round.end_date):
                raise ValidationError(
                    {
                        field: f"{value:%d/%m/%Y} is outside PEEL {self.round.name} "
                        f"({self.round.start_date:%d/%m/%Y} to {self.round.end_date:%d/%m/%Y})."
                    }
                )
        if self.pillar and self.round_id and not self.round.has_pillars:
            raise ValidationError({"pillar": f"PEEL {self.round.name} reports have no pillars."})


class GradeStatus(models.TextChoices):
    """Whether a question carries a grade. A question with no Grade row at all is unknown."""

    GRADED = "graded", "Graded"
    UNGRADED = "ungraded", "Ungraded"
    NOT_GRADED = "not-graded", "Not graded this time"
    NOT_INSPECTED = "not-inspected", "Not inspected"


class Grade(models.Model):
    """The judgment one force received on one question, with the source it rests on."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="grades")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="grades")
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="grades")
    status = models.CharField(max_length=15, choices=GradeStatus.choices, default=GradeStatus.GRADED)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    carried_over = models.BooleanField(default=False, help_text="Judgment carried over from an earlier inspection.")
    summary = models.TextField(blank=True, help_text="The report's summary under this question.")
    source_url = models.URLField(max_length=500, blank=True)
    source_type = models.CharField(max_length=200, blank=True)
    evidence = models.TextField(blank=True, help_text="The words the grade rests on.")
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save, for optimistic locking.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "question__round__position", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["force", "question"], name="grade_unique_per_force_question"),
            models.CheckConstraint(
                condition=(
                    models.Q(status="graded", tier__isnull=False) | (~models.Q(status="graded") & models.Q(tier__isnull=True))
                ),
                name="grade_tier_present_only_when_graded",
            ),
            models.CheckConstraint(
                condition=models.Q(tier__gte=1, tier__lte=5) | models.Q(tier__isnull=True), name="grade_tier_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force} · {self.question}: {self.display_grade}"

    def save(self, *args, **kwargs) -> None:
        # Every write path (admin, grade sheet, importer) goes through model validation, so an
        # off-scale grade cannot reach the database whichever way it arrives.
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.status == GradeStatus.GRADED and self.tier is None:
            raise ValidationError({"tier": "A graded question needs a tier."})
        if self.status != GradeStatus.GRADED and self.tier is not None:
            raise ValidationError({"tier": f"A question that is '{self.get_status_display()}' has no tier."})
        if self.tier is not None and self.question_id:
            round_ = self.question.round
            if self.tier not in round_.tiers:
                allowed = ", ".join(t.label for t in round_.tiers)
                raise ValidationError({"tier": f"'{Tier(self.tier).label}' is not on the PEEL {round_.name} scale ({allowed})."})

    @property
    def display_grade(self) -> str:
        return self.get_tier_display() if self.status == GradeStatus.GRADED else self.get_status_display()


class CauseOfConcern(models.Model):
    """A cause of concern in a report, under the question it was raised on."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="causes_of_concern")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="causes_of_concern")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    recommendations_intro = models.TextField(blank=True, help_text="'To address this cause of concern the force should:'")

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        verbose_name_plural = "causes of concern"
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="cause_unique_position_per_report")]

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(models.Model):
    """A recommendation made to address a cause of concern."""

    cause = models.ForeignKey(CauseOfConcern, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["cause", "position"]
        constraints = [models.UniqueConstraint(fields=["cause", "position"], name="recommendation_unique_position_per_cause")]

    def __str__(self) -> str:
        return self.text[:80]


class AreaForImprovement(models.Model):
    """An area for improvement in a report; nested sub-points stay in its text, one per line."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="areas_for_improvement")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="areas_for_improvement")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        verbose_name_plural = "areas for improvement"
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="afi_unique_position_per_report")]

    def __str__(self) -> str:
        return self.text[:80]


class GradeCount(models.Model):
    """How many areas a force was graded on in a five-tier round, and how many at each tier."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="grade_counts")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="grade_counts")
    n_areas_graded = models.PositiveSmallIntegerField(null=True, blank=True)
    outstanding = models.PositiveSmallIntegerField(null=True, blank=True)
    good = models.PositiveSmallIntegerField(null=True, blank=True)
    adequate = models.PositiveSmallIntegerField(null=True, blank=True)
    requires_improvement = models.PositiveSmallIntegerField(null=True, blank=True)
    inadequate = models.PositiveSmallIntegerField(null=True, blank=True)
    published = models.CharField(max_length=60, blank=True, help_text="As the source gives it: 2022-09, 'early 2023'.")
    source_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["round__position", "force__name"]
        constraints = [models.UniqueConstraint(fields=["round", "force"], name="gradecount_unique_per_round_force")]

    def __str__(self) -> str:
        return f"{self.force} {self.round}: {self.n_areas_graded} areas graded"


class DataVersion(models.Model):
    """A counter bumped in the same transaction as any change to the published data, so caches
    keyed on it are never stale, whichever process made the change."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data version {self.version}"

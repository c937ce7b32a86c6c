from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from simple_history.models import HistoricalRecords

from forces.models import Force
from reports.vocabulary import (
    PCC_RESPONSE_DAYS,
    SCALE_TIERS,
    DatePrecision,
    GradeStatus,
    InspectionKind,
    MonitoringStage,
    Pillar,
    Scale,
    Tier,
    grade_display,
    grade_word_parse,
    partial_date_display,
    partial_date_last_day,
    tiers_listed,
)


def validation_lines(error: ValidationError, *, prefix: str = "") -> list[str]:
    """A model's validation errors as lines naming their field ("amendment reason: …"); errors that
    belong to no field stay as they are."""
    return [
        message if name == "__all__" else f"{prefix}{name.replace('_', ' ')}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


class Versioned(models.Model):
    """A row edited by people: its version is bumped on every save, for optimistic locking."""

    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save, for optimistic locking.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        with transaction.atomic(using=kwargs.get("using")):
            if not self._state.adding:
                stored = self.version_stored(lock=True)
                # A row restored from its history is inserted again: carry on from the version it had.
                self.version = (self.version if stored is None else stored) + 1
            super().save(*args, **kwargs)

    def version_stored(self, *, lock: bool = False) -> int | None:
        """The version stored for this row now (None: not in the database); lock=True also locks the row
        until the transaction ends, so two concurrent saves cannot both pass a check against it."""
        if self.pk is None:
            return None
        rows = type(self)._default_manager.filter(pk=self.pk)
        if lock and not transaction.get_autocommit(using=rows.db):
            rows = rows.select_for_update()
        return rows.values_list("version", flat=True).first()


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

    def grade_word_parse(self, word: str) -> tuple[str, int | None]:
        """(status, tier) for a grade word on this round's scale; ValueError naming the problem."""
        return grade_word_parse(word, tiers=self.tiers, round_name=self.name)

    def question_find(self, *, pillar: str, name: str) -> "Question | None":
        """The question a grade row, theme row or upload names: by short name, by code, or 'CODE short name'."""
        questions = self.questions.filter(pillar=pillar)
        for lookup in ({"short_name": name}, {"code": name}):
            match = questions.filter(**lookup).first()
            if match:
                return match
        code, _, rest = name.partition(" ")
        match = questions.filter(code=code).first()
        if match and rest == match.short_name:
            return match
        return None

    def date_problem(self, value) -> str | None:
        """Why a report or amendment date cannot belong to this round, or None if it can."""
        if self.start_date <= value <= self.end_date:
            return None
        return f"{value:%d/%m/%Y} is outside PEEL {self.name} ({self.start_date:%d/%m/%Y} to {self.end_date:%d/%m/%Y})."


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
    also_themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="partial_questions",
        help_text="Other themes this question partly covers (always only partly comparable with them), e.g. 2016's "
        "'investigating crime and reducing re-offending' with 2021/22's 'Managing offenders and suspects'.",
    )
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


class Report(Versioned):
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "round__position", "pillar"]
        constraints = [
            models.UniqueConstraint(fields=["force", "round", "pillar"], name="report_unique_per_force_round_pillar"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:report", kwargs={"force_slug": self.force.slug, "round_slug": self.round.slug})

    def clean(self) -> None:
        for field in ("published", "last_updated"):
            value = getattr(self, field)
            if value and self.round_id and (problem := self.round.date_problem(value)):
                raise ValidationError({field: problem})
        if self.pillar and self.round_id and not self.round.has_pillars:
            raise ValidationError({"pillar": f"PEEL {self.round.name} reports have no pillars."})


def tier_problem(*, status: str, tier: int | None, round_: Round | None) -> str | None:
    """What is wrong with a status and tier on a round's scale, or None if they fit."""
    if status == GradeStatus.GRADED and tier is None:
        return "A graded question needs a tier."
    if status != GradeStatus.GRADED and tier is not None:
        return f"A question that is '{GradeStatus(status).label}' has no tier."
    if tier is not None and round_ is not None and tier not in round_.tiers:
        return f"'{Tier(tier).label}' is not on the PEEL {round_.name} scale ({tiers_listed(round_.tiers)})."
    return None


class Grade(Versioned):
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "question__round__position", "question__position"]
        # The national page's per-question counts and sorts read this index alone.
        indexes = [models.Index(fields=["question", "status", "tier"], name="grade_question_status_tier")]
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
        errors = {}
        if not self.source_url and not self.source_type.startswith("SEED"):
            errors["source_url"] = "A grade needs the address of its source (for a seed document: source type 'SEED: <file>')."
        problem = tier_problem(status=self.status, tier=self.tier, round_=self.question.round if self.question_id else None)
        if problem:
            errors["tier"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def display_grade(self) -> str:
        return grade_display(status=self.status, tier=self.tier)


class GradeAmendment(models.Model):
    """HMICFRS changing a published grade: when, from what to what, why, and where it says so."""

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="amendments")
    amended_on = models.DateField(help_text="The date HMICFRS changed the grade.")
    previous_status = models.CharField(max_length=15, choices=GradeStatus.choices, default=GradeStatus.GRADED)
    previous_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    new_status = models.CharField(max_length=15, choices=GradeStatus.choices, default=GradeStatus.GRADED)
    new_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    reason = models.TextField(help_text="Why the grade changed, as the source gives it.")
    source_url = models.URLField(max_length=500, help_text="Where the amendment is published.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["amended_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["grade", "amended_on"], name="amendment_unique_per_grade_and_day")]

    def __str__(self) -> str:
        change = f"{self.previous_display} → {self.new_display}"
        return f"{self.grade.force} · {self.grade.question}: {change} on {self.amended_on:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        round_ = self.grade.question.round if self.grade_id else None
        for prefix in ("previous", "new"):
            problem = tier_problem(status=getattr(self, f"{prefix}_status"), tier=getattr(self, f"{prefix}_tier"), round_=round_)
            if problem:
                errors[f"{prefix}_tier"] = problem
        if (self.previous_status, self.previous_tier) == (self.new_status, self.new_tier):
            errors["new_tier"] = "An amendment changes the grade: the new grade is the same as the previous one."
        if round_ and self.amended_on and (problem := round_.date_problem(self.amended_on)):
            errors["amended_on"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def previous_display(self) -> str:
        return grade_display(status=self.previous_status, tier=self.previous_tier)

    @property
    def new_display(self) -> str:
        return grade_display(status=self.new_status, tier=self.new_tier)


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
    changed_at = models.DateTimeField(null=True, blank=True, help_text="When the version was last bumped (API Last-Modified).")

    def __str__(self) -> str:
        return f"data version {self.version}"


# --- accountability: monitoring, inspections other than PEEL, recommendations, PCC responses ------


def precision_problem(*, value: date | None, precision: str, label: str) -> str | None:
    """What is wrong with a date and its precision together, or None: a date needs a precision, no date none."""
    if value is None and precision:
        return f"A {label} that is not known has no precision."
    if value is not None and precision not in DatePrecision.values:
        return f"A {label} needs its precision (year, month or day), as its source states it."
    if value is not None and precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        return f"A {label} known only to the year is stored as 1 January of that year."
    if value is not None and precision == DatePrecision.MONTH and value.day != 1:
        return f"A {label} known only to the month is stored as the first of that month."
    return None


class MonitoringPeriod(Versioned):
    """A time a force spent in one HMICFRS monitoring stage (Engage: enhanced monitoring), dated as its source dates it."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="monitoring_periods")
    stage = models.CharField(max_length=10, choices=MonitoringStage.choices, default=MonitoringStage.ENGAGE)
    entered = models.DateField(help_text="First day of the year or month where the source gives no more (see precision).")
    entered_precision = models.CharField(max_length=5, choices=DatePrecision.choices)
    left = models.DateField(null=True, blank=True, help_text="Blank: still in the stage, or no exit found.")
    left_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    reasons = models.TextField(blank=True, help_text="Why the force was moved into the stage, as the sources give it.")
    source_url = models.URLField(max_length=500)
    evidence = models.TextField(blank=True, help_text="The words the dates rest on.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["entered", "force__name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "stage", "entered"], name="monitoring_unique_per_force_stage_entry"),
            models.CheckConstraint(
                condition=models.Q(left__isnull=True, left_precision="")
                | models.Q(left__isnull=False) & ~models.Q(left_precision=""),
                name="monitoring_left_precision_only_with_left",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force} · {self.stage} from {self.entered_display}"

    def save(self, *args, **kwargs) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        for field in ("entered", "left"):
            problem = precision_problem(value=getattr(self, field), precision=getattr(self, f"{field}_precision"), label="date")
            if problem:
                errors[f"{field}_precision"] = problem
        if not errors and self.entered and self.left and self.left < self.entered:
            errors["left"] = (
                f"The force cannot leave the stage ({self.left_display}) before it entered it ({self.entered_display})."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def entered_display(self) -> str:
        return partial_date_display(self.entered, self.entered_precision)

    @property
    def left_display(self) -> str:
        return partial_date_display(self.left, self.left_precision) if self.left else ""


class Inspection(Versioned):
    """An HMICFRS inspection other than a PEEL round: a national thematic or a force-specific inspection."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=InspectionKind.choices)
    published = models.DateField(null=True, blank=True, help_text="Blank when not known.")
    source_url = models.URLField(max_length=500, blank=True)
    forces = models.ManyToManyField(Force, blank=True, related_name="inspections", help_text="The forces it is known to cover.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["published", "title"]

    def __str__(self) -> str:
        return self.title


class InspectionRecommendation(Versioned):
    """An inspection's recommendation to one force or to all, numbered as in the report, with its deadline as stated."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_recommendations",
        help_text="Blank: addressed to all forces.",
    )
    number = models.PositiveSmallIntegerField(help_text="The number the report gives it.")
    text = models.TextField()
    deadline_text = models.CharField(max_length=120, blank=True, help_text="The source's words: 'By January 2024'.")
    deadline = models.DateField(null=True, blank=True, help_text="First day of the year or month where the source gives no more.")
    deadline_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="inspection_recommendation_unique_number"),
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True, deadline_precision="")
                | models.Q(deadline__isnull=False) & ~models.Q(deadline_precision=""),
                name="inspection_recommendation_precision_only_with_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} recommendation {self.number}"

    def save(self, *args, **kwargs) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        problem = precision_problem(value=self.deadline, precision=self.deadline_precision, label="deadline")
        if problem:
            raise ValidationError({"deadline_precision": problem})

    @property
    def deadline_display(self) -> str:
        """The deadline as precise as stated, or the source's words where they give no date."""
        if self.deadline:
            return partial_date_display(self.deadline, self.deadline_precision)
        return self.deadline_text or "Not stated"

    @property
    def deadline_last_day(self) -> date | None:
        return partial_date_last_day(self.deadline, self.deadline_precision) if self.deadline else None


class PccResponse(Versioned):
    """A police and crime commissioner's published comments on an HMICFRS inspection or PEEL report (Police Act 1996 s.55)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="pcc_responses")
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="pcc_responses")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="pcc_responses")
    published = models.DateField(null=True, blank=True, help_text="The date the response carries; blank when not known.")
    commissioner = models.CharField(max_length=120, blank=True, help_text="Who signed it.")
    text = models.TextField(help_text="The response as published.")
    source_url = models.URLField(max_length=500, blank=True)
    source_type = models.CharField(max_length=200, blank=True, help_text="'SEED: <file>' for a seed document without an address.")
    source_document = models.CharField(max_length=200, blank=True, help_text="File the text was imported from.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "published"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inspection__isnull=False, report__isnull=True)
                | models.Q(inspection__isnull=True, report__isnull=False),
                name="pcc_response_answers_one_inspection_or_report",
            ),
            models.UniqueConstraint(fields=["force", "inspection"], name="pcc_response_unique_per_force_inspection"),
            models.UniqueConstraint(fields=["force", "report"], name="pcc_response_unique_per_force_report"),
        ]

    def __str__(self) -> str:
        return f"{self.force} PCC on {self.subject_title}"

    def save(self, *args, **kwargs) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if bool(self.inspection_id) == bool(self.report_id):
            errors["inspection"] = "A response answers one inspection or one PEEL report."
        if not self.source_url and not self.source_type.startswith("SEED"):
            errors["source_url"] = "A response needs the address of its source (for a seed document: source type 'SEED: <file>')."
        if self.report is not None and self.force_id and self.report.force_id != self.force_id:
            errors["report"] = "A PCC responds to a report on their own force."
        if errors:
            raise ValidationError(errors)

    @property
    def subject_title(self) -> str:
        return str(self.inspection or self.report)

    @property
    def subject_published(self) -> date | None:
        """When the inspection or report answered was published, where known."""
        subject = self.inspection or self.report
        return subject.published if subject else None

    @property
    def statutory_deadline(self) -> date | None:
        """Publication of the inspection or report + 56 days (Police Act 1996 s.55); None when its date is not known."""
        published = self.subject_published
        return published + timedelta(days=PCC_RESPONSE_DAYS) if published else None

    @property
    def days_late(self) -> int | None:
        """Days after the statutory deadline the response was published (0 or less: on time); None when a date is not known."""
        deadline = self.statutory_deadline
        return (self.published - deadline).days if deadline and self.published else None

    @property
    def deadline_met(self) -> bool | None:
        late = self.days_late
        return None if late is None else late <= 0


class RecommendationResponse(Versioned):
    """What a PCC response says about one recommendation (an inspection's, or a PEEL report's)."""

    response = models.ForeignKey(PccResponse, on_delete=models.CASCADE, related_name="recommendation_responses")
    recommendation = models.ForeignKey(
        InspectionRecommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    peel_recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    text = models.TextField(help_text="The response's words on this recommendation.")
    joint = models.BooleanField(default=False, help_text="The response answers these recommendations together, in one passage.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "recommendation__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recommendation__isnull=False, peel_recommendation__isnull=True)
                | models.Q(recommendation__isnull=True, peel_recommendation__isnull=False),
                name="recommendation_response_answers_one_recommendation",
            ),
            models.UniqueConstraint(fields=["response", "recommendation"], name="recommendation_response_unique"),
            models.UniqueConstraint(fields=["response", "peel_recommendation"], name="peel_recommendation_response_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.response}: on {self.recommendation or self.peel_recommendation}"


class PromisingPractice(Versioned):
    """Practice HMICFRS named as promising in a force, in an inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="promising_practices")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="promising_practices")
    title = models.CharField(max_length=300)
    text = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    source_type = models.CharField(max_length=200, blank=True, help_text="Where it was read, when not the inspection itself.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "force__name", "title"]
        verbose_name_plural = "promising practice"
        constraints = [models.UniqueConstraint(fields=["inspection", "force", "title"], name="promising_practice_unique")]

    def __str__(self) -> str:
        return f"{self.force}: {self.title}"


class DataScope(models.Model):
    """A counter per part of the data ('shared', 'force:<slug>', 'round:<slug>'), bumped in the same
    transaction as a change to that part: a cached page keyed on the scopes it shows is never stale,
    and an edit to one force's grade leaves the pages of other forces cached."""

    scope = models.CharField(max_length=80, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope} version {self.version}"


class MoverPair(models.Model):
    """A force's grades on one theme in two consecutive rounds, with the change between them: a summary
    the movers page reads a page at a time, kept in step with the grades (reports/summaries.py)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    from_grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="+")
    to_grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="+")
    to_round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    same_scale = models.BooleanField()
    steps = models.SmallIntegerField(null=True, help_text="Steps up (+) or down (−) the scale; none across the scale break.")
    change = models.PositiveSmallIntegerField(help_text="Size: steps, or the nominal tier difference across the break.")
    direction = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["same_scale", "-change"], name="moverpair_ranked")]

    def __str__(self) -> str:
        return f"force {self.force_id}, theme {self.theme_id}: {self.direction} by {self.change}"

"""What each API record holds: field names, types and descriptions (the OpenAPI schema is built from these).

A record names rounds, forces and grades as /data/grades.csv does: `round` is the round as HMICFRS
writes it (2018/19), `round_slug` its identifier for filters (2018-19), `force_slug` and `force_name`
the force; grades are words (Good, Not graded) with `grade_order` 1 Inadequate … 5 Outstanding.
Links to the dashboard's pages are absolute (`page_url`).
"""

from django.urls import reverse
from rest_framework import serializers

from reports.api.selectors import grade_word
from reports.exports.services import GRADE_EXPORT_COLUMNS, ExportColumn
from reports.models import Question, Round, Theme
from reports.vocabulary import FINDING_KINDS

NULLABLE_GRADE_COLUMNS = frozenset({"grade_order", "theme", "theme_name"})


def page_url(serializer: serializers.Serializer, name: str, **kwargs) -> str:
    """The absolute address of one of the dashboard's pages."""
    path = reverse(name, kwargs=kwargs)
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _grade_column_field(column: ExportColumn) -> serializers.Field:
    nullable = column.name in NULLABLE_GRADE_COLUMNS
    if column.name == "grade_order":
        return serializers.IntegerField(help_text=column.description, allow_null=True, read_only=True)
    return serializers.CharField(help_text=column.description, allow_null=nullable, read_only=True)


class GradeSerializer(serializers.Serializer):
    """A grade as a row of /data/grades.csv: the same columns, in the same order, with the same words
    (text is not apostrophe-escaped as in the CSV: JSON is not read by a spreadsheet)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {column.name: _grade_column_field(column) for column in GRADE_EXPORT_COLUMNS}

    def to_representation(self, instance: dict) -> dict:
        # The selector already gives each record as {column: JSON value}; per-field conversion would
        # cost more than the query (bench/bench_api.py).
        return instance


class LatestGradeSerializer(serializers.Serializer):
    """A force's latest grade on one pillar or area theme, as the forces list shows it."""

    theme = serializers.CharField(help_text="The theme's slug (/api/v1/themes/).")
    theme_name = serializers.CharField()
    round = serializers.CharField(allow_null=True, help_text="The round the grade is from; null when none is known.")
    grade = serializers.CharField(allow_null=True, help_text="The grade in words; null when none is known.")
    grade_order = serializers.IntegerField(allow_null=True, help_text="1 Inadequate … 5 Outstanding; null without a tier.")
    carried_over = serializers.BooleanField(allow_null=True)


class LatestGradesSerializer(serializers.Serializer):
    """Latest grades per pillar (rounds to 2018/19, four-tier) and per area (2021/22 on, five-tier): not comparable."""

    pillars = LatestGradeSerializer(many=True)
    areas = LatestGradeSerializer(many=True)


class ForceSerializer(serializers.Serializer):
    """A police force with its latest grades."""

    slug = serializers.CharField(help_text="The force's identifier, as in HMICFRS's web addresses.")
    name = serializers.CharField()
    country = serializers.CharField()
    region = serializers.CharField()
    most_similar_group = serializers.CharField()
    page_url = serializers.SerializerMethodField()
    latest_grades = LatestGradesSerializer()

    def get_page_url(self, force: dict) -> str:
        return page_url(self, "pages:force_detail", slug=force["slug"])


class RoundSerializer(serializers.ModelSerializer):
    """A PEEL round with its grading scale and what HMICFRS says about comparing it with others."""

    scale_label = serializers.CharField(source="get_scale_display")
    tiers = serializers.SerializerMethodField(help_text="The grades of the round's scale, best first.")

    class Meta:
        model = Round
        fields = [
            "slug",
            "name",
            "position",
            "scale",
            "scale_label",
            "tiers",
            "has_pillars",
            "start_date",
            "end_date",
            "comparability_note",
            "source_url",
        ]

    def get_tiers(self, round_: Round) -> list[str]:
        return [tier.label for tier in round_.tiers]


class QuestionSerializer(serializers.ModelSerializer):
    """A graded question (to 2018/19, under a pillar) or graded area (2021/22 on) of one round."""

    round = serializers.CharField(source="round.name", help_text="The round as HMICFRS writes it.")
    round_slug = serializers.CharField(source="round.slug")
    label = serializers.CharField(help_text="The question as people cite it, as in the grades' question_or_area.")
    theme = serializers.CharField(source="theme.slug", allow_null=True, default=None)

    class Meta:
        model = Question
        fields = [
            "id",
            "round",
            "round_slug",
            "slug",
            "position",
            "pillar",
            "code",
            "is_overall",
            "label",
            "short_name",
            "text",
            "graded",
            "graded_note",
            "theme",
            "theme_partial",
            "source_url",
        ]


class ThemeSerializer(serializers.ModelSerializer):
    """A strand of policing linking comparable questions across rounds."""

    questions = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of its questions, in round order.")

    class Meta:
        model = Theme
        fields = ["slug", "name", "pillar", "description", "position", "questions"]


class RecommendationSerializer(serializers.Serializer):
    """A recommendation made to address a cause of concern."""

    number = serializers.IntegerField(source="position")
    text = serializers.CharField()


class CauseOfConcernSerializer(serializers.Serializer):
    """A cause of concern, the question it was raised under, and its recommendations."""

    number = serializers.IntegerField(source="position")
    text = serializers.CharField()
    question = serializers.IntegerField(source="question_id", allow_null=True)
    question_or_area = serializers.CharField(source="question.label", allow_null=True, default=None)
    recommendations_intro = serializers.CharField()
    recommendations = RecommendationSerializer(many=True)


class AreaForImprovementSerializer(serializers.Serializer):
    """An area for improvement; nested sub-points stay in its text, one per line."""

    number = serializers.IntegerField(source="position")
    text = serializers.CharField()
    question = serializers.IntegerField(source="question_id", allow_null=True)
    question_or_area = serializers.CharField(source="question.label", allow_null=True, default=None)


class ReportSerializer(serializers.Serializer):
    """An HMICFRS report on one force in one round (one per pillar before 2018/19), with its findings."""

    id = serializers.IntegerField()
    round = serializers.CharField(source="round.name")
    round_slug = serializers.CharField(source="round.slug")
    force_slug = serializers.CharField(source="force.slug")
    force_name = serializers.CharField(source="force.name")
    pillar = serializers.CharField(help_text="Blank for an integrated report.")
    title = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    last_updated = serializers.DateField(allow_null=True)
    source_url = serializers.CharField()
    page_url = serializers.SerializerMethodField()
    summary = serializers.CharField()
    causes_of_concern = CauseOfConcernSerializer(many=True)
    areas_for_improvement = AreaForImprovementSerializer(many=True)

    def get_page_url(self, report) -> str:
        return page_url(self, "pages:report", force_slug=report.force.slug, round_slug=report.round.slug)


class FindingSerializer(serializers.Serializer):
    """A cause of concern, recommendation or area for improvement matching a search (as /findings/ lists it)."""

    kind = serializers.ChoiceField(choices=list(FINDING_KINDS))
    kind_label = serializers.SerializerMethodField(help_text="The kind in words: Cause of concern, Recommendation, ….")
    text = serializers.CharField()
    cause = serializers.CharField(help_text="For a recommendation, the cause of concern it addresses; else blank.")
    force_slug = serializers.CharField()
    force_name = serializers.CharField(source="force")
    round = serializers.CharField()
    round_slug = serializers.CharField()
    pillar = serializers.CharField()
    question_or_area = serializers.CharField(source="question")
    number = serializers.IntegerField(source="position")
    page_url = serializers.SerializerMethodField()

    def get_page_url(self, finding: dict) -> str:
        return page_url(self, "pages:report", force_slug=finding["force_slug"], round_slug=finding["round_slug"])

    def get_kind_label(self, row: dict) -> str:
        # The page selectors hold the kind as data; its words are presentation.
        return FINDING_KINDS[row["kind"]]


class AmendmentSerializer(serializers.Serializer):
    """HMICFRS changing a published grade: when, from what to what, why, and where it says so."""

    id = serializers.IntegerField()
    amended_on = serializers.DateField()
    round = serializers.CharField(source="grade.question.round.name")
    round_slug = serializers.CharField(source="grade.question.round.slug")
    force_slug = serializers.CharField(source="grade.force.slug")
    force_name = serializers.CharField(source="grade.force.name")
    question = serializers.IntegerField(source="grade.question_id")
    question_or_area = serializers.CharField(source="grade.question.label")
    previous_grade = serializers.SerializerMethodField(help_text="The grade before, in words.")
    previous_grade_order = serializers.IntegerField(source="previous_tier", allow_null=True)
    new_grade = serializers.SerializerMethodField(help_text="The grade after, in words.")
    new_grade_order = serializers.IntegerField(source="new_tier", allow_null=True)
    reason = serializers.CharField()
    source_url = serializers.CharField()
    page_url = serializers.SerializerMethodField()

    def get_previous_grade(self, amendment) -> str:
        return grade_word(status=amendment.previous_status, tier=amendment.previous_tier)

    def get_new_grade(self, amendment) -> str:
        return grade_word(status=amendment.new_status, tier=amendment.new_tier)

    def get_page_url(self, amendment) -> str:
        return page_url(self, "pages:force_detail", slug=amendment.grade.force.slug)

"""Query parameters of the API: parsed and checked into selector arguments, as the pages' filter forms do.

Each list endpoint has one form; a value it cannot use, or a parameter it does not know, makes the
endpoint answer 400 with a message naming the parameter (views.ParametersInvalid), never a silent
empty or unfiltered list. Values are forgiving where that cannot mislead: a round as its slug or as
HMICFRS writes it (2018-19 or 2018/19), a pillar or grade in any case, yes/no words for booleans.
"""

from django import forms
from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter

from reports.pages import selectors
from reports.pages.filters import FindingsFilterForm, round_field, slug_choice_field
from reports.tablepages import FilterForm
from reports.vocabulary import STATUS_EXPORT_WORDS, GradeStatus, Pillar, Tier, round_key, words_fold, yes_no_parse

PAGE_PARAMS = ("page", "page_size")

# grade=<word>: the words of /data/grades.csv's grade column, any case, '-' or '_' for spaces.
GRADE_WORDS: dict[str, tuple[str, int | None]] = {
    **{words_fold(tier.label): (GradeStatus.GRADED, int(tier)) for tier in Tier},
    **{words_fold(word): (status, None) for status, word in STATUS_EXPORT_WORDS.items()},
}


def pillar_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False,
        label="Pillar",
        choices=[("", "Any"), *[(p, p) for p in Pillar.values]],
        error_messages={
            "invalid_choice": "There is no PEEL pillar %(value)s (Effectiveness, Efficiency, Legitimacy, Leadership)."
        },
    )


def question_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        required=False,
        label="Question or area",
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), *[(str(pk), label) for pk, label in selectors.questions_choices()]],
        error_messages={"invalid_choice": "There is no question %(value)s: use a question's id from /api/v1/questions/."},
    )


def force_field() -> forms.ChoiceField:
    return slug_choice_field(label="Force", choices=selectors.forces_choices(), empty_label="Any", what="force")


def theme_field() -> forms.ChoiceField:
    return slug_choice_field(label="Theme", choices=selectors.themes_choices(), empty_label="Any", what="theme")


def query_normalised(data: QueryDict) -> QueryDict:
    """The query string with a round's name read as its slug, a pillar capitalised, a force slug in lower case."""
    data = data.copy()
    if round_ := data.get("round"):
        data["round"] = round_key(round_).lower()
    if pillar := data.get("pillar"):
        data["pillar"] = pillar.strip().capitalize()
    if force := data.get("force"):
        data["force"] = force.strip().lower()
    return data


class ApiFilterForm(FilterForm):
    """A GET form over an endpoint's query string; values are normalised before they are checked.
    `parameters` names its fields without building it (the form reads choices; an unknown parameter must not)."""

    parameters: tuple[str, ...] = ()

    def __init__(self, data: QueryDict) -> None:
        super().__init__(query_normalised(data))


class GradeFilterForm(ApiFilterForm):
    """?round=2016 &force=bedfordshire &pillar=Effectiveness &question=<id> &theme=<slug> &grade=Good &carried_over=yes"""

    parameters = ("round", "force", "pillar", "question", "theme", "grade", "carried_over")
    grade = forms.CharField(required=False, label="Grade")
    carried_over = forms.CharField(required=False, label="Carried over")

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.fields["round"] = round_field(selectors.rounds_list(), empty_label="Any")
        self.fields["force"] = force_field()
        self.fields["pillar"] = pillar_field()
        self.fields["question"] = question_field()
        self.fields["theme"] = theme_field()
        self.order_fields(["round", "force", "pillar", "question", "theme", "grade", "carried_over"])

    def clean_grade(self) -> tuple[str, int | None] | None:
        value = self.cleaned_data["grade"]
        if not value:
            return None
        grade = GRADE_WORDS.get(words_fold(value.replace("-", " ").replace("_", " ")))
        if grade is None:
            words = ", ".join([*(tier.label for tier in reversed(Tier)), *STATUS_EXPORT_WORDS.values()])
            raise forms.ValidationError(f"There is no grade {value!r}: use one of {words}.")
        return grade

    def clean_carried_over(self) -> bool | None:
        try:
            return yes_no_parse(self.cleaned_data["carried_over"], blank=None) if self.cleaned_data["carried_over"] else None
        except ValueError as error:
            raise forms.ValidationError(f"It {error}.") from None

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        status, tier = data["grade"] or (None, None)
        return {
            "round_slug": data["round"],
            "force_slug": data["force"],
            "pillar": data["pillar"],
            "question_id": data["question"],
            "theme_slug": data["theme"],
            "status": status,
            "tier": tier,
            "carried_over": data["carried_over"],
        }


class QuestionFilterForm(ApiFilterForm):
    """?round=2016 &pillar=Effectiveness &theme=<slug>"""

    parameters = ("round", "pillar", "theme")

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.fields["round"] = round_field(selectors.rounds_list(), empty_label="Any")
        self.fields["pillar"] = pillar_field()
        self.fields["theme"] = theme_field()

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"round_slug": data["round"], "pillar": data["pillar"], "theme_slug": data["theme"]}


class ReportFilterForm(ApiFilterForm):
    """?force=bedfordshire &round=2016 &pillar=Effectiveness"""

    parameters = ("force", "round", "pillar")

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.fields["force"] = force_field()
        self.fields["round"] = round_field(selectors.rounds_list(), empty_label="Any")
        self.fields["pillar"] = pillar_field()

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"force_slug": data["force"], "round_slug": data["round"], "pillar": data["pillar"]}


class AmendmentFilterForm(ApiFilterForm):
    """?force=bedfordshire &round=2021-22"""

    parameters = ("force", "round")

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.fields["force"] = force_field()
        self.fields["round"] = round_field(selectors.rounds_list(), empty_label="Any")

    def selector_kwargs(self) -> dict:
        return {"force_slug": self.cleaned_data["force"], "round_slug": self.cleaned_data["round"]}


class FindingFilterForm(FindingsFilterForm):
    """The findings page's own filters, checked the same way:
    ?q=custody &force=… &round=… &question=<id> &type=cause|recommendation|afi"""

    parameters = ("q", "force", "round", "question", "type")

    def __init__(self, data: QueryDict) -> None:
        super().__init__(
            query_normalised(data),
            rounds=selectors.rounds_list(),
            forces=selectors.forces_choices(),
            questions=selectors.questions_choices(),
        )


# --- The parameters as the OpenAPI schema describes them (the forms need the database, the schema must not) ---

ROUND = OpenApiParameter(
    "round", str, description="A round's slug (2016, 2018-19, 2023-25) or its name as HMICFRS writes it (2018/19)."
)
FORCE = OpenApiParameter("force", str, description="A force's slug, as in HMICFRS's web addresses: bedfordshire.")
PILLAR = OpenApiParameter("pillar", str, enum=list(Pillar.values), description="A pillar (rounds to 2018/19 only).")
QUESTION = OpenApiParameter("question", int, description="A question's id (/api/v1/questions/).")
THEME = OpenApiParameter("theme", str, description="A theme's slug (/api/v1/themes/): comparable questions across rounds.")
GRADE = OpenApiParameter(
    "grade",
    str,
    description="A grade in words, any case: Outstanding, Good, Adequate, Requires improvement, Inadequate, "
    "Ungraded, Not graded, Not inspected.",
)
CARRIED_OVER = OpenApiParameter(
    "carried_over", str, description="yes or no: the judgment was carried over from an earlier inspection."
)
SEARCH = OpenApiParameter(
    "q", str, description="Words to find in the text (PostgreSQL: ranked full-text search, web-search syntax; else: contains)."
)
KIND = OpenApiParameter("type", str, enum=["cause", "recommendation", "afi"], description="The kind of finding.")

GRADE_PARAMETERS = [ROUND, FORCE, PILLAR, QUESTION, THEME, GRADE, CARRIED_OVER]
QUESTION_PARAMETERS = [ROUND, PILLAR, THEME]
REPORT_PARAMETERS = [FORCE, ROUND, PILLAR]
AMENDMENT_PARAMETERS = [FORCE, ROUND]
FINDING_PARAMETERS = [SEARCH, FORCE, ROUND, QUESTION, KIND]

"""Filters of the analyst pages: the query string parsed and checked into selector arguments.

Every filter lives in the URL, so a view can be shared as a link. A form that is not valid
makes the page answer 400 with the form's messages (never a 500); ``selector_kwargs()`` gives
the page's ONE selector exactly the arguments the filters chose, so an export can reuse it.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reports.pages.selectors import RoundInfo
from reports.tablepages import FilterForm
from reports.vocabulary import FINDING_KINDS, Pillar

MAX_FORCES = 6
MAX_SEARCH = 200
DIRECTIONS = [
    ("", "Improved or declined"),
    ("improved", "Improved"),
    ("declined", "Declined"),
    ("unchanged", "Unchanged"),
    ("all", "All, unchanged included"),
]


class QuickSelect(forms.Select):
    """A <select> rendered in Python: Django renders each <option> through a template, which made
    the filter forms (95 questions, 43 forces) most of a page's render time."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        selected = set(self.format_value(value))
        # html.escape is what django.utils.html.escape calls; format_html per option cost 10× more.
        options = mark_safe(  # noqa: S308 (every key and label escaped here)
            "".join(
                f'<option value="{escape(str(key))}"{" selected" if str(key) in selected else ""}>{escape(str(label))}</option>'
                for key, label in self.choices
            )
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


def round_field(rounds: list[RoundInfo], *, empty_label: str) -> forms.ChoiceField:
    names = ", ".join(r.slug for r in rounds)
    return forms.ChoiceField(
        widget=QuickSelect,
        required=False,
        label="Round",
        choices=[("", empty_label), *[(r.slug, f"PEEL {r.name}") for r in rounds]],
        error_messages={"invalid_choice": f"There is no PEEL round %(value)s. The rounds are {names}."},
    )


def slug_choice_field(*, label: str, choices: list[tuple[str, str]], empty_label: str, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        widget=QuickSelect,
        required=False,
        label=label,
        choices=[("", empty_label), *choices],
        error_messages={"invalid_choice": f"There is no {what} %(value)s."},
    )


def search_field(*, label: str, max_length: int) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=max_length,
        label=label,
        error_messages={"max_length": f"The search is too long: at most {max_length} characters (it has %(show_value)d)."},
    )


class NationalFilterForm(FilterForm):
    """?round=2016&pillar=Effectiveness: the round defaults to the latest round with data."""

    pillar = forms.ChoiceField(
        widget=QuickSelect,
        required=False,
        label="Pillar",
        choices=[("", "All pillars"), *[(p, p) for p in Pillar.values]],
        error_messages={
            "invalid_choice": "There is no PEEL pillar %(value)s (Effectiveness, Efficiency, Legitimacy, Leadership)."
        },
    )

    def __init__(self, data, *, rounds: list[RoundInfo], default_round: RoundInfo | None) -> None:
        super().__init__(data)
        self.default_round = default_round
        self.fields["round"] = round_field(rounds, empty_label=f"Latest ({default_round.name})" if default_round else "Latest")
        self.order_fields(["round", "pillar"])

    def clean_round(self) -> str:
        value = self.cleaned_data.get("round") or (self.default_round.slug if self.default_round else "")
        if not value:
            raise forms.ValidationError("There are no rounds yet.")
        return value

    def selector_kwargs(self) -> dict:
        return {"round_slug": self.cleaned_data["round"], "pillar": self.cleaned_data["pillar"]}


class CompareFilterForm(FilterForm):
    """?forces=bedfordshire,cleveland (two to six forces) &round=2016 (optional)."""

    forces = forms.CharField(required=False, max_length=600, label="Forces")

    def __init__(self, data, *, rounds: list[RoundInfo], forces: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.known_forces = dict(forces)
        self.fields["round"] = round_field(rounds, empty_label="Every round")

    def clean_forces(self) -> list[str]:
        slugs: list[str] = []
        for slug in (part.strip().lower() for part in self.cleaned_data["forces"].split(",")):
            if slug and slug not in slugs:
                slugs.append(slug)
        unknown = [slug for slug in slugs if slug not in self.known_forces]
        if unknown:
            raise forms.ValidationError(
                f"There is no force {', '.join(unknown)}. Force names in the URL are slugs like bedfordshire."
            )
        if len(slugs) > MAX_FORCES:
            raise forms.ValidationError(f"Compare at most {MAX_FORCES} forces at once; {len(slugs)} were chosen.")
        return slugs  # one force is not an error: the page keeps it ticked and asks for another

    def selector_kwargs(self) -> dict:
        return {"force_slugs": self.cleaned_data["forces"], "round_slug": self.cleaned_data["round"]}


class MoversFilterForm(FilterForm):
    """?round=2017 (the later round of each pair) &direction=declined &theme=… &force=…"""

    direction = forms.ChoiceField(
        widget=QuickSelect,
        required=False,
        label="Change",
        choices=DIRECTIONS,
        error_messages={"invalid_choice": "direction must be improved, declined, unchanged or all, not %(value)s."},
    )

    def __init__(self, data, *, rounds: list[RoundInfo], forces: list[tuple[str, str]], themes: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["round"] = round_field(rounds[1:], empty_label="Every pair of rounds")
        self.fields["round"].label = "Into round"
        self.fields["theme"] = slug_choice_field(label="Theme", choices=themes, empty_label="Every theme", what="theme")
        self.fields["force"] = slug_choice_field(label="Force", choices=forces, empty_label="Every force", what="force")
        self.order_fields(["round", "direction", "theme", "force"])

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "round_slug": data["round"],
            "direction": data["direction"],
            "theme_slug": data["theme"],
            "force_slug": data["force"],
        }


class FindingsFilterForm(FilterForm):
    """?q=custody &force=… &round=… &question=<id> &type=cause|recommendation|afi"""

    q = search_field(label="Search findings", max_length=MAX_SEARCH)
    type = forms.ChoiceField(
        widget=QuickSelect,
        required=False,
        label="Type",
        choices=[("", "Every type"), *FINDING_KINDS.items()],
        error_messages={"invalid_choice": "type must be cause, recommendation or afi, not %(value)s."},
    )

    def __init__(self, data, *, rounds: list[RoundInfo], forces: list[tuple[str, str]], questions: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.fields["force"] = slug_choice_field(label="Force", choices=forces, empty_label="Every force", what="force")
        self.fields["round"] = round_field(rounds, empty_label="Every round")
        self.fields["question"] = forms.TypedChoiceField(
            widget=QuickSelect,
            required=False,
            label="Question or area",
            coerce=int,
            empty_value=None,
            choices=[("", "Every question"), *[(str(pk), label) for pk, label in questions]],
            error_messages={"invalid_choice": "There is no question %(value)s."},
        )
        self.order_fields(["q", "force", "round", "question", "type"])

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data["q"],
            "force_slug": data["force"],
            "round_slug": data["round"],
            "question_id": data["question"],
            "kind": data["type"],
        }


MAX_NAME_SEARCH = 100


class ForceFilterForm(FilterForm):
    """Search forces by name; show their latest grade per pillar (to 2018/19) or per area (2021/22 on)."""

    q = search_field(label="Force name", max_length=MAX_NAME_SEARCH)
    show = forms.ChoiceField(
        widget=QuickSelect,
        required=False,
        label="Latest grade per",
        choices=[("areas", "Area (2021/22 on)"), ("pillars", "Pillar (to 2018/19)")],
        error_messages={"invalid_choice": "show must be pillars or areas, not %(value)s."},
    )

    def clean_show(self) -> str:
        return self.cleaned_data["show"] or "areas"  # the latest rounds grade areas, so "latest" means areas

    def selector_kwargs(self) -> dict:
        return {"q": self.cleaned_data["q"], "show": self.cleaned_data["show"]}

"""Filters of the forces list: ?q= (name search) and ?show=pillars|areas."""

from django import forms

from reports.filters import FilterForm, QuickSelect, search_field

MAX_NAME_SEARCH = 100


class ForceFilterForm(FilterForm):
    """Search forces by name; show their latest grade per pillar (to 2018/19) or per area (2021/22 on)."""

    q = search_field(label="Force name", max_length=MAX_NAME_SEARCH)
    show = forms.ChoiceField(
        widget=QuickSelect,
        required=False,
        label="Latest grade per",
        choices=[("pillars", "Pillar (to 2018/19)"), ("areas", "Area (2021/22 on)")],
        error_messages={"invalid_choice": "show must be pillars or areas, not %(value)s."},
    )

    def clean_show(self) -> str:
        return self.cleaned_data["show"] or "pillars"

    def selector_kwargs(self) -> dict:
        return {"q": self.cleaned_data["q"], "show": self.cleaned_data["show"]}

"""Filters of the accountability pages: the query string checked into selector arguments (400 with
the problems named when it cannot be used)."""

from django import forms

from reports.accountability.selectors import DEADLINE_CHOICES, RESPONSE_CHOICES
from reports.tablepages import FilterForm


def _choice(*, label: str, choices: list[tuple[str, str]], what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False, label=label, choices=choices, error_messages={"invalid_choice": f"There is no {what} %(value)s."}
    )


class MonitoringFilterForm(FilterForm):
    """?force=cleveland"""

    def __init__(self, data, *, forces: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["force"] = _choice(label="Force", choices=[("", "Every force"), *forces], what="force")

    def selector_kwargs(self) -> dict:
        return {"force_slug": self.cleaned_data.get("force") or ""}


class RegisterFilterForm(FilterForm):
    """?force=bedfordshire&inspection=police-performance-getting-a-grip&deadline=past&response=none"""

    def __init__(self, data, *, forces: list[tuple[str, str]], inspections: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["force"] = _choice(label="Force", choices=[("", "Every force"), *forces], what="force")
        self.fields["inspection"] = _choice(
            label="Inspection", choices=[("", "Every inspection and PEEL report"), *inspections], what="inspection"
        )
        self.fields["deadline"] = _choice(label="Deadline", choices=DEADLINE_CHOICES, what="deadline choice")
        self.fields["response"] = _choice(label="Response", choices=RESPONSE_CHOICES, what="response choice")

    def selector_kwargs(self) -> dict:
        values = super().selector_kwargs()
        return {"force_slug": values["force"], **{k: values[k] for k in ("inspection", "deadline", "response")}}

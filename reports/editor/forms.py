"""Forms for editors: the grade sheet, the grades upload, and the admin forms that refuse to save over
someone else's change (optimistic locking)."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from forces.models import Force
from reports.editor.services import GradeEntry, StaleDataError, amendment_build, version_check
from reports.importers.document import ReportImportError
from reports.importers.pdf_file import PDF_MAGIC, pdf_text_extract
from reports.models import Grade, GradeAmendment, Question, Report, Round
from reports.vocabulary import GradeStatus, Pillar

NOT_KNOWN = ""
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
AMENDMENT_INCOMPLETE = "An amendment needs both the date HMICFRS changed the grade and the reason."


def source_url_field(**kwargs) -> forms.URLField:
    """An optional source address as the models store it (500 characters); typed without a scheme it gets https://."""
    return forms.URLField(required=False, max_length=500, assume_scheme="https", **kwargs)


def upload_size_check(upload) -> None:
    """ValidationError naming the size when an uploaded file is over the limit."""
    if upload.size > UPLOAD_MAX_BYTES:
        raise ValidationError(f"The file is {upload.size:,} bytes; the limit is {UPLOAD_MAX_BYTES:,}.")


def grade_choices(*, round_: Round, graded: bool = True) -> list[tuple[str, str]]:
    """The grades an editor may pick on a question of a round: not known, the round's own tiers (only
    where HMICFRS graded the question), then the statuses."""
    statuses = [(status.value, status.label) for status in GradeStatus if status != GradeStatus.GRADED]
    tiers = [(str(int(tier)), tier.label) for tier in round_.tiers] if graded else []
    return [(NOT_KNOWN, "Not known"), *tiers, *statuses]


# The grade sheet's field for each of the Grade model's fields a validation message can name.
SHEET_FIELD_OF = {"status": "grade", "tier": "grade", "source_url": "source_url", "source_type": "source_type"}
SHEET_FIELD_OF |= {"evidence": "evidence", "carried_over": "carried_over"}


def grade_choice_value(grade: Grade | None) -> str:
    if grade is None:
        return NOT_KNOWN
    return str(grade.tier) if grade.status == GradeStatus.GRADED else grade.status


def grade_choice_parse(value: str) -> tuple[str | None, int | None]:
    """(status, tier) for a grade choice; (None, None) for not known."""
    if value == NOT_KNOWN:
        return None, None
    if value.isdigit():
        return GradeStatus.GRADED, int(value)
    return value, None


class GradeSheetPickForm(forms.Form):
    """Which sheet to open: a round and a force."""

    round = forms.ModelChoiceField(queryset=Round.objects.latest_first(), to_field_name="slug", empty_label=None)
    force = forms.ModelChoiceField(queryset=Force.objects.all(), to_field_name="slug", empty_label=None)


class GradeSheetDefaultsForm(forms.Form):
    """Values for every row that leaves them empty: usually the one report all of a force's grades come from."""

    prefix = "sheet"

    source_url = source_url_field(
        label="Source address for rows without one",
        help_text="The report's address: used by every row whose own source address is empty.",
    )
    source_type = forms.CharField(required=False, max_length=200, initial="HMICFRS", label="Source type for rows without one")


class GradeSheetRowForm(forms.Form):
    """One question of the sheet: the grade, offering only the round's tiers, and where it comes from."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    grade = forms.ChoiceField(required=False)
    carried_over = forms.BooleanField(required=False)
    source_url = source_url_field()
    source_type = forms.CharField(required=False, max_length=200)
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    amended_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    amendment_reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, question: Question, grade: Grade | None, round_: Round, **kwargs) -> None:
        kwargs.setdefault("prefix", f"q{question.pk}")
        if grade is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": grade.version,
                    "grade": grade_choice_value(grade),
                    "carried_over": grade.carried_over,
                    "source_url": grade.source_url,
                    "source_type": grade.source_type,
                    "evidence": grade.evidence,
                },
            )
        super().__init__(*args, **kwargs)
        self.question = question
        self.existing = grade
        graded = question.graded or (grade is not None and grade.status == GradeStatus.GRADED)
        cast(forms.ChoiceField, self.fields["grade"]).choices = grade_choices(round_=round_, graded=graded)
        self.fields["grade"].error_messages["invalid_choice"] = (
            f"HMICFRS did not grade “{question.label}” in PEEL {round_.name}: choose Not known or one of the statuses."
            if not graded
            else "Choose one of the grades listed."
        )
        for name, what in (
            ("grade", "Grade"),
            ("carried_over", "Carried over"),
            ("source_url", "Source address"),
            ("source_type", "Source type"),
            ("evidence", "Evidence"),
            ("amended_on", "Date HMICFRS amended"),
            ("amendment_reason", "Reason for the amendment"),
        ):
            self.fields[name].label = what
            self.fields[name].widget.attrs["aria-label"] = f"{what}: {question.label}"

    @property
    def removes_grade(self) -> bool:
        """Whether saving this row would remove a grade we hold (call after is_valid())."""
        return self.existing is not None and self.cleaned_data.get("grade") == NOT_KNOWN

    def problems_add(self, problems: dict[str, list[str]]) -> None:
        """Model validation messages, each on the sheet field it concerns (the others on the row)."""
        for model_field, messages in problems.items():
            self.add_error(SHEET_FIELD_OF.get(model_field), messages)

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        # Mark the fields in error for assistive technology, pointing at the message next to them.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self.prefix}-{name}-error"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        status, _ = grade_choice_parse(cleaned.get("grade", NOT_KNOWN))
        if status is None and (cleaned.get("amended_on") or cleaned.get("amendment_reason")):
            self.add_error("grade", "An amendment needs the new grade.")
        if (cleaned.get("amended_on") is None) != (not cleaned.get("amendment_reason")):
            self.add_error("amended_on" if cleaned.get("amended_on") is None else "amendment_reason", AMENDMENT_INCOMPLETE)
        return cleaned

    def entry(self, *, force: Force, defaults: dict) -> GradeEntry:
        """The entry this row makes (call after is_valid())."""
        status, tier = grade_choice_parse(self.cleaned_data["grade"])
        source_url = self.cleaned_data["source_url"] or (defaults.get("source_url", "") if status else "")
        source_type = self.cleaned_data["source_type"] or (defaults.get("source_type", "") if status else "")
        return GradeEntry(
            force=force,
            question=self.question,
            status=status,
            tier=tier,
            carried_over=self.cleaned_data["carried_over"] if status else False,
            source_url=source_url,
            source_type=source_type,
            evidence=self.cleaned_data["evidence"],
            expected_version=self.cleaned_data["version"],
            amended_on=self.cleaned_data["amended_on"],
            amendment_reason=self.cleaned_data["amendment_reason"],
        )


class GradesUploadForm(forms.Form):
    """A CSV in the grades export's columns."""

    file = forms.FileField(label="Grades CSV", help_text="The same columns as the grades export (UTF-8).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_size_check(upload)
        return upload


def document_clean(cleaned: dict[str, Any], *, pdf: bool, missing: str) -> dict[str, Any]:
    """The text to import, in cleaned['document'], with the uploaded file's name (or '') in
    cleaned['source_document']: an uploaded PDF's text (pdf=True), an uploaded UTF-8 text file, or the
    pasted text; ValidationError naming the problem, or `missing` when there is none of them."""
    upload = cleaned.get("file")
    if upload is not None:
        upload_size_check(upload)
        data = upload.read()
        if pdf and (data.lstrip()[:5] == PDF_MAGIC or upload.name.lower().endswith(".pdf")):
            try:
                cleaned["document"] = pdf_text_extract(data=data, max_bytes=UPLOAD_MAX_BYTES)
            except ReportImportError as error:
                raise ValidationError(f"{upload.name}: {error.problem[:1].upper()}{error.problem[1:]}.") from None
        else:
            try:
                cleaned["document"] = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationError(f"The file is not UTF-8 text (byte {error.start + 1} cannot be read).") from None
        cleaned["source_document"] = upload.name
    elif cleaned.get("text", "").strip():
        cleaned["document"] = cleaned["text"]
        cleaned["source_document"] = ""
    else:
        raise ValidationError(missing)
    return cleaned


class ReportImportForm(forms.Form):
    """A report's text (pasted, or a UTF-8 text file) and what to assume where the text is silent."""

    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        label="Report text",
        help_text="Paste the text of the report's web page or PDF.",
    )
    file = forms.FileField(
        required=False,
        label="…or a file",
        help_text="The report's PDF as downloaded from HMICFRS, or UTF-8 text saved from its web page or PDF.",
    )
    force = forms.ModelChoiceField(
        queryset=Force.objects.all(), to_field_name="slug", required=False, empty_label="As the text says"
    )
    round = forms.ModelChoiceField(
        queryset=Round.objects.latest_first(), to_field_name="slug", required=False, empty_label="As the text says"
    )
    pillar = forms.ChoiceField(choices=[("", "As the text says"), *Pillar.choices], required=False)
    source_url = source_url_field(
        label="Source address",
        help_text="Where the text was taken from (else the text's own 'source:' line).",
    )
    overwrite_conflicts = forms.BooleanField(
        required=False, label="Where the report's grade disagrees with a grade already held, take the report's"
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        return document_clean(self.cleaned_data, pdf=True, missing="Paste the report's text or choose its PDF or a text file.")

    def import_kwargs(self) -> dict:
        """The arguments of reports.importers.service.report_import (call after is_valid())."""
        data = self.cleaned_data
        return {
            "text": data["document"],
            "force": data["force"].slug if data["force"] else None,
            "round": data["round"].slug if data["round"] else None,
            "pillar": data["pillar"] or None,
            "source_url": data["source_url"],
            "source_document": data["source_document"],
            "overwrite_conflicts": data["overwrite_conflicts"],
        }


# --- Admin forms ------------------------------------------------------------------------------------


def https_formfield(db_field, **kwargs):
    """Model form fields as Django 6 makes them: a URL typed without a scheme gets https://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over a change someone else saved after it was displayed.

    The hidden expected_version is the version stored when the form was shown (not the instance's own:
    a revert form from the history shows an old instance, and must lock against the current row)."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version_stored()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk is not None:
            try:
                what = f"This {self._meta.model._meta.verbose_name}"
                version_check(instance=self.instance, expected=cleaned.get("expected_version"), what=what)
            except StaleDataError as error:
                raise ValidationError(str(error), code="stale") from None
        return cleaned


class ReportAdminForm(VersionedModelForm):
    class Meta:
        model = Report
        formfield_callback = https_formfield
        fields = ["force", "round", "pillar", "title", "published", "last_updated", "source_url", "summary", "source_document"]


class GradeAdminForm(VersionedModelForm):
    """The grade form, plus an optional amendment: when HMICFRS changed a published grade, the date and
    reason go on the public change log of the force page."""

    amended_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="HMICFRS amended it on",
        help_text="Only when HMICFRS changed a published grade: the date of the change.",
    )
    amendment_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the amendment",
        help_text="As the source gives it.",
    )

    class Meta:
        model = Grade
        formfield_callback = https_formfield
        fields = [
            "force",
            "question",
            "report",
            "status",
            "tier",
            "carried_over",
            "summary",
            "source_url",
            "source_type",
            "evidence",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The grade as stored, before this form's changes: what an amendment records as the previous grade.
        stored = Grade.objects.filter(pk=self.instance.pk).values_list("status", "tier")
        self.previous = stored.first() if self.instance.pk else None
        self.amendment: GradeAmendment | None = None

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # ModelForm's model validation hook, absent from the stubs
        amended_on, reason = self.cleaned_data.get("amended_on"), self.cleaned_data.get("amendment_reason")
        if not (amended_on or reason) or self.errors:
            return
        if amended_on is None or not reason:
            self.add_error("amended_on", AMENDMENT_INCOMPLETE)
            return
        try:
            self.amendment = amendment_build(
                grade=self.instance,
                previous=self.previous,
                amended_on=amended_on,
                reason=reason,
                source_url=self.instance.source_url,
            )
        except ValidationError as error:
            self.add_error(None, error)


class FindingAdminForm(forms.ModelForm):
    """A cause of concern or area for improvement, locked on its report's version: two editors changing
    findings of the same report cannot overwrite each other."""

    expected_report_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.report_id:
            self.fields["expected_report_version"].initial = self.instance.report.version_stored()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk is not None and self.instance.report_id:
            try:
                version_check(instance=self.instance.report, expected=cleaned.get("expected_report_version"), what="This report")
            except StaleDataError as error:
                raise ValidationError(str(error), code="stale") from None
        return cleaned


class LetterImportForm(forms.Form):
    """A PCC response letter's text (pasted, or a UTF-8 text file) and the address it was published at."""

    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        label="Letter text",
        help_text="Paste the letter: its date line, the inspection it answers, its recommendations and its signature.",
    )
    file = forms.FileField(required=False, label="…or a text file", help_text="UTF-8 text.")
    source_url = source_url_field(
        label="Source address", help_text="Where the letter is published (else the text's own 'source:' line)."
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        return document_clean(self.cleaned_data, pdf=False, missing="Paste the letter's text or choose a text file.")

    def import_kwargs(self) -> dict:
        """The letter_import arguments (kept in the session between preview and confirm)."""
        return {
            "text": self.cleaned_data["document"],
            "source_url": self.cleaned_data.get("source_url") or "",
            "source_document": self.cleaned_data["source_document"],
        }

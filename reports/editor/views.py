"""Editor pages (under /editor/, in the admin's look): the grade sheet and the grades CSV upload.

Anonymous users are sent to the login page; logged-in users without the Editor or Administrator role
get 403. Each page is a thin layer over reports.editor.services.
"""

import secrets

from django.contrib import admin, messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from forces.models import Force
from peel.roles import user_has_role
from reports.accountability.letters import LetterImportError
from reports.accountability.services import letter_import
from reports.editor.forms import (
    GradeSheetDefaultsForm,
    GradeSheetPickForm,
    GradeSheetRowForm,
    GradesUploadForm,
    LetterImportForm,
    ReportImportForm,
)
from reports.editor.services import (
    EntriesInvalid,
    StaleDataError,
    grade_entry_problems,
    grade_sheet_rows,
    grades_write,
    upload_apply,
    upload_preview,
)
from reports.importers.document import ReportImportError
from reports.importers.service import ImportResult, report_pages_import
from reports.models import Report, Round

UPLOAD_SESSION_KEY = "grades_upload"
IMPORT_SESSION_KEY = "report_import"
LETTER_SESSION_KEY = "letter_import"


class EditorView(PermissionRequiredMixin, View):
    """A page for people with a role: login for anonymous users, 403 for anyone without the role."""

    permission_required: tuple[str, ...] = ("reports.change_grade",)

    def has_permission(self) -> bool:
        return user_has_role(self.request.user) and super().has_permission()

    def render(self, template: str, context: dict, *, status: int = 200):
        context = {**admin.site.each_context(self.request), **context}
        return render(self.request, template, context, status=status)


class EditorHomeView(EditorView):
    def get(self, request):
        return self.render("editor/home.html", {"title": "Editor tools", "pick": GradeSheetPickForm()})


class GradeSheetPickView(EditorView):
    """Choose a round and a force, then go to their grade sheet."""

    def get(self, request):
        pick = GradeSheetPickForm(request.GET or None)
        if pick.is_valid():
            chosen = pick.cleaned_data
            return redirect("editor:grade_sheet", round_slug=chosen["round"].slug, force_slug=chosen["force"].slug)
        return self.render("editor/home.html", {"title": "Editor tools", "pick": pick})


class GradeSheetView(EditorView):
    """One round, one force: a row per question of the round, saved all together or not at all."""

    permission_required = ("reports.add_grade", "reports.change_grade")

    def load(self, *, round_slug: str, force_slug: str) -> None:
        self.round = get_object_or_404(Round, slug=round_slug)
        self.force = get_object_or_404(Force, slug=force_slug)

    def get(self, request, round_slug: str, force_slug: str):
        self.load(round_slug=round_slug, force_slug=force_slug)
        return self.sheet(defaults=GradeSheetDefaultsForm(), rows=self.row_forms(data=None))

    def post(self, request, round_slug: str, force_slug: str):
        self.load(round_slug=round_slug, force_slug=force_slug)
        defaults = GradeSheetDefaultsForm(request.POST)
        rows = self.row_forms(data=request.POST)
        if not (defaults.is_valid() and all(form.is_valid() for form in rows)):
            return self.sheet(defaults=defaults, rows=rows, status=400)
        entries = [form.entry(force=self.force, defaults=defaults.cleaned_data) for form in rows]
        for form, entry in zip(rows, entries, strict=True):
            form.problems_add(grade_entry_problems(entry=entry))
        if any(form.errors for form in rows):
            return self.sheet(defaults=defaults, rows=rows, status=400)
        can_delete = request.user.has_perm("reports.delete_grade")
        removing = [form for form in rows if form.removes_grade]
        if removing and can_delete and request.POST.get("confirm_remove") != "yes":
            # Removing a grade is never a slip of the mouse: the sheet comes back asking to confirm.
            return self.sheet(defaults=defaults, rows=rows, status=200, removing=removing)
        try:
            counts = grades_write(
                entries=entries,
                change_reason=f"grade sheet {self.round.slug} {self.force.slug}",
                can_delete=can_delete,
            )
        except StaleDataError as error:
            return self.sheet(defaults=defaults, rows=rows, status=409, conflict=str(error))
        except EntriesInvalid as error:
            for index, problems in error.errors.items():
                rows[index].add_error(None, problems)
            return self.sheet(defaults=defaults, rows=rows, status=400)
        messages.success(
            request,
            f"Saved the PEEL {self.round.name} grades of {self.force.name}: {counts.created} new, {counts.changed} changed, "
            f"{counts.deleted} removed, {counts.unchanged} unchanged"
            + (f", {counts.amendments} amendment(s) recorded." if counts.amendments else "."),
        )
        return redirect("editor:grade_sheet", round_slug=self.round.slug, force_slug=self.force.slug)

    def row_forms(self, *, data) -> list[GradeSheetRowForm]:
        return [
            GradeSheetRowForm(data, question=question, grade=grade, round_=self.round)
            for question, grade in grade_sheet_rows(round_=self.round, force=self.force)
        ]

    def sheet(self, *, defaults, rows, status: int = 200, conflict: str = "", removing=()):
        has_errors = status == 400
        return self.render(
            "editor/grade_sheet.html",
            {
                "title": f"Grade sheet: {self.force.name}, PEEL {self.round.name}",
                "round": self.round,
                "force": self.force,
                "defaults": defaults,
                "rows": rows,
                "has_errors": has_errors,
                "error_count": sum(1 for form in rows if form.errors) + bool(defaults.errors),
                "conflict": conflict,
                "pick": GradeSheetPickForm(initial={"round": self.round.slug, "force": self.force.slug}),
                "can_delete": self.request.user.has_perm("reports.delete_grade"),
                "removing": removing,
            },
            status=status,
        )


class GradesUploadView(EditorView):
    """Upload a grades CSV: first a preview of what would change, then apply it on confirmation."""

    permission_required = ("reports.add_grade", "reports.change_grade")

    def get(self, request):
        return self.render("editor/upload.html", {"title": "Upload grades (CSV)", "form": GradesUploadForm()})

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = GradesUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render("editor/upload.html", {"title": "Upload grades (CSV)", "form": form}, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        preview = upload_preview(data=data)
        token = secrets.token_urlsafe(16)
        request.session[UPLOAD_SESSION_KEY] = {
            "token": token,
            "name": upload.name,
            "data": data.decode("utf-8-sig", errors="replace"),
            "versions": preview.versions(),
        }
        return self.render(
            "editor/upload_preview.html",
            {"title": f"Preview of {upload.name}", "preview": preview, "token": token, "filename": upload.name},
            status=200 if preview.can_apply or not (preview.invalid or preview.file_error) else 400,
        )

    def confirm(self, request):
        pending = request.session.get(UPLOAD_SESSION_KEY)
        if not pending or pending["token"] != request.POST.get("token"):
            messages.error(request, "This preview is no longer current (another file was uploaded since). Upload the file again.")
            return redirect("editor:upload")
        request.session.pop(UPLOAD_SESSION_KEY, None)
        try:
            counts = upload_apply(data=pending["data"].encode("utf-8"), versions=pending["versions"], filename=pending["name"])
        except StaleDataError as error:
            messages.error(request, str(error))
            return redirect("editor:upload")
        except (EntriesInvalid, ValidationError) as error:
            messages.error(request, f"Nothing was applied: {' '.join(getattr(error, 'messages', [str(error)]))}")
            return redirect("editor:upload")
        messages.success(
            request,
            f"Applied {pending['name']}: {counts.created} new, {counts.changed} changed, {counts.unchanged} unchanged.",
        )
        return redirect("editor:upload")


class PreviewOutdated(Exception):
    """The import would now change something other than what the editor confirmed."""

    def __init__(self, results: list[ImportResult]) -> None:
        self.results = results
        super().__init__("the data changed since the preview")


def import_changes(results: list[ImportResult]) -> list[list[str]]:
    """What each page of an import changes, in words, to compare a confirmation with its preview."""
    return [[str(change) for change in result.changes] for result in results]


class ReportImportView(EditorView):
    """Import a report's text (the importer): first a dry run showing what would change, page by page
    when the text holds several pages, then the import of every page on confirmation, in one
    transaction, refused if it would now change anything else."""

    permission_required = ("reports.add_report", "reports.change_report", "reports.add_grade", "reports.change_grade")
    title = "Import a report text"

    def get(self, request):
        return self.render("editor/import.html", {"title": self.title, "form": ReportImportForm()})

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ReportImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render("editor/import.html", {"title": self.title, "form": form}, status=400)
        kwargs = form.import_kwargs()
        try:
            results = report_pages_import(**kwargs, dry_run=True)
        except ReportImportError as error:
            form.add_error(None, f"Nothing was imported: {error}.")
            return self.render("editor/import.html", {"title": self.title, "form": form}, status=400)
        return self.preview(kwargs=kwargs, results=results)

    def preview(self, *, kwargs: dict, results: list[ImportResult], outdated: bool = False):
        token = secrets.token_urlsafe(16)
        self.request.session[IMPORT_SESSION_KEY] = {"token": token, "kwargs": kwargs, "changes": import_changes(results)}
        title = results[0].title if len(results) == 1 else f"{len(results)} reports from one text"
        return self.render(
            "editor/import_preview.html",
            {
                "title": f"Preview: {title}",
                "results": results,
                "changed": any(result.changes for result in results),
                "token": token,
                "outdated": outdated,
            },
            status=409 if outdated else 200,
        )

    def confirm(self, request):
        pending = request.session.pop(IMPORT_SESSION_KEY, None)
        if not pending or pending["token"] != request.POST.get("token"):
            messages.error(request, "This preview is no longer current (another text was previewed since). Preview it again.")
            return redirect("editor:import")
        try:
            with transaction.atomic():
                results = report_pages_import(**pending["kwargs"], dry_run=False)
                if import_changes(results) != pending["changes"]:
                    raise PreviewOutdated(results)
        except PreviewOutdated:
            # Rolled back: show what the import would do now, to be confirmed again.
            try:
                again = report_pages_import(**pending["kwargs"], dry_run=True)
            except ReportImportError as error:
                messages.error(request, f"Nothing was imported: {error}.")
                return redirect("editor:import")
            return self.preview(kwargs=pending["kwargs"], results=again, outdated=True)
        except ReportImportError as error:
            messages.error(request, f"Nothing was imported: {error}.")
            return redirect("editor:import")
        for result in results:
            messages.success(request, f"Imported {result.title}: {len(result.changes)} change(s).")
        if len(results) > 1:
            return redirect("admin:reports_report_changelist")
        result = results[0]
        report = Report.objects.filter(force=result.force, round=result.round, pillar=result.pillar).first()
        return redirect("admin:reports_report_change", report.pk) if report else redirect("editor:import")


class LetterImportView(EditorView):
    """Import a PCC response letter: first a dry run showing what the letter holds and what would
    change, then the import itself on confirmation, refused if it would now change anything else."""

    permission_required = ("reports.add_pccresponse", "reports.change_pccresponse", "reports.add_inspectionrecommendation")
    title = "Import a PCC response letter"

    def get(self, request):
        return self.render("editor/letter_import.html", {"title": self.title, "form": LetterImportForm()})

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = LetterImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render("editor/letter_import.html", {"title": self.title, "form": form}, status=400)
        kwargs = form.import_kwargs()
        try:
            result = letter_import(**kwargs, dry_run=True)
        except LetterImportError as error:
            form.add_error(None, f"Nothing was imported: {error}.")
            return self.render("editor/letter_import.html", {"title": self.title, "form": form}, status=400)
        return self.preview(kwargs=kwargs, result=result)

    def preview(self, *, kwargs: dict, result, outdated: bool = False):
        token = secrets.token_urlsafe(16)
        changes = [str(change) for change in result.changes]
        self.request.session[LETTER_SESSION_KEY] = {"token": token, "kwargs": kwargs, "changes": changes}
        context = {"title": f"Preview: {result.force.name} on {result.inspection_title}", "result": result, "token": token}
        return self.render(
            "editor/letter_import_preview.html", {**context, "outdated": outdated}, status=409 if outdated else 200
        )

    def confirm(self, request):
        pending = request.session.pop(LETTER_SESSION_KEY, None)
        if not pending or pending["token"] != request.POST.get("token"):
            messages.error(request, "This preview is no longer current (another letter was previewed since). Preview it again.")
            return redirect("editor:letter_import")
        try:
            with transaction.atomic():
                result = letter_import(**pending["kwargs"], dry_run=False)
                if [str(change) for change in result.changes] != pending["changes"]:
                    raise LetterPreviewOutdated
        except LetterPreviewOutdated:
            return self.preview(kwargs=pending["kwargs"], result=letter_import(**pending["kwargs"], dry_run=True), outdated=True)
        except LetterImportError as error:
            messages.error(request, f"Nothing was imported: {error}.")
            return redirect("editor:letter_import")
        messages.success(request, f"Imported the letter of {result.force.name}'s PCC: {len(result.changes)} change(s).")
        return redirect("pages:force_detail", slug=result.force.slug)


class LetterPreviewOutdated(Exception):
    """The letter import would now change something other than what the editor confirmed."""

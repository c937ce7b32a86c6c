"""The editors' write path (reports.editor.services): grades written all or nothing, with optimistic locking,
amendments, the CSV upload's preview and apply, and deleting and restoring reports."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from forces.models import Force
from reports.editor.services import (
    EntriesInvalid,
    GradeEntry,
    StaleDataError,
    grades_write,
    report_delete,
    report_restore,
    upload_apply,
    upload_preview,
)
from reports.models import CauseOfConcern, Grade, GradeAmendment, Question, Report
from reports.vocabulary import GradeStatus, Pillar, Tier
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    FiveTierRoundFactory,
    ForceFactory,
    GradeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
    pillar_questions,
)

SOURCE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/cumbria/"
HEADER = "round,force_slug,pillar,question_or_area,grade,carried_over,source_url,evidence,source_type\n"
E1 = '"E1 Preventing crime, tackling ASB and keeping people safe"'


def question(round_slug: str, slug: str) -> Question:
    return Question.objects.get(round__slug=round_slug, slug=slug)


def grade_of(force_slug: str, round_slug: str, slug: str) -> Grade | None:
    return Grade.objects.filter(force__slug=force_slug, question=question(round_slug, slug)).first()


@pytest.fixture
def peel_2016(db):
    """Cumbria, graded Good on effectiveness and efficiency overall in PEEL 2016, and Northumbria, with no grade yet;
    the 2016 effectiveness and efficiency questions as HMICFRS asked them."""
    cumbria = ForceFactory(name="Cumbria Constabulary", slug="cumbria")
    ForceFactory(name="Northumbria Police", slug="northumbria")
    questions = pillar_questions("2016", Pillar.EFFECTIVENESS) | pillar_questions("2016", Pillar.EFFICIENCY)
    for slug in ("overall-effectiveness", "overall-efficiency"):
        GradeFactory(force=cumbria, question=questions[slug], tier=Tier.GOOD, source_url=SOURCE, evidence="Good.")


def entry(force_slug: str, round_slug: str, slug: str, tier: Tier | None, **values) -> GradeEntry:
    existing = grade_of(force_slug, round_slug, slug)
    values.setdefault("expected_version", existing.version if existing else None)
    values.setdefault("source_url", SOURCE)
    return GradeEntry(
        force=Force.objects.get(slug=force_slug),
        question=question(round_slug, slug),
        status=values.pop("status", GradeStatus.GRADED if tier else None),
        tier=tier,
        **values,
    )


def test_grades_are_written_with_their_version_bumped_and_the_reason_in_their_history(peel_2016):
    before = grade_of("cumbria", "2016", "overall-effectiveness")
    counts = grades_write(
        entries=[
            entry("cumbria", "2016", "overall-effectiveness", Tier.REQUIRES_IMPROVEMENT),
            entry("cumbria", "2016", "e5", None, status=GradeStatus.NOT_INSPECTED),
        ],
        change_reason="grade sheet test",
    )
    assert (counts.created, counts.changed) == (1, 1)
    after = grade_of("cumbria", "2016", "overall-effectiveness")
    assert after.tier == Tier.REQUIRES_IMPROVEMENT
    assert after.version == before.version + 1
    assert after.history.first().history_change_reason == "grade sheet test"
    assert grade_of("cumbria", "2016", "e5").display_grade == "Not inspected"


def test_one_invalid_entry_writes_nothing(peel_2016):
    assert grade_of("northumbria", "2016", "e1") is None
    with pytest.raises(EntriesInvalid) as raised:
        grades_write(
            entries=[
                entry("northumbria", "2016", "e1", Tier.GOOD),
                entry("northumbria", "2016", "e4", Tier.ADEQUATE),
            ],
            change_reason="test",
        )
    assert list(raised.value.errors) == [1]
    assert "'Adequate' is not on the PEEL 2016 scale" in raised.value.errors[1][0]
    assert grade_of("northumbria", "2016", "e1") is None  # the valid first entry was not written either


def test_a_grade_changed_since_the_editor_loaded_it_is_not_overwritten(peel_2016):
    stale = entry("cumbria", "2016", "overall-effectiveness", Tier.OUTSTANDING)
    other = grade_of("cumbria", "2016", "overall-effectiveness")
    other.evidence += " (checked by someone else)"
    other.save()
    with pytest.raises(StaleDataError, match="Someone else changed Cumbria Constabulary · Overall effectiveness"):
        grades_write(entries=[stale], change_reason="test")
    assert grade_of("cumbria", "2016", "overall-effectiveness").evidence.endswith("(checked by someone else)")


def test_a_grade_created_by_someone_else_since_the_editor_loaded_the_sheet_is_not_overwritten(peel_2016):
    mine = entry("northumbria", "2016", "e1", Tier.GOOD)
    assert mine.expected_version is None
    grades_write(entries=[entry("northumbria", "2016", "e1", Tier.INADEQUATE)], change_reason="the other editor")
    with pytest.raises(StaleDataError):
        grades_write(entries=[mine], change_reason="test")
    assert grade_of("northumbria", "2016", "e1").tier == Tier.INADEQUATE


def test_only_an_administrator_may_turn_a_known_grade_back_into_not_known(peel_2016):
    with pytest.raises(EntriesInvalid, match="Only an administrator"):
        grades_write(entries=[entry("cumbria", "2016", "overall-effectiveness", None)], change_reason="test")
    counts = grades_write(
        entries=[entry("cumbria", "2016", "overall-effectiveness", None)], change_reason="test", can_delete=True
    )
    assert counts.deleted == 1
    assert grade_of("cumbria", "2016", "overall-effectiveness") is None
    deleted = Grade.history.filter(history_type="-").latest("history_date")
    assert deleted.tier is not None and deleted.history_change_reason == "test"


def test_an_amendment_records_the_change_with_its_date_and_reason(peel_2016):
    counts = grades_write(
        entries=[
            entry(
                "cumbria",
                "2016",
                "overall-effectiveness",
                Tier.REQUIRES_IMPROVEMENT,
                amended_on=date(2017, 5, 1),
                amendment_reason="The force supplied wrong data.",
            )
        ],
        change_reason="test",
    )
    assert counts.amendments == 1
    amendment = GradeAmendment.objects.get(grade=grade_of("cumbria", "2016", "overall-effectiveness"))
    assert (amendment.previous_display, amendment.new_display) == ("Good", "Requires improvement")
    assert amendment.source_url == SOURCE


@pytest.mark.parametrize(
    ("tier", "amended_on", "problem"),
    [
        (Tier.GOOD, date(2017, 5, 1), "An amendment records a change to a published grade"),
        (Tier.INADEQUATE, date(2019, 1, 1), "01/01/2019 is outside PEEL 2016 (01/01/2016 to 31/12/2017)"),
    ],
)
def test_an_amendment_without_a_change_of_grade_or_outside_the_round_is_refused(peel_2016, tier, amended_on, problem):
    with pytest.raises(EntriesInvalid, match=problem.replace("(", r"\(").replace(")", r"\)")):
        grades_write(
            entries=[entry("cumbria", "2016", "overall-effectiveness", tier, amended_on=amended_on, amendment_reason="x")],
            change_reason="test",
        )
    assert not GradeAmendment.objects.filter(grade__force__slug="cumbria").exists()


def test_an_amendment_must_fall_inside_its_round_and_change_the_grade(db):
    grade = GradeFactory(question__round=RoundFactory(slug="2023-25"), tier=Tier.GOOD)
    amendment = GradeAmendment(
        grade=grade,
        amended_on=date(2027, 1, 1),
        previous_tier=Tier.GOOD,
        new_tier=Tier.GOOD,
        reason="x",
        source_url="https://example.org/",
    )
    with pytest.raises(ValidationError) as raised:
        amendment.save()
    assert "01/01/2027 is outside PEEL 2023–25" in str(raised.value)
    assert "the new grade is the same as the previous one" in str(raised.value)


# --- upload --------------------------------------------------------------------------------------


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


def csv_row(existing: Grade, **changes: str) -> str:
    """A grade as a line of the upload, with some values changed."""
    values = {
        "round": existing.question.round.name,
        "force_slug": existing.force.slug,
        "pillar": existing.question.pillar,
        "question_or_area": existing.question.label,
        "grade": existing.display_grade,
        "carried_over": "yes" if existing.carried_over else "no",
        "source_url": existing.source_url,
        "evidence": existing.evidence,
        "source_type": existing.source_type,
        **changes,
    }
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values.values())
    return buffer.getvalue()


def test_the_preview_says_what_is_new_changed_and_unchanged(peel_2016):
    effectiveness = grade_of("cumbria", "2016", "overall-effectiveness")
    efficiency = grade_of("cumbria", "2016", "overall-efficiency")
    preview = upload_preview(
        data=csv_bytes(
            f"2016,northumbria,Effectiveness,{E1},Good,no,{SOURCE},,HMICFRS",
            csv_row(effectiveness, grade="Requires improvement"),
            csv_row(efficiency),
        )
    )
    assert (preview.file_error, preview.invalid) == ("", [])
    assert [(row.line, row.action) for row in preview.rows] == [(2, "new"), (3, "changed"), (4, "unchanged")]
    assert preview.rows[1].changed_fields == ["tier"]
    assert (preview.rows[1].before, preview.rows[1].after) == ("Good", "Requires improvement")
    assert preview.can_apply


def test_every_invalid_row_is_listed_with_its_line_and_reason(peel_2016):
    preview = upload_preview(
        data=csv_bytes(
            f"2016,northumbria,Effectiveness,{E1},Adequate,no,{SOURCE},,HMICFRS",
            f'2016,northumbria,Effectiveness,E4 Tackling serious and organised crime,Good,no,{SOURCE},"two\nlines",HMICFRS',
            f"2016,northumbria,Effectiveness,{E1},Good,no,,,HMICFRS",
            f"2016,gotham,Effectiveness,Overall effectiveness,Good,no,{SOURCE},,HMICFRS",
            f"2016,northumbria,Effectiveness,E4 Tackling serious and organised crime,Good,no,{SOURCE},,HMICFRS",
            f"2016,northumbria,Effectiveness,Overall effectiveness,Good,maybe,{SOURCE},,HMICFRS",
            f"2016,northumbria,Effectiveness,Bravery,Good,no,{SOURCE},,HMICFRS",
        )
    )
    assert preview.invalid == [
        (2, "grade 'Adequate' is not on the PEEL 2016 scale (Outstanding, Good, Requires improvement, Inadequate)"),
        (5, "source url: A grade needs the address of its source (for a seed document: source type 'SEED: <file>')."),
        (6, "unknown force 'gotham'"),
        (7, "a second grade for Northumbria Police · E4 Tackling serious and organised crime (the first is on line 3)"),
        (8, "carried_over must be yes or no, not 'maybe'"),
        (9, "no question 'Bravery' in PEEL 2016"),
    ]
    assert not preview.can_apply


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "The file is empty"),
        (b"round,force\n2016,x\n", "Missing column(s): force_slug, question_or_area, grade"),
        ("round,force_slug\n2016,caf\xe9\n".encode("latin-1"), "The file is not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_a_grades_csv_is_refused_whole(data, problem):
    preview = upload_preview(data=data)
    assert preview.file_error.startswith(problem)
    assert not preview.can_apply


def test_a_file_with_one_bad_row_applies_nothing(peel_2016):
    data = csv_bytes(
        f"2016,northumbria,Effectiveness,E4 Tackling serious and organised crime,Good,no,{SOURCE},,HMICFRS",
        f"2016,northumbria,Effectiveness,Overall effectiveness,Adequate,no,{SOURCE},,HMICFRS",
    )
    preview = upload_preview(data=data)
    assert preview.invalid and not preview.can_apply
    with pytest.raises(ValidationError, match="nothing was applied"):
        upload_apply(data=data, versions=preview.versions(), filename="bad.csv")
    assert grade_of("northumbria", "2016", "e4") is None


def test_a_confirmed_upload_applies_every_row_at_once(peel_2016):
    data = csv_bytes(
        f"2016,northumbria,Effectiveness,E4 Tackling serious and organised crime,Good,no,{SOURCE},,HMICFRS",
        f"2016,cumbria,Effectiveness,Overall effectiveness,Requires improvement,no,{SOURCE},,HMICFRS",
    )
    preview = upload_preview(data=data)
    counts = upload_apply(data=data, versions=preview.versions(), filename="good.csv")
    assert (counts.created, counts.changed) == (1, 1)
    assert grade_of("northumbria", "2016", "e4").history.first().history_change_reason == "CSV upload good.csv"
    assert grade_of("cumbria", "2016", "overall-effectiveness").tier == Tier.REQUIRES_IMPROVEMENT


def test_an_upload_is_refused_when_a_grade_changed_after_its_preview(peel_2016):
    data = csv_bytes(f"2016,cumbria,Effectiveness,Overall effectiveness,Inadequate,no,{SOURCE},,HMICFRS")
    preview = upload_preview(data=data)
    grades_write(entries=[entry("cumbria", "2016", "overall-effectiveness", Tier.OUTSTANDING)], change_reason="other")
    with pytest.raises(StaleDataError, match="after the preview"):
        upload_apply(data=data, versions=preview.versions(), filename="late.csv")
    assert grade_of("cumbria", "2016", "overall-effectiveness").tier == Tier.OUTSTANDING


# --- reports -------------------------------------------------------------------------------------


@pytest.fixture
def report(db):
    """Cumbria's PEEL 2023–25 report with a cause of concern, its recommendation, an area for improvement, and
    two of the force's grades."""
    report = ReportFactory(
        force=ForceFactory(name="Cumbria Constabulary", slug="cumbria"),
        round=RoundFactory(slug="2023-25"),
        title="PEEL 2023–25 Cumbria",
        published=date(2024, 3, 1),
    )
    cause = CauseOfConcernFactory(report=report, position=1, text="The force does not answer calls quickly enough.")
    RecommendationFactory(cause=cause, position=1, text="Answer 999 calls within ten seconds.")
    AreaForImprovementFactory(report=report, position=1, text="Supervise investigations.")
    GradeFactory.create_batch(2, force=report.force, question__round=report.round, report=report)
    return report


def test_a_deleted_report_is_restored_with_its_findings_and_grades(report):
    grade_ids = list(report.grades.values_list("pk", flat=True))
    assert len(grade_ids) == 2
    report_id = report.pk
    report_delete(report=report)
    assert not Report.objects.filter(pk=report_id).exists()
    assert not CauseOfConcern.objects.filter(report_id=report_id).exists()
    assert Grade.objects.filter(pk__in=grade_ids, report__isnull=True).count() == len(grade_ids)

    restored = report_restore(report_id=report_id)
    assert restored.title == "PEEL 2023–25 Cumbria"
    cause = restored.causes_of_concern.get()
    assert cause.recommendations.get().text == "Answer 999 calls within ten seconds."
    assert restored.areas_for_improvement.get().text == "Supervise investigations."
    assert sorted(restored.grades.values_list("pk", flat=True)) == sorted(grade_ids)
    assert [record.history_type for record in Report.history.filter(id=report_id).order_by("history_date")] == ["+", "-", "+"]


def test_a_report_that_exists_cannot_be_restored(report):
    with pytest.raises(ValidationError, match="nothing to restore"):
        report_restore(report_id=report.pk)


# --- round trip with the grades export ------------------------------------------------------------


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def grades_of_every_kind(peel_2016):
    """Nine grades beside peel_2016's, six of them Cumbria's: every status, carried over or not whatever the evidence
    says, evidence a spreadsheet would take for a formula or holding commas, quotes and a line break, a seed
    document without an address, a question cited by its name alone, a themed 2021/22 area."""
    cumbria, northumbria = Force.objects.get(slug="cumbria"), Force.objects.get(slug="northumbria")
    questions = {question.slug: question for question in Question.objects.filter(round__slug="2016")}
    area = QuestionFactory(round=FiveTierRoundFactory(), theme=ThemeFactory())
    cited_by_name = QuestionFactory(
        round=RoundFactory(slug="2014"), code="E-2014 investigating offending", short_name="Investigating offending"
    )
    GradeFactory(
        force=cumbria, question=questions["e1"], carried_over=False, evidence="E1 carried over from 2015, the force says"
    )
    GradeFactory(force=cumbria, question=questions["e2"], tier=Tier.INADEQUATE, carried_over=True)
    GradeFactory(
        force=cumbria, question=questions["e5"], status=GradeStatus.UNGRADED, tier=None, evidence='"Not graded", then:\nno more.'
    )
    GradeFactory(
        force=cumbria,
        question=questions["ef1"],
        tier=Tier.OUTSTANDING,
        evidence="=1+1",
        source_url="",
        source_type="SEED: notes.docx",
    )
    GradeFactory(force=cumbria, question=questions["ef2"], status=GradeStatus.NOT_INSPECTED, tier=None)
    GradeFactory(force=cumbria, question=area, tier=Tier.ADEQUATE, evidence="+ adequate overall")
    GradeFactory(force=northumbria, question=area, status=GradeStatus.NOT_GRADED, tier=None)
    GradeFactory(force=northumbria, question=questions["e4"], tier=Tier.INADEQUATE, evidence="@night, calls wait; -5% answered")
    GradeFactory(force=northumbria, question=cited_by_name, tier=Tier.REQUIRES_IMPROVEMENT)


@pytest.mark.parametrize("url", ["/data/grades.csv", "/forces/cumbria/summary.csv"])
def test_an_export_uploaded_back_unchanged_changes_nothing(client, grades_of_every_kind, url):
    preview = upload_preview(data=download(client, url))
    assert (preview.file_error, preview.invalid, preview.ignored_columns) == ("", [], [])
    # peel_2016's two grades and grades_of_every_kind's nine; eight of the eleven are Cumbria's.
    expected = {"/data/grades.csv": 11, "/forces/cumbria/summary.csv": 8}[url]
    assert preview.count("unchanged") == len(preview.rows) == expected
    assert not preview.can_apply


def test_an_edited_export_applies_just_the_edit_and_restores_escaped_cells(client, grades_of_every_kind):
    import pandas as pd

    grade = grade_of("cumbria", "2016", "overall-effectiveness")
    grade.evidence = "=HYPERLINK(1) is what the page said"
    grade.save()
    frame = pd.read_csv(io.BytesIO(download(client, "/forces/cumbria/summary.csv")), dtype=str, keep_default_na=False)
    row = frame.index[(frame["round"] == "2016") & (frame["question_or_area"] == "Overall effectiveness")][0]
    assert frame.loc[row, "evidence"].startswith("'=")
    frame.loc[row, "grade"] = "Requires improvement"
    data = frame.to_csv(index=False).encode("utf-8")

    preview = upload_preview(data=data)
    assert [(r.entry.question.slug, r.changed_fields) for r in preview.rows if r.action != "unchanged"] == [
        ("overall-effectiveness", ["tier"])
    ]
    upload_apply(data=data, versions=preview.versions(), filename="cumbria.csv")
    grade.refresh_from_db()
    assert (grade.tier, grade.evidence) == (Tier.REQUIRES_IMPROVEMENT, "=HYPERLINK(1) is what the page said")


@pytest.fixture
def rival_creates_the_grade_first(monkeypatch):
    """Another editor's grade for Northumbria 2016 E1 lands between this write's row locks and its insert."""
    from reports.editor import services

    original = services.grade_entry_write

    def write_after_the_rival(*, grade, entry, **kwargs):
        if grade is None:
            Grade.objects.create(
                force=entry.force, question=entry.question, status=GradeStatus.GRADED, tier=Tier.INADEQUATE, source_url=SOURCE
            )
        return original(grade=grade, entry=entry, **kwargs)

    monkeypatch.setattr(services, "grade_entry_write", write_after_the_rival)


def test_a_race_to_create_the_same_grade_is_someone_else_changed_it_not_already_exists(peel_2016, rival_creates_the_grade_first):
    with pytest.raises(StaleDataError, match="Someone else changed Northumbria Police · E1"):
        grades_write(entries=[entry("northumbria", "2016", "e1", Tier.GOOD)], change_reason="test")


def test_a_race_the_unique_check_cannot_see_is_caught_at_the_insert(peel_2016, rival_creates_the_grade_first, monkeypatch):
    # In a real race the rival's row is not committed yet when the model checks its constraints; only the insert fails.
    monkeypatch.setattr(Grade, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(StaleDataError, match="Someone else changed"):
        grades_write(entries=[entry("northumbria", "2016", "e1", Tier.GOOD)], change_reason="test")


def test_a_race_to_create_the_same_grade_on_the_sheet_answers_409(client, editor, peel_2016, rival_creates_the_grade_first):
    from tests.reports.test_editor_views import SHEET, prefix, sheet_data

    client.force_login(editor)
    data = sheet_data(client)
    data["sheet-source_url"] = SOURCE
    data[f"{prefix('ef1')}-grade"] = str(Tier.GOOD)
    response = client.post(SHEET, data)
    assert response.status_code == 409
    assert "Someone else changed" in response.content.decode()


@pytest.mark.parametrize("first_row_long", [False, True])
def test_a_row_longer_than_the_header_is_named_as_such(peel_2016, first_row_long):
    long_row = f"2016,cumbria,Effectiveness,{E1},Good,no,{SOURCE},evidence,HMICFRS,surplus\n"
    normal_row = f"2016,cumbria,Effectiveness,{E1},Good,no,{SOURCE},evidence,HMICFRS\n"
    rows = long_row + normal_row if first_row_long else normal_row + long_row
    preview = upload_preview(data=(HEADER + rows).encode())
    line = 2 if first_row_long else 3
    assert preview.file_error == (
        f"The row on line {line} has more cells than the header (10 against 9); a value holding a comma must be in double quotes"
    )
    assert "unknown round" not in preview.file_error

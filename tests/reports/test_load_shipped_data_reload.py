"""`load_shipped_data --reload` over a database editors have changed: history rows, versions that only go
up, conflicts listed with nothing written. Each test states its own shipped data (written from factories)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from forces.models import Force
from reports.editor.services import GradeEntry, grades_write
from reports.facts.reload import RELOAD_REASON
from reports.models import DataVersion, Grade, Question, Round
from reports.vocabulary import GradeStatus, Tier
from tests.factories import GradeFactory


def shipped_data_write(*, directory: Path, version_of: dict[int, int] | None = None) -> None:
    """Write the rows the test made as the shipped fixtures (as build_fixtures would), optionally shipping
    some grades (by pk) at another version."""
    objects = [*Force.objects.order_by("pk"), *Round.objects.order_by("pk"), *Question.objects.order_by("pk")]
    (directory / "rounds.json").write_text(serializers.serialize("json", objects, indent=1), encoding="utf-8")
    rows = json.loads(serializers.serialize("json", Grade.objects.order_by("pk")))
    for row in rows:
        row["fields"]["version"] = (version_of or {}).get(row["pk"], row["fields"]["version"])
    (directory / "grades.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


def editor_write(*, grade: Grade, evidence: str = "", tier: int | None = None, status: str | None = GradeStatus.GRADED) -> None:
    """Change (or, with status None, delete) a grade through the editor's write path."""
    entry = GradeEntry(
        force=grade.force,
        question=grade.question,
        status=status,
        tier=tier if tier is not None else grade.tier,
        source_url=grade.source_url,
        source_type=grade.source_type,
        evidence=evidence,
        expected_version=grade.version,
    )
    grades_write(entries=[entry], change_reason="editor", can_delete=True)


def test_a_reload_that_reverts_an_editors_change_records_it_in_the_history_and_raises_the_version(db, tmp_path, settings):
    grade = GradeFactory(tier=Tier.GOOD)
    shipped_data_write(directory=tmp_path)
    settings.FIXTURES_DIR = tmp_path
    editor_write(grade=grade, tier=Tier.OUTSTANDING, evidence="an editor's correction")
    grade.refresh_from_db()
    editor_write(grade=grade, tier=Tier.OUTSTANDING, evidence="an editor's second correction")
    grade.refresh_from_db()
    assert grade.version == 3

    out = StringIO()
    call_command("load_shipped_data", "--reload", stdout=out)

    grade.refresh_from_db()
    assert (grade.tier, grade.evidence) == (Tier.GOOD, "")
    assert grade.version == 4
    latest = grade.history.order_by("-history_id").first()
    assert latest.history_change_reason == RELOAD_REASON
    assert (latest.tier, latest.version, latest.history_type) == (Tier.GOOD, 4, "~")
    reasons = list(grade.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-3:] == ["editor", "editor", RELOAD_REASON]
    assert "reports.Grade 1" in out.getvalue()


def test_a_reload_never_sends_a_version_backwards_even_when_the_shipped_version_is_higher(db, tmp_path, settings):
    grade = GradeFactory(tier=Tier.GOOD)
    shipped_data_write(directory=tmp_path, version_of={grade.pk: 7})
    settings.FIXTURES_DIR = tmp_path
    editor_write(grade=grade, tier=Tier.INADEQUATE)

    call_command("load_shipped_data", "--reload", verbosity=0, stdout=StringIO())

    grade.refresh_from_db()
    assert (grade.tier, grade.version) == (Tier.GOOD, 8)


def test_a_reload_leaves_rows_equal_to_the_shipped_ones_untouched(db, tmp_path, settings):
    grades = GradeFactory.create_batch(3)
    shipped_data_write(directory=tmp_path)
    settings.FIXTURES_DIR = tmp_path
    data_version, history_rows = DataVersion.objects.get(pk=1).version, Grade.history.count()

    out = StringIO()
    call_command("load_shipped_data", "--reload", stdout=out)

    assert "changed none; added none" in out.getvalue()
    assert [Grade.objects.get(pk=grade.pk).version for grade in grades] == [1, 1, 1]
    assert Grade.history.count() == history_rows
    assert DataVersion.objects.get(pk=1).version == data_version


def test_a_shipped_grade_an_editor_deleted_is_added_back_with_a_version_above_its_history(db, tmp_path, settings):
    grade = GradeFactory()
    shipped_data_write(directory=tmp_path)
    settings.FIXTURES_DIR = tmp_path
    editor_write(grade=grade, tier=Tier.INADEQUATE)
    grade.refresh_from_db()
    editor_write(grade=grade, status=None)
    assert not Grade.objects.filter(pk=grade.pk).exists()

    call_command("load_shipped_data", "--reload", verbosity=0, stdout=StringIO())

    restored = Grade.objects.get(pk=grade.pk)
    assert (restored.tier, restored.version) == (Tier.GOOD, 3)
    latest = restored.history.order_by("-history_id").first()
    assert (latest.history_change_reason, latest.history_type) == (RELOAD_REASON, "+")
    assert GradeFactory(force=restored.force).pk > restored.pk  # the id sequence moved past the shipped ids


def test_a_shipped_grade_deleted_and_recreated_by_an_editor_is_reported_as_a_conflict_and_nothing_is_written(
    db, tmp_path, settings
):
    grade, other = GradeFactory(), GradeFactory(tier=Tier.GOOD)
    shipped_data_write(directory=tmp_path)
    settings.FIXTURES_DIR = tmp_path
    editor_write(grade=other, tier=Tier.INADEQUATE)
    editor_write(grade=grade, status=None)
    recreated = GradeFactory(force=grade.force, question=grade.question, tier=Tier.OUTSTANDING)
    assert recreated.pk != grade.pk

    with pytest.raises(CommandError) as raised:
        call_command("load_shipped_data", "--reload", verbosity=0, stdout=StringIO())

    message = str(raised.value)
    assert "nothing written" in message
    assert f"reports.Grade {grade.pk}" in message
    held = f"force_id={grade.force_id}, question_id={grade.question_id}"
    assert f"{held} is already held by reports.Grade {recreated.pk}" in message
    assert "IntegrityError" not in message
    assert not Grade.objects.filter(pk=grade.pk).exists()
    assert Grade.objects.get(pk=other.pk).tier == Tier.INADEQUATE  # the reload's other change was not written either
    assert not Grade.history.filter(history_change_reason=RELOAD_REASON).exists()

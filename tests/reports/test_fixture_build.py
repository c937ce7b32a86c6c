import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from forces.models import Force
from peel.sources import SourceError
from reports.caching import data_version_get
from reports.facts.services import grade_facts_load
from reports.models import Grade, MoverPair
from reports.summaries import movers_summary_current, movers_summary_rebuild

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sources_copy(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "fixtures" / "sources", sources)
    return sources


def build(sources: Path, out: Path) -> None:
    out.mkdir(exist_ok=True)
    call_command("build_fixtures", sources=sources, out=out, stdout=StringIO())


def test_the_check_finds_the_committed_fixtures_equal_to_a_fresh_build_and_names_a_stale_file(tmp_path):
    # One build (seconds): every committed file must equal the fresh build's bytes, so a file left over
    # that the build no longer writes is the only one named.
    committed = tmp_path / "committed"
    shutil.copytree(ROOT / "fixtures", committed, ignore=shutil.ignore_patterns("sources"))
    (committed / "left-over.json").write_text("[]\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("build_fixtures", sources=ROOT / "fixtures" / "sources", out=committed, check=True, stdout=StringIO())
    assert str(error.value) == (
        "fixtures differ from a fresh build of the sources: left-over.json; run `python manage.py build_fixtures`"
    )


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.fixture
def bedfordshire_sources(sources_copy):
    """The shipped sources with only Bedfordshire's grades and no counts, amendments or monitoring: a
    load reaches a bad grade row in a fraction of a second instead of after a full build."""
    grades = sources_copy / "grades.csv"
    header, *rows = grades.read_text(encoding="utf-8").splitlines(keepends=True)
    grades.write_text(header + "".join(row for row in rows if ",bedfordshire," in row), encoding="utf-8")
    for name in ("grade_counts.csv", "amendments.csv", "monitoring.csv"):
        path = sources_copy / name
        path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    return sources_copy


def assert_load_fails_writing_nothing(sources: Path, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        grade_facts_load(sources_dir=sources)
    assert not Force.objects.exists() and not Grade.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "2016,bedfordshire,Effectiveness,Overall effectiveness",
            "2016,gotham,Effectiveness,Overall effectiveness",
            "unknown force 'gotham'",
        ),
        (
            "2016,bedfordshire,Effectiveness,Overall effectiveness",
            "2016,bedfordshire,Effectiveness,Overall bravery",
            "no question 'Overall bravery' in PEEL 2016",
        ),
        (
            "2016,bedfordshire,Effectiveness,Overall effectiveness",
            "2012,bedfordshire,Effectiveness,Overall effectiveness",
            "unknown round '2012'",
        ),
    ],
)
def test_a_grade_row_that_cannot_be_mapped_fails_the_load_naming_file_line_and_problem(bedfordshire_sources, old, new, problem):
    grades = bedfordshire_sources / "grades.csv"
    replace_in(grades, old, new)
    assert_load_fails_writing_nothing(bedfordshire_sources, f"grades.csv line {line_of(grades, new)}: {problem}")


@pytest.mark.django_db
def test_a_grade_off_the_rounds_scale_fails_the_load(bedfordshire_sources):
    grades = bedfordshire_sources / "grades.csv"
    line = line_of(grades, "2016,bedfordshire,Effectiveness,Overall effectiveness")
    lines = grades.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(",Inadequate,", ",Adequate,", 1)
    grades.write_text("".join(lines), encoding="utf-8")
    assert_load_fails_writing_nothing(
        bedfordshire_sources, f"grades.csv line {line}: grade 'Adequate' is not on the PEEL 2016 scale"
    )


def test_a_failed_build_leaves_the_committed_fixtures_untouched(sources_copy, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(ROOT / "fixtures", out, ignore=shutil.ignore_patterns("sources"))
    before = {path.name: path.read_bytes() for path in out.glob("*.json")}
    replace_in(sources_copy / "forces.csv", ",England,", ",Scotland,")
    with pytest.raises(CommandError, match="forces.csv line 2: unknown country 'Scotland'"):
        build(sources_copy, out)
    assert {path.name: path.read_bytes() for path in out.glob("*.json")} == before


@pytest.mark.django_db
def test_loading_the_grade_facts_bumps_the_data_version_once_and_leaves_the_movers_summary_current(bedfordshire_sources):
    before = data_version_get()
    grade_facts_load(sources_dir=bedfordshire_sources)
    assert data_version_get() == before + 1
    assert movers_summary_current()
    pairs = sorted(MoverPair.objects.values_list("from_grade_id", "to_grade_id"))
    movers_summary_rebuild()
    assert pairs and pairs == sorted(MoverPair.objects.values_list("from_grade_id", "to_grade_id"))

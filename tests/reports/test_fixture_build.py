import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sources_copy(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "fixtures" / "sources", sources)
    return sources


def build(sources: Path, out: Path) -> None:
    out.mkdir(exist_ok=True)
    call_command("build_fixtures", sources=sources, out=out, stdout=StringIO())


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory) -> Path:
    """One build of the shipped sources, shared by the tests below (a build takes seconds)."""
    out = tmp_path_factory.mktemp("fresh-build")
    build(ROOT / "fixtures" / "sources", out)
    return out


def test_committed_fixtures_equal_a_fresh_build_of_the_sources(fresh_build):
    built = sorted(path.name for path in fresh_build.glob("*.json"))
    assert built == sorted(path.name for path in (ROOT / "fixtures").glob("*.json"))
    for name in built:
        assert (fresh_build / name).read_bytes() == (ROOT / "fixtures" / name).read_bytes(), f"{name}: run build_fixtures"


def test_two_builds_of_the_same_sources_are_byte_identical_as_the_check_option_reports(fresh_build):
    # --check builds again and compares byte for byte with --out: here, the first build.
    output = StringIO()
    call_command("build_fixtures", sources=ROOT / "fixtures" / "sources", out=fresh_build, check=True, stdout=output)
    assert output.getvalue().strip().endswith("fixtures are up to date")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


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
def test_a_grade_row_that_cannot_be_mapped_fails_the_build_naming_file_line_and_problem(
    sources_copy, tmp_path, old, new, problem
):
    grades = sources_copy / "grades.csv"
    replace_in(grades, old, new)
    with pytest.raises(CommandError, match=f"grades.csv line {line_of(grades, new)}: {problem}"):
        build(sources_copy, tmp_path / "out")


def test_a_grade_off_the_rounds_scale_fails_the_build(sources_copy, tmp_path):
    grades = sources_copy / "grades.csv"
    needle = "2016,bedfordshire,Effectiveness,Overall effectiveness"
    line = line_of(grades, needle)
    lines = grades.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(",Inadequate,", ",Adequate,", 1)
    grades.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match=f"grades.csv line {line}: grade 'Adequate' is not on the PEEL 2016 scale"):
        build(sources_copy, tmp_path / "out")


def test_a_failed_build_leaves_the_committed_fixtures_untouched(fresh_build, sources_copy, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(fresh_build, out)
    before = {path.name: path.read_bytes() for path in out.glob("*.json")}
    replace_in(sources_copy / "forces.csv", ",England,", ",Scotland,")
    with pytest.raises(CommandError, match="forces.csv line 2: unknown country 'Scotland'"):
        build(sources_copy, out)
    assert {path.name: path.read_bytes() for path in out.glob("*.json")} == before

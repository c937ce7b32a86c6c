"""Mutated report texts (cut short, lines deleted or doubled, sections shuffled, odd whitespace)
either import cleanly or fail with a clear error, and a failed import changes nothing."""

import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forces.models import Force
from reports.importers.document import ReportImportError
from reports.importers.service import report_import, report_pages_import
from reports.models import Grade, Round
from tests.factories import GradeFactory
from tests.reports import test_import_corpus as corpus_cases
from tests.reports.importers import bedfordshire_2016 as truth
from tests.reports.test_import import snapshot

pytestmark = pytest.mark.usefixtures("peel_reference")


@pytest.fixture(autouse=True)
def bedfordshire_grade_facts(peel_reference):
    """Bedfordshire's 2016 effectiveness grades as the grade facts hold them: imports attach to these."""
    round_ = Round.objects.get(slug="2016")
    force = Force.objects.get(slug="bedfordshire")
    for slug, word in truth.GRADES.items():
        status, tier = round_.grade_word_parse(word)
        question = round_.questions.get(pillar="Effectiveness", slug=slug)
        GradeFactory(force=force, question=question, status=status, tier=tier)


SEEDS = {
    "web": truth.WEB.read_text(encoding="utf-8").split("\n"),
    "pdf": truth.PDF.read_text(encoding="utf-8").split("\n"),
}
# Where each layout's question sections start, for shuffling whole sections.
SECTION_START = {"web": re.compile(r"^\d{1,2}$"), "pdf": re.compile(r"^Summary of findings$")}
ODD_SPACES = ["  ", "\t", "\u00a0", " \u00a0 ", ""]
# 60 examples per layout: both tests together take ~15 s (under a minute with the machine loaded).
MUTATION_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutation(draw, lines: list[str], layout: str) -> list[str]:
    """One way a text can go wrong, applied to lines."""
    kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "shuffle", "whitespace"]))
    lines = list(lines)
    if not lines:
        return lines
    if kind == "truncate":
        return lines[: draw(st.integers(0, len(lines)))]
    if kind == "delete":
        doomed = set(draw(st.lists(st.integers(0, len(lines) - 1), min_size=1, max_size=8)))
        return [line for index, line in enumerate(lines) if index not in doomed]
    if kind == "duplicate":
        index = draw(st.integers(0, len(lines) - 1))
        size = draw(st.integers(1, 6))
        return lines[: index + size] + lines[index : index + size] + lines[index + size :]
    if kind == "shuffle":
        starts = [index for index, line in enumerate(lines) if SECTION_START[layout].match(line.strip())]
        if not starts:
            return lines
        bounds = [*starts, len(lines)]
        sections = [lines[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
        order = draw(st.permutations(range(len(sections))))
        return lines[: starts[0]] + [line for position in order for line in sections[position]]
    indices = draw(st.lists(st.integers(0, len(lines) - 1), min_size=1, max_size=20))
    for index in indices:
        before, after = draw(st.sampled_from(ODD_SPACES)), draw(st.sampled_from(ODD_SPACES))
        lines[index] = before + lines[index].replace(" ", draw(st.sampled_from([" ", "  ", "\u00a0"])), 1) + after
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), "")
    return lines


def mutated_text(draw, layout: str) -> str:
    lines = SEEDS[layout]
    for _ in range(draw(st.integers(1, 3))):
        lines = draw(mutation(lines, layout))
    return "\n".join(lines)


def outcome_check(text: str) -> str:
    """Import text inside a transaction that is rolled back; check the outcome is clean either way."""
    with transaction.atomic():
        before = snapshot()
        try:
            result = report_import(text=text, source_document="mutated.txt")
        except ReportImportError as error:
            assert error.problem.strip(), "an error must say what is wrong"
            assert error.line is None or error.line >= 1
            assert snapshot() == before, f"a failed import changed the database: {error}"
            outcome = "error"
        else:
            assert result.found, "a clean import found the report's judgments"
            written = Grade.objects.filter(force__slug="bedfordshire", question__round__slug="2016")
            for grade in written.filter(question__pillar="Effectiveness").select_related("question"):
                # Never a wrong grade: whatever survives the mutation, each grade written is the report's.
                assert grade.display_grade == truth.GRADES[grade.question.slug], f"{grade.question.slug}: {grade.display_grade}"
            again = report_import(text=text, source_document="mutated.txt")
            assert again.changes == [], "importing the same text twice must change nothing the second time"
            outcome = "imported"
        transaction.set_rollback(True)
    return outcome


@MUTATION_SETTINGS
@given(data=st.data())
def test_a_mutated_web_page_imports_cleanly_or_fails_with_a_clear_error_and_changes_nothing(data):
    outcome_check(mutated_text(data.draw, "web"))


@MUTATION_SETTINGS
@given(data=st.data())
def test_a_mutated_pdf_text_imports_cleanly_or_fails_with_a_clear_error_and_changes_nothing(data):
    outcome_check(mutated_text(data.draw, "pdf"))


def test_the_unmutated_seeds_import_and_a_cut_short_one_imports_what_it_states():
    assert outcome_check("\n".join(SEEDS["web"])) == "imported"
    assert outcome_check("\n".join(SEEDS["pdf"])) == "imported"
    assert outcome_check("\n".join(SEEDS["web"][:40])) == "imported"
    assert outcome_check("\n".join(SEEDS["web"][:19])) == "error"


# Summary-sentence pages (2014–2017): the corpus texts with the grades they state, by question label.
SUMMARY_SEEDS = {
    name: case
    for case in corpus_cases.CASES
    for name in [case.name]
    if case.layout in {"summary sentences 2016–2017", "HMI summary 2014"} and not case.refused
}
# Sentences that state no grade of the page, whatever their grade words: inserted anywhere, they change nothing.
TRAPS = [
    "Last year the force was inadequate at investigating crime and reducing re-offending.",
    "In 2015 we judged the force to be outstanding at planning for future demand.",
    "The force is not yet outstanding at tackling serious and organised crime.",
    "It is inadequate at preventing crime and protecting vulnerable people.",
    "It is outstanding at crime.",
    "The force is good, and in places inadequate, at understanding demand.",
    "It is inadequate at keeping people safe.",
    "The force has an outstanding grasp of its budget, and it needs to improve how it plans its workforce.",
    "It was judged inadequate at reducing crime and preventing offending.",
]


@st.composite
def summary_mutation(draw, lines: list[str]) -> list[str]:
    """Line mutations, or a trap sentence put at the start or end of a line or on a line of its own."""
    if draw(st.booleans()):
        return draw(mutation(lines, "web"))
    lines = list(lines)
    trap = draw(st.sampled_from(TRAPS))
    index = draw(st.integers(0, max(len(lines) - 1, 0)))
    where = draw(st.sampled_from(["before", "after", "own line"]))
    if not lines or where == "own line":
        lines.insert(index, trap)
    elif where == "before":
        lines[index] = f"{trap} {lines[index]}"
    else:
        lines[index] = f"{lines[index]} {trap}"
    return lines


def summary_outcome_check(case, text: str) -> str:
    """Import a mutated summary page in a transaction rolled back: an error that wrote nothing, or only the page's own grades."""
    with transaction.atomic():
        Grade.objects.filter(force__slug=case.clear[0], question__round__slug=case.clear[1]).delete()
        before = snapshot()
        try:
            results = report_pages_import(text=text, source_url="https://example.org/mutated")
        except ReportImportError as error:
            assert error.problem.strip(), "an error must say what is wrong"
            assert snapshot() == before, f"a failed import changed the database: {error}"
            outcome = "error"
        else:
            written = {
                found.label: found.grade for result in results for found in result.found if found.grade != "no grade stated"
            }
            wrong = {label: grade for label, grade in written.items() if case.stated.get(label) != grade}
            assert wrong == {}, f"grades the text does not state: {wrong}"
            outcome = "imported"
        transaction.set_rollback(True)
    return outcome


@MUTATION_SETTINGS
@given(data=st.data())
def test_a_mutated_summary_page_with_trap_sentences_writes_only_its_own_grades_or_fails_and_changes_nothing(data):
    case = data.draw(st.sampled_from(sorted(SUMMARY_SEEDS.values(), key=lambda case: case.name)))
    lines = case.text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        lines = data.draw(summary_mutation(lines))
    summary_outcome_check(case, "\n".join(lines))


def test_the_summary_seeds_import_and_traps_alone_change_no_grade():
    for case in SUMMARY_SEEDS.values():
        assert summary_outcome_check(case, case.text) == "imported", case.name
        with_traps = case.text + "\n\n" + " ".join(TRAPS) + "\n"
        assert summary_outcome_check(case, with_traps) == "imported", case.name

"""The write path for grade facts: source CSVs in, rounds, questions, themes and grades out."""

import re
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from forces.models import Force
from forces.services import forces_load
from peel.sources import SourceError, read_source_rows
from reports.models import Grade, GradeAmendment, GradeCount, MonitoringPeriod, Question, Round, Theme
from reports.signals import data_changes_batched
from reports.vocabulary import (
    MonitoringStage,
    Pillar,
    Scale,
    carried_over_from_evidence,
    partial_date_parse,
    round_key,
    yes_no_parse,
)

CODE_PATTERN = re.compile(r"^(E|Ef|L|LD)\d+$")


def parse_yes_no(value: str, *, path: Path, line: int, column: str) -> bool:
    try:
        return yes_no_parse(value)
    except ValueError as error:
        raise SourceError(path, line, f"{column} {error}") from None


def parse_iso_date(value: str, *, path: Path, line: int, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SourceError(path, line, f"{column} {value!r} is not a date (YYYY-MM-DD)") from None


def iso_date_required(value: str, *, path: Path, line: int, column: str) -> date:
    """A date a row must carry; SourceError naming the line if it is blank or not a date."""
    parsed = parse_iso_date(value, path=path, line=line, column=column)
    if parsed is None:
        raise SourceError(path, line, f"{column} is required (YYYY-MM-DD)")
    return parsed


def rounds_load(*, path: Path) -> dict[str, Round]:
    """Create or update the rounds in rounds.csv; returns them by slug."""
    rounds = {}
    for line, row in read_source_rows(
        path, required=("slug", "name", "position", "scale", "has_pillars", "start_date", "end_date")
    ):
        if row["scale"] not in Scale.values:
            raise SourceError(path, line, f"unknown scale {row['scale']!r}")
        round_, _ = Round.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "position": int(row["position"]),
                "scale": row["scale"],
                "has_pillars": parse_yes_no(row["has_pillars"], path=path, line=line, column="has_pillars"),
                "start_date": iso_date_required(row["start_date"], path=path, line=line, column="start_date"),
                "end_date": iso_date_required(row["end_date"], path=path, line=line, column="end_date"),
                "comparability_note": row.get("comparability_note", ""),
                "source_url": row.get("source_url", ""),
            },
        )
        rounds[round_.slug] = round_
    return rounds


def round_of_row(rounds: dict[str, Round], row: dict[str, str], *, path: Path, line: int) -> Round:
    """The round a source row names in its `round` column; SourceError naming it when there is none."""
    round_ = rounds.get(round_key(row["round"]))
    if round_ is None:
        raise SourceError(path, line, f"unknown round {row['round']!r}")
    return round_


def question_slug(*, pillar: str, code: str, short_name: str) -> str:
    if code == "OVERALL":
        return slugify(f"overall {pillar}")
    if CODE_PATTERN.match(code):
        return slugify(code)
    return slugify(short_name)[:100]


def questions_load(*, path: Path, rounds: dict[str, Round]) -> int:
    """Create or update the questions and areas in questions.csv, in file order per round."""
    rows = read_source_rows(path, required=("round", "short_name", "graded"))
    positions: dict[str, int] = {}
    for line, row in rows:
        round_ = round_of_row(rounds, row, path=path, line=line)
        pillar = row.get("pillar", "")
        if pillar and pillar not in Pillar.values:
            raise SourceError(path, line, f"unknown pillar {pillar!r}")
        if bool(pillar) != round_.has_pillars:
            raise SourceError(path, line, f"PEEL {round_.name} {'needs' if round_.has_pillars else 'has no'} pillars")
        code = row.get("code", "")
        positions[round_.slug] = positions.get(round_.slug, 0) + 1
        Question.objects.update_or_create(
            round=round_,
            slug=question_slug(pillar=pillar, code=code, short_name=row["short_name"]),
            defaults={
                "position": positions[round_.slug],
                "pillar": pillar,
                "code": code,
                "is_overall": code == "OVERALL",
                "short_name": row["short_name"],
                "text": row.get("question_text", ""),
                "graded": row["graded"].lower().startswith("yes"),
                "graded_note": row["graded"],
                "source_url": row.get("source_url", ""),
                "notes": row.get("notes", ""),
            },
        )
    return len(rows)


def themes_load(*, path: Path, rounds: dict[str, Round]) -> int:
    """Create the themes in themes.csv and link each listed question to its theme. A question listed
    again under a second theme is linked to it as partly comparable (Question.also_themes), and its row
    must say partial=yes."""
    rows = read_source_rows(path, required=("theme", "theme_name", "round", "question", "partial"))
    seen: set[tuple[str, str]] = set()
    themed: set[int] = set()
    for line, row in rows:
        round_ = round_of_row(rounds, row, path=path, line=line)
        if (row["theme"], round_.slug) in seen:
            raise SourceError(path, line, f"theme {row['theme']!r} already has a question in PEEL {round_.name}")
        seen.add((row["theme"], round_.slug))
        theme = Theme.objects.filter(slug=row["theme"]).first()
        if theme is None:
            theme = Theme.objects.create(
                slug=row["theme"], name=row["theme_name"], pillar=row.get("pillar", ""), position=Theme.objects.count() + 1
            )
        question = round_.question_find(pillar=row.get("pillar", "") if round_.has_pillars else "", name=row["question"])
        if question is None:
            raise SourceError(path, line, f"no question {row['question']!r} in PEEL {round_.name}")
        partial = parse_yes_no(row["partial"], path=path, line=line, column="partial")
        if question.pk in themed:
            if not partial:
                first = question.theme.slug if question.theme else ""
                raise SourceError(path, line, f"{question.label!r} is already in theme {first!r}: a second theme is partial=yes")
            question.also_themes.add(theme)
            continue
        themed.add(question.pk)
        question.theme = theme
        question.theme_partial = partial
        question.save(update_fields=["theme", "theme_partial"])
    return len(rows)


def grades_load(*, path: Path, rounds: dict[str, Round]) -> int:
    """Create or update one grade per grades.csv row; every row must map to a force and question."""
    rows = read_source_rows(path, required=("round", "force_slug", "question_or_area", "grade"))
    forces = {force.slug: force for force in Force.objects.all()}
    # Each question is named by many rows (one per force): looked up once, not once per row.
    questions: dict[tuple[str, str, str], Question | None] = {}
    seen: dict[tuple[str, int], int] = {}
    stored = {(grade.force_id, grade.question_id): grade for grade in Grade.objects.all()}
    for line, row in rows:
        round_ = round_of_row(rounds, row, path=path, line=line)
        force = forces.get(row["force_slug"])
        if force is None:
            raise SourceError(path, line, f"unknown force {row['force_slug']!r}")
        key = (round_.slug, row.get("pillar", ""), row["question_or_area"])
        if key not in questions:
            questions[key] = round_.question_find(pillar=key[1], name=key[2])
        question = questions[key]
        if question is None:
            raise SourceError(path, line, f"no question {row['question_or_area']!r} in PEEL {round_.name}")
        if (force.slug, question.pk) in seen:
            raise SourceError(
                path, line, f"duplicate grade for {force.slug} {question.label} (first at line {seen[force.slug, question.pk]})"
            )
        seen[force.slug, question.pk] = line
        if not row["source_url"] and not row.get("source_type", "").startswith("SEED"):
            raise SourceError(path, line, "a grade needs a source_url or a SEED source_type naming the document")
        try:
            status, tier = round_.grade_word_parse(row["grade"])
        except ValueError as error:
            raise SourceError(path, line, str(error)) from None
        grade = stored.get((force.pk, question.pk)) or Grade()
        grade.force, grade.question = force, question
        grade.status = status
        grade.tier = tier
        grade.carried_over = carried_over_from_evidence(evidence=row.get("evidence", ""), code=question.code)
        grade.source_url = row["source_url"]
        grade.source_type = row.get("source_type", "")
        grade.evidence = row.get("evidence", "")
        try:
            grade.save()
        except ValidationError as error:
            raise SourceError(path, line, "; ".join(error.messages)) from None
    return len(rows)


def grade_counts_load(*, path: Path, rounds: dict[str, Round]) -> int:
    """Create or update the per-force tier counts of the five-tier rounds."""
    rows = read_source_rows(path, required=("round", "force_slug"))
    count_columns = ("n_areas_graded", "outstanding", "good", "adequate", "requires_improvement", "inadequate")
    for line, row in rows:
        round_ = round_of_row(rounds, row, path=path, line=line)
        force = Force.objects.filter(slug=row["force_slug"]).first()
        if force is None:
            raise SourceError(path, line, f"unknown force {row['force_slug']!r}")
        counts = {}
        for column in count_columns:
            value = row.get(column, "")
            if value and not value.isdigit():
                raise SourceError(path, line, f"{column} {value!r} is not a whole number")
            counts[column] = int(value) if value else None
        GradeCount.objects.update_or_create(
            round=round_,
            force=force,
            defaults={
                **counts,
                "published": row.get("published", ""),
                "source_url": row.get("source_url", ""),
                "notes": row.get("notes", ""),
            },
        )
    return len(rows)


def amendments_load(*, path: Path, rounds: dict[str, Round]) -> int:
    """Record each amendment in amendments.csv on its grade, whose current grade must be the amended one."""
    required = ("round", "force_slug", "question_or_area", "amended_on", "previous_grade", "new_grade", "reason", "source_url")
    rows = read_source_rows(path, required=required)
    for line, row in rows:
        round_ = round_of_row(rounds, row, path=path, line=line)
        question = round_.question_find(pillar=row.get("pillar", ""), name=row["question_or_area"])
        if question is None:
            raise SourceError(path, line, f"no question {row['question_or_area']!r} in PEEL {round_.name}")
        grade = Grade.objects.filter(force__slug=row["force_slug"], question=question).first()
        if grade is None:
            raise SourceError(path, line, f"no grade for {row['force_slug']} {question.label} in grades.csv")
        try:
            previous_status, previous_tier = round_.grade_word_parse(row["previous_grade"])
            new_status, new_tier = round_.grade_word_parse(row["new_grade"])
        except ValueError as error:
            raise SourceError(path, line, str(error)) from None
        if (new_status, new_tier) != (grade.status, grade.tier):
            raise SourceError(path, line, f"new_grade {row['new_grade']!r} is not the grade in grades.csv: {grade.display_grade}")
        amended_on = iso_date_required(row["amended_on"], path=path, line=line, column="amended_on")
        amendment = GradeAmendment.objects.filter(grade=grade, amended_on=amended_on).first() or GradeAmendment(grade=grade)
        amendment.amended_on = amended_on
        amendment.previous_status, amendment.previous_tier = previous_status, previous_tier
        amendment.new_status, amendment.new_tier = new_status, new_tier
        amendment.reason = row["reason"]
        amendment.source_url = row["source_url"]
        try:
            amendment.save()
        except ValidationError as error:
            raise SourceError(path, line, "; ".join(error.messages)) from None
    return len(rows)


def parse_partial_date(value: str, *, path: Path, line: int, column: str) -> tuple[date | None, str]:
    """(date, precision) of a YYYY, YYYY-MM or YYYY-MM-DD cell; (None, '') when empty."""
    if not value:
        return None, ""
    try:
        return partial_date_parse(value)
    except ValueError as error:
        raise SourceError(path, line, f"{column} {error}") from None


def monitoring_load(*, path: Path) -> int:
    """Create or update one monitoring period per monitoring.csv row, its dates as precise as the row gives them."""
    rows = read_source_rows(path, required=("force_slug", "status", "entered", "source_url"))
    forces = {force.slug: force for force in Force.objects.all()}
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in rows:
        force = forces.get(row["force_slug"])
        if force is None:
            raise SourceError(path, line, f"unknown force {row['force_slug']!r}")
        if row["status"] not in MonitoringStage.values:
            raise SourceError(path, line, f"unknown status {row['status']!r} (one of {', '.join(MonitoringStage.values)})")
        key = (force.slug, row["status"], row["entered"])
        if key in seen:
            raise SourceError(
                path, line, f"duplicate period for {force.slug} entering {row['entered']} (first at line {seen[key]})"
            )
        seen[key] = line
        entered, entered_precision = parse_partial_date(row["entered"], path=path, line=line, column="entered")
        assert entered is not None  # required column: read_source_rows refuses it empty
        left, left_precision = parse_partial_date(row.get("left", ""), path=path, line=line, column="left")
        period = MonitoringPeriod.objects.filter(force=force, stage=row["status"], entered=entered).first() or MonitoringPeriod(
            force=force, stage=row["status"], entered=entered
        )
        period.entered_precision = entered_precision
        period.left, period.left_precision = left, left_precision
        period.reasons = row.get("reasons", "")
        period.source_url = row["source_url"]
        period.evidence = row.get("evidence", "")
        try:
            period.save()
        except ValidationError as error:
            raise SourceError(path, line, "; ".join(error.messages)) from None
    return len(rows)


def grade_facts_load(*, sources_dir: Path) -> dict[str, int]:
    """Load every grade-fact source into the database in one transaction, the data version bumped once
    at the end (a row's save would otherwise bump it); returns rows read per file."""
    with transaction.atomic(), data_changes_batched():
        return _grade_facts_load(sources_dir=sources_dir)


def _grade_facts_load(*, sources_dir: Path) -> dict[str, int]:
    counts = {"forces.csv": forces_load(path=sources_dir / "forces.csv")}
    rounds = rounds_load(path=sources_dir / "rounds.csv")
    counts["rounds.csv"] = len(rounds)
    counts["questions.csv"] = questions_load(path=sources_dir / "questions.csv", rounds=rounds)
    counts["themes.csv"] = themes_load(path=sources_dir / "themes.csv", rounds=rounds)
    counts["grades.csv"] = grades_load(path=sources_dir / "grades.csv", rounds=rounds)
    counts["grade_counts.csv"] = grade_counts_load(path=sources_dir / "grade_counts.csv", rounds=rounds)
    counts["amendments.csv"] = amendments_load(path=sources_dir / "amendments.csv", rounds=rounds)
    counts["monitoring.csv"] = monitoring_load(path=sources_dir / "monitoring.csv")
    return counts

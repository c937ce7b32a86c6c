"""The write path of accountability: a PCC response letter in, its inspection, recommendations,
response and promising practice out, in one transaction (all or nothing), with a dry run."""

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from forces.models import Force
from reports.accountability.letters import LetterImportError, ParsedLetter, letter_parse
from reports.models import Inspection, InspectionRecommendation, PccResponse, PromisingPractice, RecommendationResponse
from reports.vocabulary import InspectionKind

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class LetterChange:
    """One row a letter import creates or changes."""

    kind: str
    label: str
    action: str

    def __str__(self) -> str:
        return f"{self.kind} {self.label}: {self.action}"


@dataclass
class LetterImportResult:
    """What a letter import read and what it changed (or, in a dry run, would change)."""

    letter: ParsedLetter
    force: Force
    inspection_title: str
    dry_run: bool
    changes: list[LetterChange] = field(default_factory=list)
    response_id: int | None = None


def force_for_letter(*, name: str) -> Force:
    """The force whose commissioner signed: 'Bedfordshire' finds Bedfordshire Police."""
    candidates = {name, f"{name} Police", f"{name} Constabulary", f"{name} Police Service"}
    force = Force.objects.filter(slug=slugify(name)).first() or next((f for f in Force.objects.filter(name__in=candidates)), None)
    if force is None:
        raise LetterImportError(f"no force matches the signature's 'Police and Crime Commissioner for {name}'")
    return force


def _save(instance: M, values: dict, *, kind: str, label: str, changes: list[LetterChange]) -> M:
    """Set values on instance and save it only if something differs, recording what changed."""
    adding = instance._state.adding
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not adding and not changed:
        return instance
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        instance.save()
    except ValidationError as error:
        raise LetterImportError(f"{kind} {label}: {'; '.join(error.messages)}") from None
    changes.append(LetterChange(kind, label, "added" if adding else f"changed ({', '.join(changed)})"))
    return instance


def letter_import(*, text: str, source_url: str = "", source_document: str = "", dry_run: bool = False) -> LetterImportResult:
    """Import a PCC response letter: the inspection it answers (created if new, its publication date
    checked if held), that inspection's recommendations the letter quotes, the response with what it
    says on each, and the promising practice it quotes. Everything or nothing is written; a dry run
    rolls back and returns the same changes. Importing the same letter again changes nothing."""
    letter = letter_parse(text)
    source_url = source_url or (letter.source if letter.source.startswith("https://") else "")
    source_type = "" if source_url else (letter.source or (f"SEED: {source_document}" if source_document else ""))
    if not source_url and not source_type:
        raise LetterImportError("the letter needs the address it was published at (a 'source:' header line or the form's field)")
    with transaction.atomic():
        force = force_for_letter(name=letter.force_name)
        result = LetterImportResult(letter=letter, force=force, inspection_title=letter.inspection_title, dry_run=dry_run)
        changes = result.changes
        inspection = _inspection_for(letter=letter, changes=changes)
        if not inspection.forces.filter(pk=force.pk).exists():
            inspection.forces.add(force)
            changes.append(LetterChange("Inspection", inspection.title, f"covers {force.name}"))
        response = PccResponse.objects.filter(force=force, inspection=inspection).first() or PccResponse(
            force=force, inspection=inspection
        )
        values = {
            "published": letter.dated,
            "commissioner": letter.commissioner,
            "text": letter.body,
            "source_url": source_url,
            "source_type": source_type,
            "source_document": source_document,
        }
        response = _save(response, values, kind="PCC response", label=f"{force.name}, {letter.dated:%d/%m/%Y}", changes=changes)
        result.response_id = response.pk
        for quoted in letter.recommendations:
            held = InspectionRecommendation.objects.filter(inspection=inspection, number=quoted.number).first()
            recommendation = held or InspectionRecommendation(inspection=inspection, number=quoted.number)
            label = f"{quoted.number} of {inspection.title}"
            values = {
                "force": None if quoted.to_all_forces else force,
                "text": quoted.text,
                "deadline_text": quoted.deadline.text,
                "deadline": quoted.deadline.value,
                "deadline_precision": quoted.deadline.precision,
            }
            recommendation = _save(recommendation, values, kind="Recommendation", label=label, changes=changes)
            if quoted.response:
                answer = RecommendationResponse.objects.filter(response=response, recommendation=recommendation).first()
                answer = answer or RecommendationResponse(response=response, recommendation=recommendation)
                values = {"text": quoted.response, "joint": quoted.joint}
                _save(answer, values, kind="Response on recommendation", label=label, changes=changes)
        for practice in letter.practices:
            found = PromisingPractice.objects.filter(inspection=inspection, force=force, title=practice.title).first()
            found = found or PromisingPractice(inspection=inspection, force=force, title=practice.title)
            values = {"text": practice.text, "source_url": source_url, "source_type": source_type}
            _save(found, values, kind="Promising practice", label=practice.title, changes=changes)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _inspection_for(*, letter: ParsedLetter, changes: list[LetterChange]) -> Inspection:
    """The inspection the letter answers: held (its publication date must agree) or created as a national thematic."""
    slug = slugify(letter.inspection_title)[:120]
    inspection = (
        Inspection.objects.filter(slug=slug).first() or Inspection.objects.filter(title__iexact=letter.inspection_title).first()
    )
    if inspection is None:
        to_all = any(r.to_all_forces for r in letter.recommendations)
        kind = InspectionKind.NATIONAL if to_all else InspectionKind.FORCE
        inspection = Inspection(title=letter.inspection_title, slug=slug, kind=kind, published=letter.inspection_published)
        inspection.save()
        changes.append(LetterChange("Inspection", inspection.title, "added"))
        return inspection
    if inspection.published is None:
        _save(inspection, {"published": letter.inspection_published}, kind="Inspection", label=inspection.title, changes=changes)
    elif inspection.published != letter.inspection_published:
        raise LetterImportError(
            f"the letter says '{inspection.title}' was published on {_day(letter.inspection_published)}; "
            f"the database holds {_day(inspection.published)}"
        )
    return inspection


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"

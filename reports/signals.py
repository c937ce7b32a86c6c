"""Bump the data version and the changed data's scopes whenever published data changes (admin, grade
sheet, importer, loaddata): pages keyed on them are never stale (reports/caching.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from forces.models import Force
from peel.roles import data_model_names
from reports.caching import SHARED, force_scope, round_scope, scopes_bump
from reports.models import (
    AreaForImprovement,
    CauseOfConcern,
    DataVersion,
    Grade,
    GradeAmendment,
    GradeCount,
    Question,
    Recommendation,
    Report,
    Round,
)
from reports.summaries import movers_summary_current, movers_summary_follow, movers_summary_rebuild


def data_version_bump(**kwargs) -> None:
    now = timezone.now()
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})


def _force_round(*, force_id: int, round_id: int | None) -> set[str]:
    """The scopes of a force and a round, or 'shared' if either is gone (a cascade deletes children first)."""
    force = Force.objects.filter(pk=force_id).values_list("slug", flat=True).first()
    round_slug = Round.objects.filter(pk=round_id).values_list("slug", flat=True).first() if round_id is not None else None
    return {force_scope(force), round_scope(round_slug)} if force and round_slug else {SHARED}


def _via(model, pk: int | None, force_path: str, round_path: str) -> set[str]:
    slugs = model.objects.filter(pk=pk).values_list(force_path, round_path).first()
    return {force_scope(slugs[0]), round_scope(slugs[1])} if slugs else {SHARED}


def data_scopes_of(instance, *, created: bool = False, deleted: bool = False) -> set[str]:
    """The scopes a change to instance touches; 'shared' for anything read by every page (forces, rounds, questions, themes)."""
    if isinstance(instance, Grade):
        round_id = Question.objects.filter(pk=instance.question_id).values_list("round_id", flat=True).first()
        scopes = _force_round(force_id=instance.force_id, round_id=round_id)
        # A round's first grade (or its last, deleted) changes which rounds have data: every page's round choices.
        others = Grade.objects.filter(question__round_id=round_id).exclude(pk=instance.pk) if round_id is not None else None
        if (created or deleted) and not (others is not None and others.exists()):
            scopes.add(SHARED)
        return scopes
    if isinstance(instance, Report | GradeCount):
        return _force_round(force_id=instance.force_id, round_id=instance.round_id)
    if isinstance(instance, CauseOfConcern | AreaForImprovement):
        return _via(Report, instance.report_id, "force__slug", "round__slug")
    if isinstance(instance, Recommendation):
        return _via(CauseOfConcern, instance.cause_id, "report__force__slug", "report__round__slug")
    if isinstance(instance, GradeAmendment):
        return _via(Grade, instance.grade_id, "force__slug", "question__round__slug")
    return {SHARED}


# Changes the movers summary does not depend on (names are read with it): it stays current through them.
_NOT_IN_MOVERS = (Force, Report, CauseOfConcern, Recommendation, AreaForImprovement, GradeCount, GradeAmendment)


# Set inside data_changes_batched(): whether any published data changed in the block.
_batch_changed: ContextVar[list[bool] | None] = ContextVar("data_changes_batch", default=None)


@contextmanager
def data_changes_batched() -> Iterator[None]:
    """For a load of many rows in one transaction (the grade facts, the shipped fixtures): one version bump
    of every scope and one movers rebuild when the block ends, instead of a few queries per row. Nothing is
    warmed: every page changed, and the next requests render them. An error leaves the block without the
    bumps; the caller's transaction takes the rows back."""
    if _batch_changed.get() is not None:
        yield
        return
    changed: list[bool] = []
    token = _batch_changed.set(changed)
    try:
        yield
    finally:
        _batch_changed.reset(token)
    if changed:
        data_version_bump()
        scopes_bump({SHARED}, warm=False)
        movers_summary_rebuild()


def data_changed(*, instance, created: bool = False, raw: bool = False, signal=None, **kwargs) -> None:
    """Bump the global version and the scopes the change touches, and keep the movers summary in step;
    loaddata (raw) bumps 'shared', warms nothing and leaves the summary to be rebuilt on its next read."""
    batch = _batch_changed.get()
    if batch is not None:
        batch.append(True)
        return
    movers_current = movers_summary_current()
    data_version_bump()
    if raw:
        scopes_bump({SHARED}, warm=False)
        return
    scopes_bump(data_scopes_of(instance, created=created, deleted=signal is post_delete))
    if isinstance(instance, Grade):
        movers_summary_follow(was_current=movers_current, grade=instance)
    elif isinstance(instance, _NOT_IN_MOVERS):
        movers_summary_follow(was_current=movers_current)


def connect_data_version_signals() -> None:
    # The same models the editor roles may change: every model holding published data.
    for app_label, model_name in data_model_names():
        model = apps.get_model(app_label, model_name)
        label = model._meta.label
        post_save.connect(data_changed, sender=model, dispatch_uid=f"data_version_save_{label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"data_version_delete_{label}")

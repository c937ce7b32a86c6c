"""Reloading the shipped fixtures over a database editors have changed: `load_shipped_data --reload`.

loaddata alone would overwrite editors' rows with no history row, send row versions backwards and stop
with an IntegrityError traceback when an editor's row holds a shipped row's natural key. This writes
through the same raw saves as loaddata, but row by row against what is stored: an unchanged row is left
alone; a changed or missing one is written with a history row ("reloaded from shipped data", after a
baseline of the stored state if it had none), and a versioned row's version only ever goes up. Every
clash is found before anything is written, and the whole reload is one transaction.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core import serializers
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max

from reports.history import history_baseline_ensure
from reports.models import Versioned
from reports.signals import data_changes_batched

RELOAD_REASON = "reloaded from shipped data"


class ShippedDataConflict(Exception):
    """The shipped data cannot be reloaded cleanly; `conflicts` names every clash (nothing was written)."""

    def __init__(self, conflicts: Sequence[str]) -> None:
        super().__init__(f"{len(conflicts)} conflict(s) with the stored data")
        self.conflicts = list(conflicts)


@dataclass
class ReloadCounts:
    """What a reload did: rows added, changed and left as they were, per model label."""

    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    changed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: int = 0


def column_name(model: type[models.Model], name: str) -> str:
    """A concrete field's attname (force → force_id)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.attname


def unique_field_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    """The natural keys a row must not share with another: unique fields, unique_together and
    unconditional UniqueConstraints, as attnames (force_id, question_id)."""
    sets: list[tuple[str, ...]] = [(f.attname,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(column_name(model, name) for name in names) for names in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            sets.append(tuple(column_name(model, name) for name in constraint.fields))
    return sets


def row_values(instance: models.Model, *, ignore: Iterable[str] = ()) -> dict[str, object]:
    """The stored columns of a row (primary key and `ignore` left out), by attname."""
    skipped = {"version", *ignore} if isinstance(instance, Versioned) else set(ignore)
    return {
        f.attname: f.value_from_object(instance)
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.attname not in skipped
    }


def row_describe(instance: models.Model) -> str:
    """A row for a conflict message: its label, key and words (str() may need rows that are not there yet)."""
    try:
        words = str(instance)
    except Exception:  # a shipped row's str() can read a related row that is not stored yet
        words = ""
    label = f"{instance._meta.label} {instance.pk}"
    return f"{label} ({words})" if words else label


def shipped_conflicts(*, shipped: dict[type[models.Model], list[models.Model]]) -> list[str]:
    """Every shipped row whose natural key is held by a stored row the reload would not overwrite
    (one outside the shipped data, such as a row an editor created after deleting the shipped one)."""
    conflicts = []
    for model, objects in shipped.items():
        pks = {obj.pk for obj in objects}
        for names in unique_field_sets(model):
            owners = {}
            for other_pk, *values in model._default_manager.exclude(pk__in=pks).values_list("pk", *names).iterator():
                key = tuple(values)
                if None not in key:
                    owners[key] = other_pk
            for obj in objects:
                key = tuple(getattr(obj, name) for name in names)
                if None in key or key not in owners:
                    continue
                other = model._default_manager.get(pk=owners[key])
                held = ", ".join(f"{name}={value}" for name, value in zip(names, key, strict=True))
                conflicts.append(
                    f"{row_describe(obj)}: {held} is already held by {row_describe(other)}, which is not in the "
                    "shipped data (an editor's row?); change or delete one of them, then reload"
                )
    return conflicts


def history_version_max(model: type[models.Model], pk: object) -> int:
    """The highest version a row's history recorded (0 if none): a deleted row re-inserted carries on from it."""
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        return 0
    return model.history.filter(id=pk).aggregate(top=Max("version"))["top"] or 0  # type: ignore[attr-defined]


def shipped_data_reload(*, paths: Sequence[str]) -> ReloadCounts:
    """Write the shipped fixtures at paths over the stored data, in one transaction: rows that differ are
    replaced, each with a history row (RELOAD_REASON) and, if versioned, a version above both the stored
    and the shipped one; missing rows are added; rows the shipped data lacks are kept. Raises
    ShippedDataConflict naming every clash, having written nothing."""
    shipped: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            for deserialized in serializers.deserialize("json", stream):
                shipped[type(deserialized.object)].append(deserialized.object)
    counts = ReloadCounts()
    with transaction.atomic(), data_changes_batched():
        conflicts = shipped_conflicts(shipped=shipped)
        if conflicts:
            raise ShippedDataConflict(conflicts)
        with connection.constraint_checks_disabled():
            for model, objects in shipped.items():
                rows_reload(model=model, objects=objects, counts=counts)
        try:
            connection.check_constraints(table_names=[model._meta.db_table for model in shipped])
            sequences_reset(models_=shipped)
        except IntegrityError as error:
            raise ShippedDataConflict([f"the reloaded rows break a constraint: {error}".strip()]) from error
    return counts


def rows_reload(*, model: type[models.Model], objects: list[models.Model], counts: ReloadCounts) -> None:
    """Write one model's shipped rows that differ from (or are missing in) the database."""
    stored_rows = model._default_manager.in_bulk([obj.pk for obj in objects])
    kept_history = hasattr(model._meta, "simple_history_manager_attribute")
    label = model._meta.label
    for obj in objects:
        stored = stored_rows.get(obj.pk)
        if stored is not None and row_values(stored) == row_values(obj):
            counts.unchanged += 1
            continue
        if isinstance(obj, Versioned):
            before = stored.version if stored is not None else history_version_max(model, obj.pk)  # type: ignore[attr-defined]
            if before:
                obj.version = max(before, obj.version) + 1
        if stored is not None:
            history_baseline_ensure(sender=model, instance=stored)
        try:
            with transaction.atomic():
                obj.save_base(raw=True, force_insert=stored is None, force_update=stored is not None)
        except IntegrityError as error:
            raise ShippedDataConflict([f"{row_describe(obj)} could not be written: {error}".strip()]) from error
        if kept_history:
            model.history.bulk_history_create(  # type: ignore[attr-defined]
                [obj], update=stored is not None, default_change_reason=RELOAD_REASON
            )
        (counts.changed if stored is not None else counts.added)[label] += 1


def sequences_reset(*, models_: Iterable[type[models.Model]]) -> None:
    """Move primary-key sequences past the shipped ids, as loaddata does, so the next row an editor adds gets a free id."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)

"""A baseline history record for data that entered without one (fixtures are loaded raw, and
django-simple-history records nothing for raw saves), so the first edit of a shipped grade still
shows its old and new values, and reverting to the shipped value is possible."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.signals import pre_delete, pre_save

from peel.roles import data_model_names

BASELINE_REASON = "as loaded (before the first edit)"


def change_reason_set(instance: models.Model, reason: str) -> None:
    """The reason django-simple-history records with instance's next save() or delete()."""
    instance._change_reason = reason  # type: ignore[attr-defined]  # simple-history reads it; no model declares it


def history_baseline_ensure(sender, instance, raw: bool = False, **kwargs) -> None:
    """Before an object without history is changed or deleted, record its stored state, by nobody."""
    if raw or instance.pk is None or instance._state.adding or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    if sender.history.filter(id=instance.pk).exists():
        return
    stored = sender.objects.filter(pk=instance.pk).first()
    if stored is not None:
        stored._history_user = None
        sender.history.bulk_history_create([stored], default_change_reason=BASELINE_REASON)


def connect_history_baseline_signals() -> None:
    """Connect the baseline to every data model that keeps a history (declares HistoricalRecords)."""
    for app_label, model_name in data_model_names():
        model = apps.get_model(app_label, model_name)
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        label = model._meta.label
        pre_save.connect(history_baseline_ensure, sender=model, dispatch_uid=f"history_baseline_save_{label}")
        pre_delete.connect(history_baseline_ensure, sender=model, dispatch_uid=f"history_baseline_delete_{label}")

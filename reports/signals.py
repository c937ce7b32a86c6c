"""Bump the data version whenever published data changes (admin, grade sheet, importer, loaddata)."""

from django.apps import apps
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from peel.roles import data_model_names
from reports.models import DataVersion


def data_version_bump(**kwargs) -> None:
    now = timezone.now()
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})


def connect_data_version_signals() -> None:
    # The same models the editor roles may change: every model holding published data.
    for app_label, model_name in data_model_names():
        model = apps.get_model(app_label, model_name)
        label = model._meta.label
        post_save.connect(data_version_bump, sender=model, dispatch_uid=f"data_version_save_{label}")
        post_delete.connect(data_version_bump, sender=model, dispatch_uid=f"data_version_delete_{label}")

"""Bump the data version whenever published data changes (admin, grade sheet, importer, loaddata)."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save


def data_version_bump(**kwargs) -> None:
    from reports.models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def connect_data_version_signals() -> None:
    from django.apps import apps

    for label in (
        "forces.Force",
        "reports.Round",
        "reports.Theme",
        "reports.Question",
        "reports.Report",
        "reports.Grade",
        "reports.GradeAmendment",
        "reports.CauseOfConcern",
        "reports.Recommendation",
        "reports.AreaForImprovement",
        "reports.GradeCount",
    ):
        model = apps.get_model(label)
        post_save.connect(data_version_bump, sender=model, dispatch_uid=f"data_version_save_{label}")
        post_delete.connect(data_version_bump, sender=model, dispatch_uid=f"data_version_delete_{label}")

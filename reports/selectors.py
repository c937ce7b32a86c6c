"""Reads that cross models or aggregate: the pages and exports read through these."""

from reports.models import DataVersion


def data_version_get() -> int:
    """The current data version; cache keys include it so a save shows at once everywhere."""
    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0

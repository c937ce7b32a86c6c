from pathlib import Path

from forces.models import Force
from peel.sources import SourceError, read_source_rows


def forces_load(*, path: Path) -> int:
    """Create or update the forces listed in forces.csv; returns how many rows were read."""
    rows = read_source_rows(path, required=("force_name", "force_slug", "country"))
    for line, row in rows:
        if row["country"] not in Force.Country.values:
            raise SourceError(path, line, f"unknown country {row['country']!r}")
        if row["hmicfrs_url_slug"] and row["hmicfrs_url_slug"] != row["force_slug"]:
            raise SourceError(path, line, f"slug {row['force_slug']!r} differs from HMICFRS's {row['hmicfrs_url_slug']!r}")
        Force.objects.update_or_create(
            slug=row["force_slug"],
            defaults={
                "name": row["force_name"],
                "country": row["country"],
                "region": row.get("region", ""),
                "region_other": row.get("region_other_source", ""),
                "region_other_source_url": row.get("region_other_source_url", ""),
                "name_source_url": row.get("name_source_url", ""),
                "notes": row.get("notes", ""),
            },
        )
    return len(rows)

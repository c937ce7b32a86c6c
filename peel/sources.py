"""Reading the source CSVs that the fixtures are built from, with errors that name file and line."""

import csv
from pathlib import Path


class SourceError(Exception):
    """A source row that cannot be mapped onto the data model."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path.name} line {line}" if line else self.path.name
        super().__init__(f"{where}: {problem}")


def read_source_rows(path: Path, *, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a UTF-8 CSV as (line number, row), values stripped; fails on missing columns."""
    if not path.exists():
        raise SourceError(path, None, "file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(path, 1, f"missing column(s): {', '.join(missing)}")
        rows = []
        for row in reader:
            if None in row:
                raise SourceError(path, reader.line_num, "more values than columns")
            cleaned = {key: (value or "").strip() for key, value in row.items()}
            for name in required:
                if not cleaned[name]:
                    raise SourceError(path, reader.line_num, f"empty {name}")
            rows.append((reader.line_num, cleaned))
    return rows

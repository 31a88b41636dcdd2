"""Importer of a directory of CSV files: one file per node label or relationship kind.

``Supplier.csv``, ``MaterialLot.csv`` ... hold nodes; the header is the record's field names (the
key first by convention; order does not matter). ``SUPPLIED.csv``, ``CONSUMED_LOT.csv``,
``CONSUMED_BATCH.csv`` ... hold relationships: ``src`` and ``dst`` (the endpoints' keys) and the
relationship's properties. An empty cell is "not given" (the field's default, or absent); list
fields (``certifications``, ``requirements``, ``photo_urls``) separate items with ``;``. A header
that is unknown, or a required column that is missing, rejects the whole load before any row is
read; files whose names match no kind are rejected too.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from graph.database import Database
from graph.ingest import DEFAULT_BATCH_SIZE, Progress
from graph.records import NODE_TYPES, REL_TYPES, NodeRecord, RelRecord
from loaders.common import LoadResult, Unit, write_units
from tracegraph.errors import InvalidInputError

LIST_SEPARATOR = ";"


def file_stem(cls: type[NodeRecord] | type[RelRecord]) -> str:
    if issubclass(cls, NodeRecord):
        return cls.LABEL
    return cls.TYPE + cls.VARIANT.upper()


KINDS: dict[str, type[NodeRecord] | type[RelRecord]] = {
    **{file_stem(c): c for c in NODE_TYPES},
    **{file_stem(c): c for c in REL_TYPES},
}


def headers(cls: type[NodeRecord] | type[RelRecord]) -> tuple[list[str], list[str]]:
    """(required, optional) columns of a kind."""
    required = [n for n, f in cls.model_fields.items() if f.is_required()]
    optional = [n for n, f in cls.model_fields.items() if not f.is_required()]
    return required, optional


def _is_list(cls: type[NodeRecord] | type[RelRecord], name: str) -> bool:
    return "list[" in str(cls.model_fields[name].annotation)


def check_header(path: Path, cls: type[NodeRecord] | type[RelRecord], header: list[str]) -> None:
    required, optional = headers(cls)
    unknown = [h for h in header if h not in required and h not in optional]
    missing = [h for h in required if h not in header]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or dupes:
        parts = []
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if missing:
            parts.append(f"missing required column(s) {', '.join(missing)}")
        if dupes:
            parts.append(f"duplicate column(s) {', '.join(dupes)}")
        raise InvalidInputError(
            f"{path}:1: bad header for {file_stem(cls)}: {'; '.join(parts)}"
            f" (required: {', '.join(required)}; optional: {', '.join(optional) or 'none'})"
        )


def read_dir(directory: Path) -> list[Unit]:
    if not directory.is_dir():
        raise InvalidInputError(f"{directory}: not a directory")
    files = sorted(directory.glob("*.csv"))
    unknown = [f.name for f in files if f.stem not in KINDS]
    if unknown:
        raise InvalidInputError(
            f"{directory}: file(s) {', '.join(unknown)} match no node label or relationship kind"
            f" (expected names: {', '.join(sorted(KINDS))} with .csv)"
        )
    # Nodes first: the reference check and the writer need no particular order, readers do.
    files.sort(key=lambda f: (issubclass(KINDS[f.stem], RelRecord), f.name))
    units: list[Unit] = []
    for path in files:
        try:
            units += _read_file(path, KINDS[path.stem])
        except UnicodeDecodeError as e:
            raise InvalidInputError(f"{path}: not UTF-8 text (byte {e.start})") from e
    return units


def _read_file(path: Path, cls: type[NodeRecord] | type[RelRecord]) -> list[Unit]:
    units: list[Unit] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        # strict: an unclosed quote is an error, not a field that swallows the rows after it
        reader = csv.reader(handle, strict=True)
        header = [h.strip() for h in next(reader, [])]
        check_header(path, cls, header)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                raise InvalidInputError(
                    f"{path}:{start}: {e} (a quote opened on this line is never closed?)"
                ) from e
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path.name} line {reader.line_num}"
            unit = Unit(where, dict(zip(header, row, strict=False)))
            if len(row) != len(header):
                unit.fail("", f"{len(row)} cells for {len(header)} columns")
            else:
                data: dict[str, Any] = {}
                for name, cell in zip(header, row, strict=True):
                    value = cell.strip()
                    if value == "":
                        continue
                    data[name] = value.split(LIST_SEPARATOR) if _is_list(cls, name) else value
                unit.build(cls, **data)
            units.append(unit)
    return units


async def load_csv_dir(
    db: Database,
    directory: Path,
    *,
    skip_invalid: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> LoadResult:
    units = read_dir(directory)
    return await write_units(
        db,
        directory / "load",
        units,
        skip_invalid=skip_invalid,
        batch_size=batch_size,
        progress=progress,
        repeats_allowed=False,  # a CSV row written twice is a mistake, not a derivation
    )

"""Importer of a directory of CSV files: one file per node label or relationship kind.

``Supplier.csv``, ``MaterialLot.csv`` ... hold nodes; the header is the record's field names (the
key first by convention; order does not matter). ``SUPPLIED.csv``, ``CONSUMED_LOT.csv``,
``CONSUMED_BATCH.csv`` ... hold relationships: ``src`` and ``dst`` (the endpoints' keys) and the
relationship's properties. An empty cell is "not given" (the field's default, or absent); list
fields (``certifications``, ``requirements``, ``part_numbers``, ``photo_urls``) separate items
with ``;``. A header that is unknown, or a required column that is missing, rejects the whole
load before any row is read; files whose names match no kind are rejected too.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from graph.database import Database
from graph.ingest import DEFAULT_BATCH_SIZE, Progress
from graph.records import NODE_TYPES, REL_TYPES, NodeRecord, RelRecord
from graph.records.base import scalar_kinds
from loaders.common import LoadResult, Source, Unit, write_units
from loaders.json_store import decode_utf8, read_bytes
from loaders.loads import fingerprint, source_name
from tracegraph.errors import InvalidInputError

LIST_SEPARATOR = ";"
TRUE = frozenset({"true", "yes", "1"})
FALSE = frozenset({"false", "no", "0"})
INTEGER = re.compile(r"[+-]?\d+")


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


def cell_value(kind: type | None, text: str) -> Any:
    """A cell as the record's field wants it: CSV writes numbers and booleans as text. Text that
    is not one is passed on as is, for the record's validation to refuse with its own message."""
    if kind is bool:
        lowered = text.lower()
        return True if lowered in TRUE else False if lowered in FALSE else text
    if kind is int:
        return int(text) if INTEGER.fullmatch(text) else text
    if kind is float:
        try:
            return float(text)
        except ValueError:
            return text
    return text


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


def csv_files(directory: Path) -> list[Path]:
    """The directory's CSV files, nodes first; anything that is not one is an error."""
    if not directory.is_dir():
        raise InvalidInputError(f"{directory}: not a directory")
    files = sorted(directory.glob("*.csv"))
    folders = [f.name for f in files if not f.is_file()]
    if folders:
        raise InvalidInputError(f"{directory}: {', '.join(folders)} is a directory, not a CSV file")
    unknown = [f.name for f in files if f.stem not in KINDS]
    if unknown:
        raise InvalidInputError(
            f"{directory}: file(s) {', '.join(unknown)} match no node label or relationship kind"
            f" (expected names: {', '.join(sorted(KINDS))} with .csv)"
        )
    # Nodes first: the reference check and the writer need no particular order, readers do.
    files.sort(key=lambda f: (issubclass(KINDS[f.stem], RelRecord), f.name))
    return files


def read_file(path: Path, raw: bytes) -> list[Unit]:
    cls = KINDS[path.stem]
    kinds = scalar_kinds(cls)
    reader = csv.reader(
        io.StringIO(decode_utf8(path, raw).removeprefix("\ufeff"), newline=""), strict=True
    )
    units: list[Unit] = []
    header: list[str] | None = None
    while True:
        # A row starts on the line after the previous one ended: where an open quote started.
        start = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as e:
            if "unexpected end of data" in str(e):
                raise InvalidInputError(
                    f"{path}:{start}: a quoted cell opened on line {start} is never closed"
                    " (it swallows every row after it); close the quote"
                ) from e
            spans = (
                f" (a quote opened on line {start} runs on to line {reader.line_num})"
                if reader.line_num > start
                else ""
            )
            raise InvalidInputError(f"{path}:{start}: malformed CSV: {e}{spans}") from e
        if row is None:
            return units
        if header is None:
            header = [h.strip() for h in row]
            check_header(path, cls, header)
            continue
        if not any(cell.strip() for cell in row):
            continue
        end = reader.line_num
        lines = f"line {start}" if end == start else f"lines {start}-{end}"
        unit = Unit(f"{path.name} {lines}", dict(zip(header, row, strict=False)))
        if len(row) != len(header):
            opened = (
                " (a quote opened on line {start} runs on to line {end})" if end > start else ""
            )
            unit.fail(
                "",
                f"{len(row)} cells for {len(header)} columns{opened.format(start=start, end=end)}",
            )
        else:
            data: dict[str, Any] = {}
            for name, cell in zip(header, row, strict=True):
                value = cell.strip()
                if value == "":
                    continue
                if _is_list(cls, name):
                    data[name] = value.split(LIST_SEPARATOR)
                else:
                    data[name] = cell_value(kinds.get(name), value)
            unit.build(cls, **data)
        units.append(unit)


def read_dir(directory: Path) -> list[Unit]:
    return [u for path in csv_files(directory) for u in read_file(path, read_bytes(path))]


async def load_csv_dir(
    db: Database,
    directory: Path,
    *,
    skip_invalid: bool = False,
    update: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> LoadResult:
    files = [(path, read_bytes(path)) for path in csv_files(directory)]
    units = [u for path, raw in files for u in read_file(path, raw)]
    name = source_name(directory)
    content = b"".join(path.name.encode() + b"\0" + raw + b"\0" for path, raw in files)
    return await write_units(
        db,
        directory / "load",
        units,
        origin=Source("csv", name, fingerprint("csv", name, content)),
        skip_invalid=skip_invalid,
        update=update,
        batch_size=batch_size,
        progress=progress,
    )

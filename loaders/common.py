"""What every file loader shares: building records with located errors, checking references,
and writing all or nothing (or the good ones plus a rejects file with ``skip_invalid``).

A source is parsed into *units*: the smallest pieces that are accepted or rejected together (a
supplier, a batch with its consumption, a quality issue with its investigation...). A unit is
valid when all its records validate and every relationship it holds joins nodes that are either
in an accepted unit of the same load or already in the graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from graph.database import Database
from graph.ingest import DEFAULT_BATCH_SIZE, Progress, WriteSummary, ingest, missing_keys
from graph.records import NodeRecord, RelRecord
from tracegraph.errors import InvalidInputError

Rec = NodeRecord | RelRecord
R = TypeVar("R", bound=NodeRecord | RelRecord)
MAX_REPORTED = 20


@dataclass(frozen=True)
class Problem:
    """One reason a unit is rejected, located as precisely as the source allows."""

    location: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location}, field {self.field}" if self.field else self.location
        return f"{where}: {self.message}"


class RecordError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Unit:
    location: str
    raw: Any
    records: list[Rec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def build(self, cls: type[R], where: str = "", /, **data: Any) -> R | None:
        """Validate one record into this unit; a failure is recorded, not raised."""
        try:
            record = cls(**data)
        except ValidationError as e:
            for err in e.errors():
                loc = ".".join(str(p) for p in err["loc"])
                self.problems.append(Problem(where or self.location, loc, err["msg"]))
            return None
        self.records.append(record)
        return record

    def fail(self, field_name: str, message: str, where: str = "") -> None:
        self.problems.append(Problem(where or self.location, field_name, message))


@dataclass
class LoadResult:
    summary: WriteSummary
    accepted: int
    rejected: int
    rejects_file: Path | None = None


async def check_references(db: Database, units: list[Unit]) -> None:  # noqa: PLR0912 - reference check and its fixpoint in one place
    """Add a problem to every unit whose relationships point at nodes that will not exist."""
    while True:
        defined: set[tuple[str, str]] = set()
        for unit in units:
            if not unit.problems:
                defined |= {(r.LABEL, r.key) for r in unit.records if isinstance(r, NodeRecord)}
        wanted: dict[type[NodeRecord], set[str]] = {}
        for unit in units:
            if unit.problems:
                continue
            for r in unit.records:
                if isinstance(r, RelRecord):
                    for cls, key in ((r.FROM, r.src), (r.TO, r.dst)):
                        if (cls.LABEL, key) not in defined:
                            wanted.setdefault(cls, set()).add(key)
        absent = {
            (cls.LABEL, key)
            for cls, keys in wanted.items()
            for key in await missing_keys(db, cls, keys)
        }
        if not absent:
            return
        for unit in units:
            if unit.problems:
                continue
            for r in unit.records:
                if isinstance(r, RelRecord):
                    for cls, key, side in ((r.FROM, r.src, "from"), (r.TO, r.dst, "to")):
                        if (cls.LABEL, key) in absent:
                            unit.fail(
                                side,
                                f"{r.TYPE} refers to {cls.LABEL} {key!r}, which is neither in"
                                " this load nor in the graph",
                            )
        # Rejecting a unit can orphan references into it: go round until nothing changes.


def _identity(record: Rec) -> tuple[str, ...]:
    if isinstance(record, NodeRecord):
        return (record.LABEL, record.key)
    return (record.TYPE, record.src, record.dst)


def check_duplicates(units: list[Unit], *, repeats_allowed: bool) -> None:
    """A key twice in one input: refused when the facts differ (the second would silently
    overwrite the first), and, unless ``repeats_allowed``, even when they are the same."""
    first: dict[tuple[str, ...], tuple[Unit, Rec]] = {}
    for unit in units:
        for record in unit.records:
            identity = _identity(record)
            seen = first.get(identity)
            if seen is None:
                first[identity] = (unit, record)
                continue
            if seen[1] == record and (repeats_allowed or seen[0] is unit):
                continue
            what = "again" if seen[1] == record else "again with other facts"
            unit.fail("", f"{' '.join(identity)} is given {what} (first at {seen[0].location})")


async def write_units(
    db: Database,
    source: Path,
    units: list[Unit],
    *,
    skip_invalid: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    repeats_allowed: bool = True,
) -> LoadResult:
    """Validate duplicates and references, then write every unit, or none when any is bad
    (unless skipping)."""
    check_duplicates(units, repeats_allowed=repeats_allowed)
    await check_references(db, units)
    bad = [u for u in units if u.problems]
    rejects_file: Path | None = None
    if bad and not skip_invalid:
        problems = [p for u in bad for p in u.problems]
        lines = "\n  ".join(str(p) for p in problems[:MAX_REPORTED])
        more = (
            f"\n  ... and {len(problems) - MAX_REPORTED} more"
            if len(problems) > MAX_REPORTED
            else ""
        )
        raise InvalidInputError(
            f"{source}: {len(bad)} invalid record(s), nothing written:\n  {lines}{more}"
        )
    if bad:
        rejects_file = source.with_name(source.name + ".rejects.jsonl")
        with rejects_file.open("w", encoding="utf-8") as out:
            for unit in bad:
                out.write(
                    json.dumps(
                        {
                            "location": unit.location,
                            "problems": [str(p) for p in unit.problems],
                            "record": unit.raw,
                        },
                        default=str,
                    )
                    + "\n"
                )

    def good() -> Iterator[Rec]:
        for unit in units:
            if not unit.problems:
                yield from unit.records

    summary = await ingest(db, good(), batch_size=batch_size, progress=progress)
    return LoadResult(summary, len(units) - len(bad), len(bad), rejects_file)

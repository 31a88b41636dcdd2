"""What every file loader shares: building records with located errors, checking them against
each other and against the graph, and writing all or nothing (or the good ones plus a rejects
file with ``skip_invalid``) as one recorded load (loaders/loads.py).

A source is parsed into *units*: the smallest pieces that are accepted or rejected together (a
supplier, a batch with its consumption, a quality issue with its investigation...). A unit is
valid when all its records validate, none of them contradicts another record of the load or
what the graph holds under the same key, and every relationship it holds joins nodes that are
either in an accepted unit of the same load or already in the graph.

Nothing is written until all of that is known. What the graph holds is read once, before the
load is recorded; the writes then create only what was absent (a row that finds its element
there after all fails its transaction: see graph/ingest.py) and, with ``update``, set the facts
that differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from graph.database import Database
from graph.ingest import (
    DEFAULT_BATCH_SIZE,
    Progress,
    WriteSummary,
    consumed_reach,
    existing_nodes,
    existing_relationships,
    ingest,
    single_ends,
)
from graph.records import NodeRecord, RelRecord
from graph.records.production import ConsumedBatch
from loaders.loads import LoadRun
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


@dataclass
class Unit:
    location: str
    raw: Any
    records: list[Rec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Where each record came from (its own location, when more precise than the unit's).
    wheres: list[str] = field(default_factory=list)
    # Records the loader derived (an operator named by a batch, a serial of a batch's range):
    # the same one may come from several units. Any other record is defined once per load.
    derived: set[int] = field(default_factory=set)

    def build(self, cls: type[R], where: str = "", /, **data: Any) -> R | None:
        """Validate one record into this unit; a failure is recorded, not raised."""
        return self._build(cls, where, data, derived=False)

    def build_derived(self, cls: type[R], where: str = "", /, **data: Any) -> R | None:
        """Like :meth:`build`, for a record other units may derive too (identically)."""
        return self._build(cls, where, data, derived=True)

    def _build(self, cls: type[R], where: str, data: dict[str, Any], *, derived: bool) -> R | None:
        try:
            record = cls(**data)
        except ValidationError as e:
            for err in e.errors():
                loc = ".".join(str(p) for p in err["loc"])
                self.problems.append(Problem(where or self.location, loc, err["msg"]))
            return None
        if derived:
            self.derived.add(len(self.records))
        self.records.append(record)
        self.wheres.append(where or self.location)
        return record

    def fail(self, field_name: str, message: str, where: str = "") -> None:
        self.problems.append(Problem(where or self.location, field_name, message))


@dataclass
class LoadResult:
    summary: WriteSummary
    accepted: int
    rejected: int
    rejects_file: Path | None = None
    load_id: str = ""
    unchanged: int = 0
    updated: int = 0


# -- identities and facts ------------------------------------------------------------------------
Identity = tuple[str, ...]


def identity(record: Rec) -> Identity:
    """What a record is about: a node's label and key, a relationship's type, labels and keys."""
    if isinstance(record, NodeRecord):
        return (record.LABEL, record.key)
    return (record.TYPE, record.FROM.LABEL, record.TO.LABEL, record.src, record.dst)


def describe(record: Rec) -> str:
    if isinstance(record, NodeRecord):
        return f"{record.LABEL} {record.key!r}"
    return (
        f"{record.FROM.LABEL} {record.src!r} -[:{record.TYPE}]-> {record.TO.LABEL} {record.dst!r}"
    )


def facts(record: Rec) -> dict[str, Any]:
    """The properties a record writes (a relationship's endpoints are its identity, not facts)."""
    values = dict(record.__dict__)
    if isinstance(record, RelRecord):
        del values["src"], values["dst"]
    return values


def _comparable(value: Any) -> Any:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def differences(record: Rec, stored: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, description) of each field whose value in ``record`` is not what ``stored``
    (graph properties) holds.

    Writing the record sets every one of its fields (an absent value removes the property), so
    each counts; properties the record does not know (``_load``, others' additions) do not."""
    mine = facts(record)
    return _differences(mine, stored, "in the graph", list(mine))


def _differences(
    mine: dict[str, Any], theirs: dict[str, Any], there: str, names: list[str]
) -> list[tuple[str, str]]:
    return [
        (name, f"{name}: {_show(theirs.get(name))} {there}, {_show(mine.get(name))} here")
        for name in names
        if _comparable(mine.get(name)) != _comparable(theirs.get(name))
    ]


def _show(value: Any) -> str:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, date):  # dates and instants as ISO text, as the sources write them
        value = value.isoformat()
    text = "absent" if value is None else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- checks within the load ----------------------------------------------------------------------
def check_duplicates(units: list[Unit]) -> None:
    """A record defined twice in one load, or twice with different facts, is an error; so is a
    second relationship of a kind a node has only one of (a serial that two batches produce)."""
    seen: dict[Identity, tuple[Unit, int]] = {}
    ends: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    for unit in units:
        for i, record in enumerate(unit.records):
            key = identity(record)
            first = seen.get(key)
            if first is None:
                seen[key] = (unit, i)
            else:
                other_unit, j = first
                mine, theirs = facts(record), facts(other_unit.records[j])
                names = [*theirs, *(n for n in mine if n not in theirs)]
                diff = _differences(mine, theirs, "there", names)
                where = other_unit.wheres[j]
                if diff:
                    unit.fail(
                        diff[0][0],
                        f"{describe(record)} is also given at {where}, with other facts"
                        f" ({'; '.join(text for _, text in diff[:3])})",
                        unit.wheres[i],
                    )
                elif i not in unit.derived and j not in other_unit.derived:
                    unit.fail(
                        record.KEY if isinstance(record, NodeRecord) else "to",
                        f"{describe(record)} is given twice (also at {where})",
                        unit.wheres[i],
                    )
            if isinstance(record, RelRecord) and record.ONE_PER:
                one, other = one_side(record)
                first_other = ends.setdefault((*group(record), one), (other, unit.wheres[i]))
                if first_other[0] != other:
                    unit.fail(
                        "from" if record.ONE_PER == "dst" else "to",
                        f"{_one_label(record)} {one!r} has one {_direction(record)}, and this"
                        f" load gives it two: {first_other[0]!r} (at {first_other[1]}) and"
                        f" {other!r}",
                        unit.wheres[i],
                    )


def group(record: RelRecord) -> tuple[str, str, str]:
    """Relationships of one kind (Produced and ProducedSerial are one kind)."""
    return (record.TYPE, record.FROM.LABEL, record.TO.LABEL)


def one_side(record: RelRecord) -> tuple[str, str]:
    """(key of the node that has only one of these, key of the node at the other end)."""
    return (record.dst, record.src) if record.ONE_PER == "dst" else (record.src, record.dst)


def _one_label(record: RelRecord) -> str:
    return record.TO.LABEL if record.ONE_PER == "dst" else record.FROM.LABEL


def _direction(record: RelRecord) -> str:
    if record.ONE_PER == "dst":
        return f"{record.TYPE} from a {record.FROM.LABEL}"
    return f"{record.TYPE} to a {record.TO.LABEL}"


# -- what the graph holds ------------------------------------------------------------------------
@dataclass
class GraphState:
    """What the graph holds under the keys a load names, read once before anything is written."""

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[Identity, dict[str, Any]] = field(default_factory=dict)
    # group(record) -> key on the one side -> keys at the other end, for ONE_PER relationships
    ends: dict[tuple[str, str, str], dict[str, set[str]]] = field(default_factory=dict)
    consumes: set[tuple[str, str]] = field(default_factory=set)

    def node(self, label: str, key: str) -> dict[str, Any] | None:
        return self.nodes.get(label, {}).get(key)


async def read_graph_state(db: Database, units: list[Unit]) -> GraphState:
    node_keys: dict[type[NodeRecord], set[str]] = {}
    rel_pairs: dict[type[RelRecord], set[tuple[str, str]]] = {}
    ones: dict[type[RelRecord], set[str]] = {}
    batches: set[str] = set()
    for unit in units:
        for r in unit.records:
            if isinstance(r, NodeRecord):
                node_keys.setdefault(type(r), set()).add(r.key)
                continue
            node_keys.setdefault(r.FROM, set()).add(r.src)
            node_keys.setdefault(r.TO, set()).add(r.dst)
            rel_pairs.setdefault(type(r), set()).add((r.src, r.dst))
            if r.ONE_PER:
                ones.setdefault(type(r), set()).add(one_side(r)[0])
            if isinstance(r, ConsumedBatch):
                batches |= {r.src, r.dst}
    state = GraphState()
    for cls, keys in node_keys.items():
        state.nodes.setdefault(cls.LABEL, {}).update(await existing_nodes(db, cls, keys))
    for rel_cls, pairs in rel_pairs.items():
        for (src, dst), props in (await existing_relationships(db, rel_cls, pairs)).items():
            state.relationships[(rel_cls.TYPE, rel_cls.FROM.LABEL, rel_cls.TO.LABEL, src, dst)] = (
                props
            )
    for rel_cls, keys in ones.items():
        into = state.ends.setdefault((rel_cls.TYPE, rel_cls.FROM.LABEL, rel_cls.TO.LABEL), {})
        for key, others in (await single_ends(db, rel_cls, keys)).items():
            into.setdefault(key, set()).update(others)
    state.consumes = await consumed_reach(db, batches)
    return state


def _check_against_graph(
    unit: Unit, state: GraphState, defined: set[tuple[str, str]], update: bool
) -> None:
    for record, where in zip(unit.records, unit.wheres, strict=True):
        if isinstance(record, NodeRecord):
            stored = state.node(record.LABEL, record.key)
        else:
            stored = state.relationships.get(identity(record))
            ends = [(record.FROM, record.src, "from")]
            if not record.CREATES_TARGET:
                ends.append((record.TO, record.dst, "to"))
            for cls, key, side in ends:
                if (cls.LABEL, key) not in defined and state.node(cls.LABEL, key) is None:
                    unit.fail(
                        side,
                        f"{record.TYPE} refers to {cls.LABEL} {key!r}, which is neither in"
                        " this load nor in the graph",
                        where,
                    )
            if record.ONE_PER:
                one, mine = one_side(record)
                others = state.ends.get(group(record), {}).get(one, set()) - {mine}
                if others:
                    unit.fail(
                        "from" if record.ONE_PER == "dst" else "to",
                        f"{_one_label(record)} {one!r} already has a {_direction(record)}"
                        f" ({sorted(others)[0]!r}) in the graph, and has only one: {mine!r} is"
                        " refused, with --update too (that would rewrite its history)",
                        where,
                    )
        if stored is not None and not update:
            diff = differences(record, stored)
            if diff:
                unit.fail(
                    diff[0][0],
                    f"{describe(record)} is already in the graph with other facts"
                    f" ({'; '.join(text for _, text in diff[:3])}); --update makes this"
                    " load's facts win",
                    where,
                )


def _cycle_edges(edges: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The edges that lie on a cycle (both ends in one strongly connected component)."""
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root, targets in graph.items():
        if root in index:
            continue
        # Iterative Tarjan: genealogies can be deeper than Python's recursion limit.
        work: list[tuple[str, Iterator[str]]] = [(root, iter(targets))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return {(a, b) for a, b in edges if component[a] == component[b]}


def _check_cycles(units: list[Unit], state: GraphState) -> None:
    edges = {
        (r.src, r.dst)
        for u in units
        if not u.problems
        for r in u.records
        if isinstance(r, ConsumedBatch)
    }
    looped = _cycle_edges(edges | state.consumes)
    if not looped:
        return
    for unit in units:
        if unit.problems:
            continue
        for record, where in zip(unit.records, unit.wheres, strict=True):
            if isinstance(record, ConsumedBatch) and (record.src, record.dst) in looped:
                unit.fail(
                    "to",
                    f"batch {record.src!r} consuming batch {record.dst!r} closes a CONSUMED"
                    " cycle (with this load's other links and the graph's): a batch cannot"
                    " be its own input",
                    where,
                )


def check_units(units: list[Unit], state: GraphState, *, update: bool) -> None:
    """Add a problem to every unit that would write something wrong, until none is added."""
    while True:
        before = sum(len(u.problems) for u in units)
        defined = {
            (r.LABEL, r.key)
            for u in units
            if not u.problems
            for r in u.records
            if isinstance(r, NodeRecord)
        }
        for unit in units:
            if not unit.problems:
                _check_against_graph(unit, state, defined, update)
        _check_cycles(units, state)
        # Rejecting a unit can orphan references into it: go round until nothing changes.
        if sum(len(u.problems) for u in units) == before:
            return


@dataclass
class Plan:
    """What the load writes: records absent from the graph, and (``--update``) those whose
    facts differ; records the graph already holds as they are cost nothing."""

    new: list[Rec] = field(default_factory=list)
    updates: list[Rec] = field(default_factory=list)
    unchanged_nodes: int = 0
    unchanged_relationships: int = 0

    @property
    def unchanged(self) -> int:
        return self.unchanged_nodes + self.unchanged_relationships


def plan(units: Iterable[Unit], state: GraphState) -> Plan:
    out = Plan()
    seen: set[Identity] = set()
    for unit in units:
        for record in unit.records:
            key = identity(record)
            if key in seen:
                continue  # a derived record given again, identically (check_duplicates)
            seen.add(key)
            stored = (
                state.node(record.LABEL, record.key)
                if isinstance(record, NodeRecord)
                else state.relationships.get(key)
            )
            if stored is None:
                out.new.append(record)
            elif differences(record, stored):
                out.updates.append(record)
            elif isinstance(record, NodeRecord):
                out.unchanged_nodes += 1
            else:
                out.unchanged_relationships += 1
    return out


def _reject(source: Path, bad: list[Unit], skip_invalid: bool) -> Path | None:
    if not bad:
        return None
    if not skip_invalid:
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
    return rejects_file


@dataclass(frozen=True)
class Source:
    """What a load is recorded as: its kind, where it came from and its fingerprint."""

    kind: str
    name: str
    fingerprint: str


async def write_units(
    db: Database,
    source: Path,
    units: list[Unit],
    *,
    origin: Source,
    skip_invalid: bool = False,
    update: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> LoadResult:
    """Check the units, then write every one of them as one recorded load, or none when any is
    bad (unless skipping the bad ones)."""
    check_duplicates(units)
    state = await read_graph_state(db, units)
    check_units(units, state, update=update)
    bad = [u for u in units if u.problems]
    rejects_file = _reject(source, bad, skip_invalid)
    work = plan((u for u in units if not u.problems), state)
    counts = {"updated": len(work.updates), "unchanged": work.unchanged, "rejected": len(bad)}
    async with LoadRun(
        db, kind=origin.kind, source=origin.name, fingerprint=origin.fingerprint, counts=counts
    ) as run:
        # Rows the graph holds as given count as written rows that were already present.
        run.summary.node_rows += work.unchanged_nodes
        run.summary.relationship_rows += work.unchanged_relationships
        # Updates first: they only touch what exists. Then what is new, each row of which must
        # create its element: finding it there means the graph changed since it was read.
        if work.updates:
            await ingest(db, work.updates, batch_size=batch_size, load=run.id, summary=run.summary)
        if work.new:
            await ingest(
                db,
                work.new,
                batch_size=batch_size,
                progress=progress,
                load=run.id,
                expect_new=True,
                summary=run.summary,
            )
        elif progress is not None:
            progress.update(run.summary, force=True)
    return LoadResult(
        run.summary,
        len(units) - len(bad),
        len(bad),
        rejects_file,
        load_id=run.id,
        unchanged=work.unchanged,
        updated=len(work.updates),
    )

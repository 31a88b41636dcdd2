"""Batched, idempotent writes of validated records (graph/records/) into the graph.

Every write is ``UNWIND $rows AS row MERGE ...`` from ``cypher/ingest/``, one named query per
label and per relationship type, run as a transaction function with ``write_unbounded``. The
:class:`Ingestor` buffers records per type and flushes a buffer when it reaches ``batch_size``;
before any relationship buffer is flushed all node buffers are, so endpoints always exist. Memory
is bounded by (number of types x batch size), whatever the size of the stream.

What a write creates is tagged with the id of the load it belongs to (``_load``). With
``expect_new`` every row must create its node or relationship: a row that finds one already there
(written by someone else since the loader looked) fails the transaction, which rolls back.

Deadlocks: a transaction that creates a relationship locks both end nodes. Two relationship
writes in flight at once that share end nodes (a batch's RUN_ON and FOR_ORDER rows, two CONSUMED
batches into one lot) can take their locks in opposite orders. So two relationship writes are in
flight together only when their end labels are disjoint (every node has one label in this model,
so they cannot share a node): HAS_STAGE (Order, ProductionStage) beside RUN_ON (Batch, Machine),
never RUN_ON beside FOR_ORDER or beside the next RUN_ON batch. Node writes touch only their own
rows' nodes, which no relationship write in flight touches (it waits for them), and overlap freely.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from graph.records import NodeRecord, RelRecord, node_query_name
from tracegraph.errors import InvalidInputError, TracegraphError

DEFAULT_BATCH_SIZE = 10_000
MAX_BATCH_SIZE = 100_000


def check_batch_size(value: int) -> int:
    """``value`` if it is a usable number of rows per transaction, else an error saying which are.

    0 would never flush, and a negative size silently wrote nothing."""
    if not 1 <= value <= MAX_BATCH_SIZE:
        raise InvalidInputError(
            f"batch size {value} is not a number of rows from 1 to {MAX_BATCH_SIZE:,}"
        )
    return value


class WriteConflictError(TracegraphError):
    """A write found the graph changed since the loader read it; its transaction rolled back."""

    code = "WRITE_CONFLICT"


@dataclass
class WriteSummary:
    """What Neo4j reports having changed (``result.consume()`` counters)."""

    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    node_rows: int = 0
    relationship_rows: int = 0

    def add(self, other: WriteSummary) -> None:
        self.nodes_created += other.nodes_created
        self.relationships_created += other.relationships_created
        self.properties_set += other.properties_set
        self.node_rows += other.node_rows
        self.relationship_rows += other.relationship_rows

    @property
    def rows(self) -> int:
        return self.node_rows + self.relationship_rows

    def describe(self) -> str:
        return (
            f"{self.node_rows} node rows ({self.nodes_created} created,"
            f" {self.node_rows - self.nodes_created} already present),"
            f" {self.relationship_rows} relationship rows ({self.relationships_created} created,"
            f" {self.relationship_rows - self.relationships_created} already present),"
            f" {self.properties_set} properties set"
        )


async def write_rows(
    tx: AsyncManagedTransaction,
    *,
    query: str,
    rows: list[dict[str, Any]],
    relationships: bool,
    creates_nodes: bool = False,
    load: str | None = None,
    expect_new: bool = False,
) -> WriteSummary:
    """Run one ``ingest.*`` upsert over ``rows`` and report its counters.

    ``creates_nodes``: each relationship row also creates its target node (``ProducedSerial``).
    ``expect_new``: raise (rolling the transaction back) unless every row created its element."""
    counters = (await queries.write(tx, query, rows=rows, load=load)).counters
    if expect_new:
        created = counters.relationships_created if relationships else counters.nodes_created
        if created != len(rows):
            raise WriteConflictError(
                f"{len(rows) - created} of {len(rows)} rows of {query} found their"
                " node or relationship already in the graph: it changed while loading"
                " (nothing of this batch was written; run the load again)"
            )
    return WriteSummary(
        nodes_created=counters.nodes_created,
        relationships_created=counters.relationships_created,
        properties_set=counters.properties_set,
        node_rows=len(rows) if creates_nodes or not relationships else 0,
        relationship_rows=len(rows) if relationships else 0,
    )


async def _keyed_rows(
    tx: AsyncManagedTransaction, /, *, query: str, **params: Any
) -> list[dict[str, Any]]:
    return [record.data() for record in await queries.read(tx, query, **params)]


async def _read_chunked(
    db: Database, query: str, name: str, values: list[Any]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for start in range(0, len(values), DEFAULT_BATCH_SIZE):
        chunk = values[start : start + DEFAULT_BATCH_SIZE]
        rows += await db.read(_keyed_rows, query=query, **{name: chunk})
    return rows


def lookup_query_name(cls: type[NodeRecord] | type[RelRecord]) -> str:
    """The read of what the graph holds of ``cls``: ``ingest.keys_*`` or ``ingest.pairs_*``."""
    if issubclass(cls, NodeRecord):
        return node_query_name(cls).replace(".node_", ".keys_")
    return cls.query_name().replace(".rel_", ".pairs_")


async def existing_nodes(
    db: Database, cls: type[NodeRecord], keys: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The nodes of ``cls`` under ``keys`` that the graph holds: key -> properties."""
    rows = await _read_chunked(db, lookup_query_name(cls), "keys", sorted(set(keys)))
    return {str(row["key"]): row["props"] for row in rows}


async def existing_relationships(
    db: Database, cls: type[RelRecord], pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The ``cls`` relationships between ``pairs`` of keys in the graph: pair -> properties."""
    wanted = [{"src": s, "dst": d} for s, d in sorted(set(pairs))]
    rows = await _read_chunked(db, lookup_query_name(cls), "pairs", wanted)
    return {(str(row["src"]), str(row["dst"])): row["props"] for row in rows}


def ends_query_name(cls: type[RelRecord]) -> str:
    """The read of the other ends of a relationship a node has only one of (``ONE_PER``)."""
    return cls.query_name().replace(".rel_", ".ends_")


async def single_ends(
    db: Database, cls: type[RelRecord], keys: Iterable[str]
) -> dict[str, set[str]]:
    """For ``cls`` (``ONE_PER`` set): key of a node on its one side -> the keys the graph holds
    at the other end (more than one only if the graph already broke the rule)."""
    rows = await _read_chunked(db, ends_query_name(cls), "keys", sorted(set(keys)))
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(str(row["key"]), set()).add(str(row["other"]))
    return found


async def consumed_reach(db: Database, batches: Iterable[str]) -> set[tuple[str, str]]:
    """Pairs of ``batches`` where the first consumes the second through the graph's chains."""
    wanted = sorted(set(batches))
    if not wanted:
        return set()
    rows = await db.read(_keyed_rows, query="ingest.consumed_reach", keys=wanted)
    return {(str(row["src"]), str(row["dst"])) for row in rows}


async def missing_keys(db: Database, cls: type[NodeRecord], keys: Iterable[str]) -> set[str]:
    """The keys of ``cls`` among ``keys`` that are not in the graph."""
    wanted = set(keys)
    return wanted - set(await existing_nodes(db, cls, wanted))


class Progress:
    """One self-overwriting stderr line with the rate; silent when not asked for."""

    def __init__(self, stream: TextIO | None = sys.stderr, *, every: float = 1.0) -> None:
        self.stream = stream
        self.every = every
        self.started = time.monotonic()
        self._last = 0.0

    def update(self, summary: WriteSummary, *, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        elapsed = max(now - self.started, 1e-9)
        self.stream.write(
            f"\r{summary.node_rows:>11,} nodes {summary.relationship_rows:>11,} relationships"
            f"  {summary.rows / elapsed:>9,.0f} rows/s  {elapsed:7.1f}s"
        )
        if force:
            self.stream.write("\n")
        self.stream.flush()


# Write phases: a write may MATCH only what writes of earlier phases created.
_NODES = 0
_NODE_CREATING_RELATIONSHIPS = 1  # e.g. a serial created together with its PRODUCED link
_RELATIONSHIPS = 2
_ALL_PHASES = _RELATIONSHIPS + 1


def _phase(cls: type[NodeRecord] | type[RelRecord]) -> int:
    if issubclass(cls, NodeRecord):
        return _NODES
    return _NODE_CREATING_RELATIONSHIPS if cls.CREATES_TARGET else _RELATIONSHIPS


@dataclass
class Ingestor:
    """Buffers records per type and writes them in batches; ``await close()`` flushes the rest."""

    db: Database
    batch_size: int = DEFAULT_BATCH_SIZE
    # True only when the graph is known to hold none of these records (CREATE, no lookups).
    create_only: bool = False
    progress: Progress | None = None
    # The load the writes belong to: what they create is tagged with it.
    load: str | None = None
    # Every row must create its element (the loader read that it is absent): see write_rows.
    expect_new: bool = False
    # Neo4j Community runs each query on one thread: more writes in flight keep the other core
    # busy. Writes are ordered by phase (nodes, then node-creating links, then relationships),
    # and relationship writes run one at a time (see the module's note on deadlocks).
    max_in_flight: int = 3
    summary: WriteSummary = field(default_factory=WriteSummary)
    _buffers: dict[type[NodeRecord] | type[RelRecord], list[dict[str, Any]]] = field(
        default_factory=dict
    )
    # (phase, labels of the nodes the write locks, the write)
    _pending: list[tuple[int, frozenset[str], asyncio.Task[WriteSummary]]] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        check_batch_size(self.batch_size)

    async def add(self, record: NodeRecord | RelRecord) -> None:
        cls = type(record)
        rows = self._buffers.setdefault(cls, [])
        rows.append(record.to_params())
        if len(rows) >= self.batch_size:
            # Whatever this write may MATCH must be written first: every buffer of an earlier phase.
            await self._flush_phases_below(_phase(cls))
            await self._flush(cls)

    async def add_all(self, records: Iterable[NodeRecord | RelRecord]) -> None:
        for record in records:
            await self.add(record)

    async def close(self) -> WriteSummary:
        await self._flush_phases_below(_ALL_PHASES)
        await self.drain()
        if self.progress is not None:
            self.progress.update(self.summary, force=True)
        return self.summary

    def _suffix(self) -> str:
        return "_create" if self.create_only else ""

    async def _flush_phases_below(self, phase: int) -> None:
        for cls in sorted(self._buffers, key=_phase):
            if _phase(cls) < phase:
                await self._flush(cls)

    async def _flush(self, cls: type[NodeRecord] | type[RelRecord]) -> None:
        rows = self._buffers.pop(cls, [])
        if not rows:
            return
        if issubclass(cls, NodeRecord):
            query, labels = node_query_name(cls), frozenset({cls.LABEL})
        else:
            query, labels = cls.query_name(), frozenset({cls.FROM.LABEL, cls.TO.LABEL})
        await self._write(query + self._suffix(), rows, phase=_phase(cls), labels=labels)

    async def _write(
        self, query: str, rows: list[dict[str, Any]], *, phase: int, labels: frozenset[str]
    ) -> None:
        # Writes stay in flight while the caller goes on producing the next batch. A write first
        # waits for every write of an earlier phase sent before it, so what it MATCHes is committed.
        for start in range(0, len(rows), self.batch_size):
            await self._wait_below(phase)
            if phase != _NODES:
                await self._wait_relationship_writes(labels)
            while len(self._pending) >= self.max_in_flight:
                await self._wait_oldest()
            task = asyncio.create_task(
                self.db.write_unbounded(
                    write_rows,
                    query=query,
                    rows=rows[start : start + self.batch_size],
                    relationships=phase != _NODES,
                    creates_nodes=phase == _NODE_CREATING_RELATIONSHIPS,
                    load=self.load,
                    expect_new=self.expect_new,
                )
            )
            self._pending.append((phase, labels, task))
            # Let the task send its request before the caller's CPU-bound work resumes.
            await asyncio.sleep(0)

    async def _wait_oldest(self) -> None:
        _, _, task = self._pending.pop(0)
        await self._settle([task])

    async def _wait_relationship_writes(self, labels: frozenset[str]) -> None:
        """Wait for (and account) every relationship write in flight that may share a node with
        one between ``labels``."""
        await self._wait_where(lambda phase, theirs: phase != _NODES and bool(theirs & labels))

    async def _wait_below(self, phase: int) -> None:
        """Wait for (and account) every write in flight of a phase before ``phase``."""
        await self._wait_where(lambda earlier, _: earlier < phase)

    async def _wait_where(self, chosen: Callable[[int, frozenset[str]], bool]) -> None:
        tasks = [task for phase, labels, task in self._pending if chosen(phase, labels)]
        self._pending = [p for p in self._pending if not chosen(p[0], p[1])]
        await self._settle(tasks)

    async def _settle(self, tasks: list[asyncio.Task[WriteSummary]]) -> None:
        """Wait for every one of ``tasks``, account those that committed, raise the first error.

        All are awaited even when one fails, so the summary counts every committed write."""
        results = await asyncio.gather(*tasks, return_exceptions=True)
        failure: BaseException | None = None
        for result in results:
            if isinstance(result, BaseException):
                failure = failure or result
            else:
                self._account(result)
        if failure is not None:
            raise failure

    async def abandon(self) -> None:
        """On a failure: let the writes in flight finish or fail, accounting the committed ones."""
        pending, self._pending = self._pending, []
        with contextlib.suppress(BaseException):
            await self._settle([task for _, _, task in pending])

    async def drain(self) -> None:
        """Wait for every write in flight and account for them."""
        await self._wait_below(_ALL_PHASES)

    def _account(self, done: WriteSummary) -> None:
        self.summary.add(done)
        if self.progress is not None:
            self.progress.update(self.summary)


async def ingest(
    db: Database,
    records: Iterable[NodeRecord | RelRecord],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    create_only: bool = False,
    progress: Progress | None = None,
    load: str | None = None,
    expect_new: bool = False,
    summary: WriteSummary | None = None,
) -> WriteSummary:
    """Write ``records`` (streamed) and return what changed.

    ``summary``: accumulate into this one (it then tells what was written even when this raises).
    """
    ingestor = Ingestor(
        db,
        batch_size=batch_size,
        create_only=create_only,
        progress=progress,
        load=load,
        expect_new=expect_new,
        summary=summary if summary is not None else WriteSummary(),
    )
    try:
        await ingestor.add_all(records)
        return await ingestor.close()
    except BaseException:
        await ingestor.abandon()
        raise


async def _counts(tx: AsyncManagedTransaction, *, query: str, column: str) -> dict[str, int]:
    return {str(r[column]): int(r["count"]) for r in await queries.read(tx, query)}


async def graph_counts(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """(nodes per label, relationships per type) of the whole graph."""
    nodes = await db.read(_counts, query="ingest.label_counts", column="label")
    rels = await db.read(_counts, query="ingest.relationship_counts", column="type")
    return nodes, rels

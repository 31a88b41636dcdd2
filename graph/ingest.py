"""Batched, idempotent writes of validated records (graph/records/) into the graph.

Every write is ``UNWIND $rows AS row MERGE ...`` from ``cypher/ingest/``, one named query per
label and per relationship type, run as a transaction function with ``write_unbounded``. The
:class:`Ingestor` buffers records per type and flushes a buffer when it reaches ``batch_size``;
before any relationship buffer is flushed all node buffers are, so endpoints always exist. Memory
is bounded by (number of types x batch size), whatever the size of the stream.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from graph.records import NodeRecord, RelRecord, node_query_name

DEFAULT_BATCH_SIZE = 10_000


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
) -> WriteSummary:
    """Run one ``ingest.*`` upsert over ``rows`` and report its counters.

    ``creates_nodes``: each relationship row also creates its target node (``ProducedSerial``)."""
    counters = (await queries.write(tx, query, rows=rows)).counters
    return WriteSummary(
        nodes_created=counters.nodes_created,
        relationships_created=counters.relationships_created,
        properties_set=counters.properties_set,
        node_rows=len(rows) if creates_nodes or not relationships else 0,
        relationship_rows=len(rows) if relationships else 0,
    )


async def existing_keys(tx: AsyncManagedTransaction, *, query: str, keys: list[str]) -> set[str]:
    return {str(record["key"]) for record in await queries.read(tx, query, keys=keys)}


async def missing_keys(db: Database, cls: type[NodeRecord], keys: Iterable[str]) -> set[str]:
    """The keys of ``cls`` among ``keys`` that are not in the graph."""
    wanted = sorted(set(keys))
    query = node_query_name(cls).replace(".node_", ".keys_")
    found: set[str] = set()
    for start in range(0, len(wanted), DEFAULT_BATCH_SIZE):
        chunk = wanted[start : start + DEFAULT_BATCH_SIZE]
        found |= await db.read(existing_keys, query=query, keys=chunk)
    return set(wanted) - found


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
    # Neo4j Community runs each query on one thread: more writes in flight keep the other core
    # busy. Writes are ordered by phase (nodes, then node-creating links, then relationships).
    max_in_flight: int = 3
    summary: WriteSummary = field(default_factory=WriteSummary)
    _buffers: dict[type[NodeRecord] | type[RelRecord], list[dict[str, Any]]] = field(
        default_factory=dict
    )
    _pending: list[tuple[int, asyncio.Task[WriteSummary]]] = field(default_factory=list)

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
        query = node_query_name(cls) if issubclass(cls, NodeRecord) else cls.query_name()
        await self._write(query + self._suffix(), rows, phase=_phase(cls))

    async def _write(self, query: str, rows: list[dict[str, Any]], *, phase: int) -> None:
        # Writes stay in flight while the caller goes on producing the next batch. A write first
        # waits for every write of an earlier phase sent before it, so what it MATCHes is committed.
        for start in range(0, len(rows), self.batch_size):
            await self._wait_below(phase)
            while len(self._pending) >= self.max_in_flight:
                await self._wait_oldest()
            task = asyncio.create_task(
                self.db.write_unbounded(
                    write_rows,
                    query=query,
                    rows=rows[start : start + self.batch_size],
                    relationships=phase != _NODES,
                    creates_nodes=phase == _NODE_CREATING_RELATIONSHIPS,
                )
            )
            self._pending.append((phase, task))
            # Let the task send its request before the caller's CPU-bound work resumes.
            await asyncio.sleep(0)

    async def _wait_oldest(self) -> None:
        _, task = self._pending.pop(0)
        self._account(await task)

    async def _wait_below(self, phase: int) -> None:
        """Wait for (and account) every write in flight of a phase before ``phase``."""
        chosen = [task for earlier, task in self._pending if earlier < phase]
        self._pending = [(later, task) for later, task in self._pending if later >= phase]
        for task in chosen:
            self._account(await task)

    async def abandon(self) -> None:
        """On a failure elsewhere: let the write in flight finish or fail, without raising."""
        pending, self._pending = self._pending, []
        await asyncio.gather(*(task for _, task in pending), return_exceptions=True)

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
) -> WriteSummary:
    """Write ``records`` (streamed) and return what changed."""
    ingestor = Ingestor(db, batch_size=batch_size, create_only=create_only, progress=progress)
    try:
        await ingestor.add_all(records)
    except BaseException:
        await ingestor.abandon()
        raise
    return await ingestor.close()


async def _counts(tx: AsyncManagedTransaction, *, query: str, column: str) -> dict[str, int]:
    return {str(r[column]): int(r["count"]) for r in await queries.read(tx, query)}


async def graph_counts(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """(nodes per label, relationships per type) of the whole graph."""
    nodes = await db.read(_counts, query="ingest.label_counts", column="label")
    rels = await db.read(_counts, query="ingest.relationship_counts", column="type")
    return nodes, rels

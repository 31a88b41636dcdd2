"""Loads as the graph records them: one ``:Load`` node per ``tracegraph load`` run.

A load is written in many transactions, so a failure or a kill can leave part of it in the
graph. The ``:Load`` node says so: its status is ``running`` while it writes, ``complete`` once
everything is in, ``failed`` or ``interrupted`` otherwise (a load whose process died cannot say
so itself: a running load whose process is gone, or whose sign of life is older than
:data:`STALE_AFTER`, is listed as interrupted). Every node and relationship a load creates
carries its id in ``_load``, so an unfinished load can be resumed (running the same command
again reuses its id and writes only what is missing) or removed (exactly what it created).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import psutil
from neo4j import AsyncManagedTransaction

from graph import queries
from graph.analytics import refresh_upstream_suppliers
from graph.database import Database
from graph.ingest import WriteSummary
from tracegraph.errors import DatabaseUnavailableError, InvalidInputError, TracegraphError

HEARTBEAT_SECONDS = 10.0
STALE_AFTER = 6 * HEARTBEAT_SECONDS
# Marking a load failed must not hang when Neo4j is the thing that failed.
MARK_TIMEOUT_SECONDS = 5.0
REMOVE_BATCH = 10_000
UNFINISHED = ("running", "failed", "interrupted")


class LoadError(TracegraphError):
    """A load stopped part-way; the message says what it wrote and how to resume or remove it."""

    code = "LOAD_INCOMPLETE"


def fingerprint(kind: str, source: str, content: bytes) -> str:
    """What makes two runs the same load: kind, source and its bytes. Options are left out: a
    re-run with --update (say, to settle a conflict that stopped it) completes the same load."""
    h = hashlib.sha256()
    h.update(f"{kind}\0{source}\0".encode())
    h.update(hashlib.sha256(content).digest())
    return h.hexdigest()


def source_name(path: Path) -> str:
    """How a load names a file or directory: absolute, as given (links not resolved)."""
    return str(path.absolute())


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class LoadInfo:
    """One ``:Load`` node, as read back."""

    id: str
    kind: str
    source: str
    status: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    host: str = ""
    pid: int = 0
    fingerprint: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    resumed: int = 0

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> LoadInfo:
        return cls(
            id=str(props["id"]),
            kind=str(props.get("kind", "")),
            source=str(props.get("source", "")),
            status=str(props.get("status", "")),
            started_at=_native(props.get("started_at")),
            finished_at=_native(props.get("finished_at")),
            heartbeat_at=_native(props.get("heartbeat_at")),
            host=str(props.get("host", "")),
            pid=int(props.get("pid", 0)),
            fingerprint=str(props.get("fingerprint", "")),
            counts={k: int(props[k]) for k in COUNT_FIELDS if props.get(k) is not None},
            message=props.get("message"),
            resumed=int(props.get("resumed") or 0),
        )

    def alive(self) -> bool:
        """Whether the process that runs this load still does (so far as this machine can tell)."""
        if self.status != "running":
            return False
        if self.host == socket.gethostname() and not psutil.pid_exists(self.pid):
            return False
        if self.heartbeat_at is None:
            return False
        return (datetime.now(UTC) - self.heartbeat_at).total_seconds() < STALE_AFTER

    @property
    def effective_status(self) -> str:
        """The stored status, except that a running load nobody runs any more is interrupted."""
        if self.status == "running" and not self.alive():
            return "interrupted"
        return self.status

    def describe(self) -> str:
        started = f"{self.started_at:%Y-%m-%d %H:%M:%S}" if self.started_at else "?"
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in self.counts.items() if v)
        resumed = f", resumed {self.resumed}x" if self.resumed else ""
        line = (
            f"{self.id}  {self.effective_status:<11}  {self.kind:<4}  started {started}"
            f"{resumed}  {self.source}\n      {counts or 'nothing written'}"
        )
        if self.message:
            line += f"\n      {self.message}"
        return line


COUNT_FIELDS = (
    "nodes_created",
    "relationships_created",
    "node_rows",
    "relationship_rows",
    "updated",
    "unchanged",
    "rejected",
)


async def _run(tx: AsyncManagedTransaction, /, *, query: str, **params: Any) -> None:
    await queries.write(tx, query, **params)


async def _loads(tx: AsyncManagedTransaction, /, *, query: str, **params: Any) -> list[LoadInfo]:
    return [LoadInfo.from_props(r["load"]) for r in await queries.read(tx, query, **params)]


async def list_loads(db: Database, *, limit: int = 50) -> list[LoadInfo]:
    return await db.read(_loads, query="ingest.load_list", most=limit)


async def get_load(db: Database, load_id: str) -> LoadInfo | None:
    found = await db.read(_loads, query="ingest.load_by_id", id=load_id)
    return found[0] if found else None


async def latest_of(db: Database, fingerprint_: str) -> LoadInfo | None:
    """The latest load (not removed) of the input with this fingerprint."""
    found = await db.read(_loads, query="ingest.load_by_fingerprint", fingerprint=fingerprint_)
    return found[0] if found else None


def new_load_id() -> str:
    return f"L{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


class LoadRun:
    """``async with LoadRun(...) as run:`` records the load, keeps its sign of life, and sets its
    final status; on an exception it marks the load and raises :class:`LoadError` saying what
    was written and how to go on. ``run.summary`` is what the writes add to."""

    def __init__(
        self,
        db: Database,
        *,
        kind: str,
        source: str,
        fingerprint: str,
        counts: dict[str, int] | None = None,
    ) -> None:
        self.db = db
        self.kind = kind
        self.source = source
        self.fingerprint = fingerprint
        self.extra_counts = dict(counts or {})
        self.summary = WriteSummary()
        self.id = ""
        self.resumed_from: LoadInfo | None = None
        self._heartbeat: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoadRun:
        previous = await latest_of(self.db, self.fingerprint)
        me = {"host": socket.gethostname(), "pid": os.getpid()}
        if previous is not None and previous.alive():
            raise InvalidInputError(
                f"load {previous.id} of the same input is running (pid {previous.pid} on"
                f" {previous.host}); wait for it, or stop it and run this again to resume it"
            )
        if previous is not None and previous.status in UNFINISHED:
            self.id = previous.id
            self.resumed_from = previous
            await self.db.write(_run, query="ingest.load_resume", id=self.id, props=me)
        else:
            self.id = new_load_id()
            props = {
                "kind": self.kind,
                "source": self.source,
                "fingerprint": self.fingerprint,
                **me,
            }
            await self.db.write(_run, query="ingest.load_start", id=self.id, props=props)
        self._heartbeat = asyncio.create_task(self._beat())
        return self

    def counts(self) -> dict[str, int]:
        s = self.summary
        before = self.resumed_from.counts if self.resumed_from else {}
        return {
            # What the load created, over all its runs: what --remove would delete.
            "nodes_created": before.get("nodes_created", 0) + s.nodes_created,
            "relationships_created": before.get("relationships_created", 0)
            + s.relationships_created,
            "node_rows": s.node_rows,
            "relationship_rows": s.relationship_rows,
            **self.extra_counts,
        }

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            # A missed beat only makes the load look stale sooner; the load itself goes on.
            with contextlib.suppress(TracegraphError):
                await self.db.write(
                    _run, query="ingest.load_progress", id=self.id, counts=self.counts()
                )

    async def _stop_beating(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat

    async def _mark(self, status: str, message: str | None) -> bool:
        try:
            await asyncio.wait_for(
                self.db.write(
                    _run,
                    query="ingest.load_finish",
                    id=self.id,
                    status=status,
                    counts=self.counts(),
                    message=message,
                ),
                MARK_TIMEOUT_SECONDS,
            )
        except (TracegraphError, TimeoutError):
            return False
        return True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._stop_beating()
        if exc is None:
            # What the load wrote changes the suppliers upstream of batches: the analytics keep
            # them on each batch. A load that stops part-way is resumed or removed, and both
            # recompute them; until then the scorecards may miss what it wrote.
            try:
                await refresh_upstream_suppliers(self.db)
            except TracegraphError as refresh_failed:
                exc = refresh_failed
        if exc is None:
            await self._mark("complete", None)
            return
        interrupted = isinstance(
            exc, DatabaseUnavailableError | KeyboardInterrupt | asyncio.CancelledError
        )
        status = "interrupted" if interrupted else "failed"
        marked = await self._mark(status, str(exc).splitlines()[0][:500])
        if not isinstance(exc, TracegraphError):
            return  # a bug or Ctrl-C: let it through as it is (the load is marked when possible)
        s = self.summary
        state = (
            f"marked {status}"
            if marked
            else "still marked running (Neo4j could not be told; it is listed as interrupted)"
        )
        raise LoadError(
            f"load {self.id} stopped part-way: {exc}\n"
            f"  it had written {s.node_rows} node rows and {s.relationship_rows} relationship rows"
            f" ({s.nodes_created} nodes and {s.relationships_created} relationships created);"
            f" the load is {state}.\n"
            "  Run the same command again to resume it (it writes only what is missing), or"
            f" `tracegraph load --remove {self.id}` to delete what it created."
        ) from exc


@dataclass(frozen=True)
class Removal:
    load: LoadInfo
    nodes: int
    relationships: int


async def _ids(tx: AsyncManagedTransaction, /, *, query: str, **params: Any) -> list[str]:
    return [str(record["id"]) for record in await queries.read(tx, query, **params)]


async def _single(tx: AsyncManagedTransaction, /, *, query: str, **params: Any) -> dict[str, Any]:
    (record,) = await queries.read(tx, query, **params)
    return record.data()


async def _single_written(
    tx: AsyncManagedTransaction, /, *, query: str, **params: Any
) -> dict[str, Any]:
    (record,) = (await queries.write(tx, query, **params)).records
    return record.data()


async def _in_batches(
    ids: list[str], work: Callable[[list[str]], Awaitable[dict[str, Any]]], column: str
) -> int:
    total = 0
    for start in range(0, len(ids), REMOVE_BATCH):
        total += int((await work(ids[start : start + REMOVE_BATCH]))[column])
    return total


async def remove_load(db: Database, load_id: str) -> Removal:
    """Delete exactly what load ``load_id`` created; refuse when others built on it."""
    load = await get_load(db, load_id)
    if load is None:
        raise InvalidInputError(f"no load {load_id!r} (tracegraph load --status lists them)")
    if load.alive():
        raise InvalidInputError(f"load {load_id} is running (pid {load.pid} on {load.host})")
    if load.status == "removed":
        raise InvalidInputError(f"load {load_id} was removed already")
    nodes = await db.read(_ids, query="ingest.load_node_ids", id=load_id)
    rels = await db.read(_ids, query="ingest.load_relationship_ids", id=load_id)
    dependents = 0
    types: set[str] = set()
    for start in range(0, len(nodes), REMOVE_BATCH):
        row = await db.read(
            _single,
            query="ingest.load_dependents",
            ids=nodes[start : start + REMOVE_BATCH],
            load=load_id,
        )
        dependents += int(row["dependents"])
        types |= set(row["types"])
    if dependents:
        raise InvalidInputError(
            f"load {load_id} cannot be removed: {dependents} relationship(s)"
            f" ({', '.join(sorted(types))}) that it did not create join its nodes (a later load"
            " or a user built on them); remove those first"
        )

    async def delete(query: str, ids: list[str]) -> dict[str, Any]:
        return await db.write_unbounded(_single_written, query=query, ids=ids)

    deleted_rels = await _in_batches(
        rels, lambda ids: delete("ingest.delete_relationships", ids), "deleted"
    )
    deleted_nodes = await _in_batches(
        nodes, lambda ids: delete("ingest.delete_nodes", ids), "deleted"
    )
    await refresh_upstream_suppliers(db)
    await db.write(
        _run,
        query="ingest.load_finish",
        id=load_id,
        status="removed",
        counts={},
        message=f"removed {deleted_nodes} nodes and {deleted_rels} relationships",
    )
    return Removal(load, deleted_nodes, deleted_rels)

"""The FSMA 204 sortable spreadsheet (issue 13 §4): one row per critical tracking event.

For a lot (its receiving, every batch made from it at any depth, the shipping of those batches'
orders that shipped) or a date range, with its key data elements; rows the caller may not read
are left out (cypher/exports/fsma.cypher, the scope rules of every read). The columns and where
each comes from are in docs/api.md.

The rows are streamed: one read transaction iterates the records as the driver fetches them and
hands them on in chunks through a small bounded queue, so a 100,000-row export holds a few
thousand rows at a time, whatever the size of the answer. The records are consumed inside the
transaction function, as everywhere; the transaction stays open while the client reads.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from graph.workflow import DONE
from tracegraph.errors import DatabaseError

COLUMNS: tuple[str, ...] = (
    "event",
    "traceability_lot_code",
    "product",
    "quantity",
    "unit",
    "location",
    "date",
    "reference_document",
    "source",
    "receiver",
    "input_quantity",
    "input_unit",
)
DEFAULT_SORT = "date"
# Rows handed from the transaction to the response at a time, and chunks waiting at most: what
# an export holds in memory, whatever its size.
CHUNK_ROWS = 1000
CHUNKS_WAITING = 2

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Selection:
    """What to export: a lot, a date range (either end open), or a lot's events in a range."""

    lot_number: str | None
    start: dt.date | None
    end: dt.date | None
    sort: str = DEFAULT_SORT
    descending: bool = False

    def params(self) -> dict[str, Any]:
        return {
            "lot_number": self.lot_number,
            "from": self.start,
            "to": self.end,
            "sort": self.sort,
            "descending": self.descending,
            "shipped_states": list(DONE),
        }


class ExportInterruptedError(DatabaseError):
    """The transaction failed after rows were sent: a retry would send them twice."""


async def lot_visible(
    tx: AsyncManagedTransaction, lot_number: str, scope: Mapping[str, Any]
) -> bool:
    (row,) = await queries.read(tx, "exports.lot_visible", lot_number=lot_number, scope=scope)
    return bool(row["visible"])


async def rows(
    db: Database, selection: Selection, scope: Mapping[str, Any]
) -> AsyncGenerator[list[Row]]:
    """The selection's rows in order (``COLUMNS``), in chunks of at most ``CHUNK_ROWS``."""
    queue: asyncio.Queue[list[Row] | BaseException | None] = asyncio.Queue(CHUNKS_WAITING)
    sent = False

    async def work(tx: AsyncManagedTransaction) -> None:
        nonlocal sent
        if sent:
            raise ExportInterruptedError(
                "the export was interrupted; download it again",
                detail="the read transaction failed after rows were sent",
            )
        chunk: list[Row] = []
        async for record in queries.stream(tx, "exports.rows", **selection.params(), scope=scope):
            chunk.append(tuple(record.values()))
            if len(chunk) == CHUNK_ROWS:
                sent = True
                await queue.put(chunk)
                chunk = []
        if chunk:
            sent = True
            await queue.put(chunk)

    async def produce() -> None:
        try:
            await db.read(work)
        except Exception as e:  # handed to the reader, which raises it in the response
            await queue.put(e)
        else:
            await queue.put(None)

    task = asyncio.create_task(produce())
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        # The client went away (or all was read): end the transaction with the response.
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task

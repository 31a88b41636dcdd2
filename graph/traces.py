"""Transaction functions for the traces: forward, backward, impact, and their subgraphs.

Each function validates its input (exactly one root key, ``max_depth`` in 1..20), runs one named
query from ``cypher/traces/`` with the caller's ``scope`` and returns pydantic records. A root that
does not exist, or that the caller's scope does not show, raises :class:`NotFoundError`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from neo4j import AsyncManagedTransaction, Record
from pydantic import BeforeValidator, Field

from graph import queries
from graph.entities import ReadModel, native
from tracegraph.errors import InvalidInputError, NotFoundError

MAX_DEPTH = 20  # the hard bound of the API; the Cypher patterns are bounded by $max_depth
DEFAULT_DEPTH = 10
MAX_PAGE = 10_000
MAX_SUBGRAPH_NODES = 5_000


Date = Annotated[dt.date | None, BeforeValidator(native)]
DateTime = Annotated[dt.datetime | None, BeforeValidator(native)]


class TimelineKind(enum.StrEnum):
    """What happened at a point of a backward trace's timeline."""

    LOT_RECEIVED = "lot_received"
    CONSUMED = "consumed"
    BATCH_PRODUCED = "batch_produced"
    ISSUE_FOUND = "issue_found"


class TraceRoot(ReadModel):
    """The node a trace started from."""

    label: str = Field(description="Its label: MaterialLot, Batch, Supplier, ...")
    key: str = Field(description="Its key (lot number, batch id, ...).")


class TraceBatch(ReadModel):
    """A batch reached by a trace."""

    batch_id: str = Field(description="The batch key.")
    depth: int = Field(description="Fewest CONSUMED hops from the trace's root (0 = a root batch).")
    production_date: Date = Field(default=None, description="When it was produced.")
    level: int | None = Field(default=None, description="Sub-assembly level (0 = made from lots).")
    status: str | None = Field(default=None, description="completed / in_progress / scrapped.")
    quantity: int | None = Field(default=None, description="Units produced.")


class TraceOrder(ReadModel):
    """A customer order a traced batch was made for."""

    order_number: str = Field(description="The order key.")
    status: str | None = Field(default=None, description="The order status.")
    part_number: str | None = Field(default=None, description="The part ordered.")
    customer_id: str | None = Field(default=None, description="The customer who placed it.")


class TraceCustomer(ReadModel):
    """A customer reached by a trace (through its orders)."""

    id: str = Field(description="The customer key.")
    name: str | None = Field(default=None, description="The customer's name.")


class TraceIssue(ReadModel):
    """A quality issue found in a traced batch."""

    issue_id: str = Field(description="The issue key.")
    batch_id: str = Field(description="The batch it was found in.")
    severity: str | None = Field(default=None, description="low / medium / high / critical.")
    status: str | None = Field(
        default=None, description="open / investigating / contained / closed."
    )
    total_cost: float | None = Field(default=None, description="Cost impact so far.")
    detected_at: DateTime = Field(default=None, description="When it was detected (UTC).")


class TraceSerial(ReadModel):
    """A serial produced by a traced batch."""

    serial_number: str = Field(description="The serial key.")
    batch_id: str = Field(description="The batch that produced it.")
    status: str | None = Field(default=None, description="ok / defective / reworked / scrapped.")


class SerialPage(ReadModel):
    """One page of serials: batches in listed order, serial numbers within a batch."""

    total_count: int = Field(description="All serials of the trace, not just this page.")
    items: list[TraceSerial] = Field(description="This page.")
    has_next_page: bool = Field(description="Whether more serials follow.")

    @property
    def end_cursor(self) -> str | None:
        return self.items[-1].serial_number if self.items else None


class ForwardTrace(ReadModel):
    root: TraceRoot
    max_depth: int
    batches: list[TraceBatch]
    orders: list[TraceOrder]
    customers: list[TraceCustomer]
    issues: list[TraceIssue]
    serials: SerialPage


class TraceLot(ReadModel):
    """A material lot behind a traced batch."""

    lot_number: str = Field(description="The lot key.")
    depth: int = Field(description="Fewest CONSUMED hops from the root batch.")
    quarantine_status: str | None = Field(
        default=None, description="released / quarantined / on_hold / rejected."
    )
    received_date: Date = Field(default=None, description="When it was received.")
    quantity: float | None = Field(default=None, description="Quantity received.")
    unit: str | None = Field(default=None, description="Unit of the quantity.")
    supplier_id: str | None = Field(default=None, description="Who supplied it.")
    material_id: str | None = Field(default=None, description="What material it is.")


class TraceSupplier(ReadModel):
    """A supplier behind a trace."""

    id: str = Field(description="The supplier key.")
    name: str | None = Field(default=None, description="The supplier's name.")
    status: str | None = Field(
        default=None, description="active / probation / suspended / inactive."
    )


class TraceMaterial(ReadModel):
    """A material behind a trace."""

    id: str = Field(description="The material key.")
    name: str | None = Field(default=None, description="The material's name.")


class TimelineEvent(ReadModel):
    """One event of a backward trace, in time order."""

    at: DateTime = Field(description="When (UTC; dates are taken at midnight).")
    kind: TimelineKind = Field(description="What happened.")
    subject: str = Field(description="Key of the lot, batch or issue concerned.")
    detail: str = Field(description="A one-line description.")


class BackwardTrace(ReadModel):
    root: TraceRoot
    max_depth: int
    batches: list[TraceBatch]
    lots: list[TraceLot]
    suppliers: list[TraceSupplier]
    materials: list[TraceMaterial]
    timeline: list[TimelineEvent]


class Impact(ReadModel):
    lot_number: str
    quarantine_status: str | None
    supplier_id: str | None
    batches: list[TraceBatch]
    orders: list[TraceOrder]
    customers: list[TraceCustomer]
    issues: list[TraceIssue]
    serial_count: int
    open_issue_count: int
    cost_impact: float | None  # None when the caller's role does not see quality costs


class SubgraphNode(ReadModel):
    """A node of a trace subgraph."""

    id: str = Field(description="Identifier within this response (edges refer to it).")
    label: str = Field(description="Its label.")
    key: str | None = Field(description="Its business key.")


class SubgraphEdge(ReadModel):
    """A relationship of a trace subgraph."""

    source: str = Field(description="The `id` of the start node.")
    target: str = Field(description="The `id` of the end node.")
    type: str = Field(description="Relationship type: CONSUMED, PRODUCED, ...")


class Subgraph(ReadModel):
    """A trace as nodes and edges, for a graph viewer."""

    nodes: list[SubgraphNode] = Field(description="At most `limit` nodes.")
    edges: list[SubgraphEdge] = Field(description="Relationships between kept nodes.")
    truncated: bool = Field(description="True when nodes were left out by `limit`.")


# --- input validation ------------------------------------------------------------------------


def one_root(kind: str, **keys: str | None) -> dict[str, str | None]:
    """Exactly one of ``keys`` must be a non-empty string; returns them with blanks as None."""
    given = {k: (v if v else None) for k, v in keys.items()}
    named = [k for k, v in given.items() if v is not None]
    if len(named) != 1:
        choices = ", ".join(keys)
        raise InvalidInputError(
            f"{kind}: give exactly one of {choices} (got {len(named)}: {', '.join(named) or '-'})"
        )
    return given


def check_depth(max_depth: int) -> int:
    if not 1 <= max_depth <= MAX_DEPTH:
        raise InvalidInputError(f"maxDepth must be between 1 and {MAX_DEPTH}, got {max_depth}")
    return max_depth


def check_range(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise InvalidInputError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _describe(keys: dict[str, str | None]) -> str:
    return " ".join(f"{k}={v!r}" for k, v in keys.items() if v is not None)


async def _one(tx: AsyncManagedTransaction, name: str, what: str, **params: Any) -> Record:
    records = await queries.read(tx, name, **params)
    record = records[0] if records else None
    if record is None or not record["visible"]:
        raise NotFoundError(f"{what}: nothing found")
    return record


async def _trace_record(
    tx: AsyncManagedTransaction,
    name: str,
    kind: str,
    keys: dict[str, str | None],
    *,
    max_depth: int,
    scope: dict[str, Any],
    ranges: tuple[tuple[str, int, int, int], ...] = (),
    **params: Any,
) -> Record:
    """Check the root keys, the depth and each (name, value, low, high) range, then run ``name``."""
    given = one_root(kind, **keys)
    check_depth(max_depth)
    for check in ranges:
        check_range(*check)
    return await _one(
        tx,
        name,
        f"{kind} from {_describe(given)}",
        **given,
        max_depth=max_depth,
        scope=scope,
        **params,
    )


# --- forward ---------------------------------------------------------------------------------


async def forward_trace(
    tx: AsyncManagedTransaction,
    *,
    lot_number: str | None = None,
    batch_id: str | None = None,
    supplier_id: str | None = None,
    max_depth: int = DEFAULT_DEPTH,
    scope: dict[str, Any],
    first: int = 100,
    after: str | None = None,
) -> ForwardTrace:
    """Everything downstream of a lot, a batch or a supplier's lots, with one page of serials."""
    record = await _trace_record(
        tx,
        "traces.forward",
        "forward trace",
        {"lot_number": lot_number, "batch_id": batch_id, "supplier_id": supplier_id},
        max_depth=max_depth,
        scope=scope,
        ranges=(("first", first, 0, MAX_PAGE),),
        first=first,
        after=after,
    )
    # One validation of the whole record: pydantic walks the lists in Rust, not item by item here.
    return ForwardTrace.model_validate(
        {
            **record,
            "max_depth": max_depth,
            "serials": {
                "total_count": record["serial_count"],
                "items": record["serials"],
                "has_next_page": record["has_next_page"],
            },
        }
    )


async def forward_serial_numbers(
    tx: AsyncManagedTransaction,
    *,
    lot_number: str | None = None,
    batch_id: str | None = None,
    supplier_id: str | None = None,
    max_depth: int = DEFAULT_DEPTH,
    scope: dict[str, Any],
) -> list[str]:
    """Every downstream serial number, sorted: the bulk list a recall export needs."""
    record = await _trace_record(
        tx,
        "traces.forward_serial_numbers",
        "forward trace",
        {"lot_number": lot_number, "batch_id": batch_id, "supplier_id": supplier_id},
        max_depth=max_depth,
        scope=scope,
    )
    return list(record["serial_numbers"])


def _subgraph(record: Record) -> Subgraph:
    return Subgraph(
        nodes=[SubgraphNode.model_validate(n) for n in record["nodes"]],
        edges=[SubgraphEdge.model_validate(e) for e in record["edges"]],
        truncated=record["truncated"],
    )


async def forward_subgraph(
    tx: AsyncManagedTransaction,
    *,
    lot_number: str | None = None,
    batch_id: str | None = None,
    supplier_id: str | None = None,
    max_depth: int = DEFAULT_DEPTH,
    scope: dict[str, Any],
    max_nodes: int = 500,
) -> Subgraph:
    """The forward trace as at most ``limit`` nodes and the edges between them."""
    record = await _trace_record(
        tx,
        "traces.forward_subgraph",
        "forward trace",
        {"lot_number": lot_number, "batch_id": batch_id, "supplier_id": supplier_id},
        max_depth=max_depth,
        scope=scope,
        ranges=(("limit", max_nodes, 1, MAX_SUBGRAPH_NODES),),
        limit=max_nodes,
    )
    return _subgraph(record)


# --- backward --------------------------------------------------------------------------------


async def backward_trace(
    tx: AsyncManagedTransaction,
    *,
    serial_number: str | None = None,
    batch_id: str | None = None,
    issue_id: str | None = None,
    max_depth: int = DEFAULT_DEPTH,
    scope: dict[str, Any],
) -> BackwardTrace:
    """The batches, lots, materials and suppliers behind a serial, a batch or an issue."""
    record = await _trace_record(
        tx,
        "traces.backward",
        "backward trace",
        {"serial_number": serial_number, "batch_id": batch_id, "issue_id": issue_id},
        max_depth=max_depth,
        scope=scope,
    )
    return BackwardTrace.model_validate({**record, "max_depth": max_depth})


async def backward_subgraph(
    tx: AsyncManagedTransaction,
    *,
    serial_number: str | None = None,
    batch_id: str | None = None,
    issue_id: str | None = None,
    max_depth: int = DEFAULT_DEPTH,
    scope: dict[str, Any],
    max_nodes: int = 500,
) -> Subgraph:
    """The backward trace as at most ``limit`` nodes and the edges between them."""
    record = await _trace_record(
        tx,
        "traces.backward_subgraph",
        "backward trace",
        {"serial_number": serial_number, "batch_id": batch_id, "issue_id": issue_id},
        max_depth=max_depth,
        scope=scope,
        ranges=(("limit", max_nodes, 1, MAX_SUBGRAPH_NODES),),
        limit=max_nodes,
    )
    return _subgraph(record)


# --- impact ----------------------------------------------------------------------------------


async def impact(tx: AsyncManagedTransaction, *, lot_number: str, scope: dict[str, Any]) -> Impact:
    """What a recall of ``lot_number`` touches, with totals and the cost so far."""
    if not lot_number:
        raise InvalidInputError("impact: lotNumber must not be empty")
    record = await _one(
        tx, "traces.impact", f"impact of lot {lot_number!r}", lot_number=lot_number, scope=scope
    )
    return Impact.model_validate(record)

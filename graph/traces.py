"""Transaction functions for the traces: forward, backward, impact, and their subgraphs.

Each function validates its input (exactly one root key, ``max_depth`` in 1..20), runs one named
query from ``cypher/traces/`` with the caller's ``scope`` and returns pydantic records. A root that
does not exist, or that the caller's scope does not show, raises :class:`NotFoundError`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from neo4j import AsyncManagedTransaction, Record
from pydantic import BaseModel, BeforeValidator

from graph import queries
from tracegraph.errors import InvalidInputError, NotFoundError

MAX_DEPTH = 20  # the hard bound of the API; the Cypher patterns are bounded by $max_depth
DEFAULT_DEPTH = 10
MAX_PAGE = 10_000
MAX_SUBGRAPH_NODES = 5_000


def _native(value: Any) -> Any:
    """neo4j.time values -> datetime values (pydantic does not know the driver's types)."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


Date = Annotated[dt.date | None, BeforeValidator(_native)]
DateTime = Annotated[dt.datetime | None, BeforeValidator(_native)]


class TraceRoot(BaseModel):
    label: str
    key: str


class TraceBatch(BaseModel):
    batch_id: str
    depth: int
    production_date: Date = None
    level: int | None = None
    status: str | None = None
    quantity: int | None = None


class TraceOrder(BaseModel):
    order_number: str
    status: str | None = None
    part_number: str | None = None
    customer_id: str | None = None


class TraceCustomer(BaseModel):
    id: str
    name: str | None = None


class TraceIssue(BaseModel):
    issue_id: str
    batch_id: str
    severity: str | None = None
    status: str | None = None
    total_cost: float | None = None
    detected_at: DateTime = None


class TraceSerial(BaseModel):
    serial_number: str
    batch_id: str
    status: str | None = None


class SerialPage(BaseModel):
    total_count: int
    items: list[TraceSerial]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.items[-1].serial_number if self.items else None


class ForwardTrace(BaseModel):
    root: TraceRoot
    max_depth: int
    batches: list[TraceBatch]
    orders: list[TraceOrder]
    customers: list[TraceCustomer]
    issues: list[TraceIssue]
    serials: SerialPage


class TraceLot(BaseModel):
    lot_number: str
    depth: int
    quarantine_status: str | None = None
    received_date: Date = None
    quantity: float | None = None
    unit: str | None = None
    supplier_id: str | None = None
    material_id: str | None = None


class TraceSupplier(BaseModel):
    id: str
    name: str | None = None
    status: str | None = None


class TraceMaterial(BaseModel):
    id: str
    name: str | None = None


class TimelineEvent(BaseModel):
    at: DateTime
    kind: str  # lot_received / consumed / batch_produced / issue_found
    subject: str
    detail: str


class BackwardTrace(BaseModel):
    root: TraceRoot
    max_depth: int
    batches: list[TraceBatch]
    lots: list[TraceLot]
    suppliers: list[TraceSupplier]
    materials: list[TraceMaterial]
    timeline: list[TimelineEvent]


class Impact(BaseModel):
    lot_number: str
    quarantine_status: str | None
    supplier_id: str | None
    batches: list[TraceBatch]
    orders: list[TraceOrder]
    customers: list[TraceCustomer]
    issues: list[TraceIssue]
    serial_count: int
    open_issue_count: int
    cost_impact: float


class SubgraphNode(BaseModel):
    id: str
    label: str
    key: str | None


class SubgraphEdge(BaseModel):
    source: str
    target: str
    type: str


class Subgraph(BaseModel):
    nodes: list[SubgraphNode]
    edges: list[SubgraphEdge]
    truncated: bool


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
    result = await queries.run(tx, name, **params)
    record = await result.single()
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

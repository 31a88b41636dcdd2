"""The traces: ``forwardTrace``, ``backwardTrace`` and ``impact``, with their own light types.

The types here are deliberately self-contained (keys and a few properties, not the entity types):
a trace answers "what is affected?"; the entity API answers "tell me everything about X".
Errors: bad input raises ``InvalidInputError`` (``extensions.code`` INVALID_INPUT), an unknown or
out-of-scope root raises ``NotFoundError`` (NOT_FOUND).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from graph import traces as tx
from resolvers import traces as resolve
from resolvers.context import Info

DEPTH_HELP = f"Genealogy levels to follow, 1 to {tx.MAX_DEPTH}."
LIMIT_HELP = f"At most this many nodes, 1 to {tx.MAX_SUBGRAPH_NODES}; `truncated` says if cut."


@strawberry.input(description="Where a forward trace starts: exactly one of the three keys.")
class ForwardFrom:
    lot_number: str | None = strawberry.field(default=None, description="A material lot.")
    batch_id: str | None = strawberry.field(
        default=None, description="A batch (included at depth 0)."
    )
    supplier_id: str | None = strawberry.field(
        default=None, description="A supplier: every lot it supplied."
    )


@strawberry.input(description="Where a backward trace starts: exactly one of the three keys.")
class BackwardFrom:
    serial_number: str | None = strawberry.field(
        default=None, description="A serial: starts at the batch that produced it."
    )
    batch_id: str | None = strawberry.field(default=None, description="A batch (depth 0).")
    issue_id: str | None = strawberry.field(
        default=None,
        description="A quality issue: starts at the batch it was found in (and its serials').",
    )


@strawberry.type(description="The node a trace started from.")
class TraceRoot:
    label: str = strawberry.field(description="Its label: MaterialLot, Batch, Supplier, ...")
    key: str = strawberry.field(description="Its key (lot number, batch id, ...).")

    @staticmethod
    def of(r: tx.TraceRoot) -> TraceRoot:
        return TraceRoot(label=r.label, key=r.key)


@strawberry.type(description="A batch reached by a trace.")
class TraceBatch:
    batch_id: str = strawberry.field(description="The batch key.")
    depth: int = strawberry.field(
        description="Fewest CONSUMED hops from the trace's root (0 = a root batch)."
    )
    production_date: dt.date | None = strawberry.field(description="When it was produced.")
    level: int | None = strawberry.field(description="Sub-assembly level (0 = made from lots).")
    status: str | None = strawberry.field(description="completed / in_progress / scrapped.")
    quantity: int | None = strawberry.field(description="Units produced.")

    @staticmethod
    def of(b: tx.TraceBatch) -> TraceBatch:
        return TraceBatch(
            batch_id=b.batch_id,
            depth=b.depth,
            production_date=b.production_date,
            level=b.level,
            status=b.status,
            quantity=b.quantity,
        )


@strawberry.type(description="A customer order a traced batch was made for.")
class TraceOrder:
    order_number: str = strawberry.field(description="The order key.")
    status: str | None = strawberry.field(description="The order status.")
    part_number: str | None = strawberry.field(description="The part ordered.")
    customer_id: str | None = strawberry.field(description="The customer who placed it.")

    @staticmethod
    def of(o: tx.TraceOrder) -> TraceOrder:
        return TraceOrder(
            order_number=o.order_number,
            status=o.status,
            part_number=o.part_number,
            customer_id=o.customer_id,
        )


@strawberry.type(description="A customer reached by a trace (through its orders).")
class TraceCustomer:
    id: str = strawberry.field(description="The customer key.")
    name: str | None = strawberry.field(description="The customer's name.")

    @staticmethod
    def of(c: tx.TraceCustomer) -> TraceCustomer:
        return TraceCustomer(id=c.id, name=c.name)


@strawberry.type(description="A quality issue found in a traced batch.")
class TraceIssue:
    issue_id: str = strawberry.field(description="The issue key.")
    batch_id: str = strawberry.field(description="The batch it was found in.")
    severity: str | None = strawberry.field(description="low / medium / high / critical.")
    status: str | None = strawberry.field(description="open / investigating / contained / closed.")
    total_cost: float | None = strawberry.field(description="Cost impact so far.")
    detected_at: dt.datetime | None = strawberry.field(description="When it was detected (UTC).")

    @staticmethod
    def of(i: tx.TraceIssue) -> TraceIssue:
        return TraceIssue(
            issue_id=i.issue_id,
            batch_id=i.batch_id,
            severity=i.severity,
            status=i.status,
            total_cost=i.total_cost,
            detected_at=i.detected_at,
        )


@strawberry.type(description="A serial produced by a traced batch.")
class TraceSerial:
    serial_number: str = strawberry.field(description="The serial key.")
    batch_id: str = strawberry.field(description="The batch that produced it.")
    status: str | None = strawberry.field(description="ok / defective / reworked / scrapped.")


@strawberry.type(
    description="One page of serials: batches in listed order, serial numbers within a batch."
)
class SerialPage:
    total_count: int = strawberry.field(description="All serials of the trace, not just this page.")
    items: list[TraceSerial] = strawberry.field(description="This page.")
    has_next_page: bool = strawberry.field(description="Whether more serials follow.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page (the last serial number here)."
    )

    @staticmethod
    def of(p: tx.SerialPage) -> SerialPage:
        return SerialPage(
            total_count=p.total_count,
            items=[
                TraceSerial(serial_number=s.serial_number, batch_id=s.batch_id, status=s.status)
                for s in p.items
            ],
            has_next_page=p.has_next_page,
            end_cursor=p.end_cursor,
        )


@strawberry.type(description="A node of a trace subgraph.")
class TraceNode:
    id: str = strawberry.field(description="Identifier within this response (edges refer to it).")
    label: str = strawberry.field(description="Its label.")
    key: str | None = strawberry.field(description="Its business key.")


@strawberry.type(description="A relationship of a trace subgraph.")
class TraceEdge:
    source: str = strawberry.field(description="The `id` of the start node.")
    target: str = strawberry.field(description="The `id` of the end node.")
    type: str = strawberry.field(description="Relationship type: CONSUMED, PRODUCED, ...")


@strawberry.type(description="A trace as nodes and edges, for a graph viewer.")
class TraceSubgraph:
    nodes: list[TraceNode] = strawberry.field(description="At most `limit` nodes.")
    edges: list[TraceEdge] = strawberry.field(description="Relationships between kept nodes.")
    truncated: bool = strawberry.field(description="True when nodes were left out by `limit`.")

    @staticmethod
    def of(g: tx.Subgraph) -> TraceSubgraph:
        return TraceSubgraph(
            nodes=[TraceNode(id=n.id, label=n.label, key=n.key) for n in g.nodes],
            edges=[TraceEdge(source=e.source, target=e.target, type=e.type) for e in g.edges],
            truncated=g.truncated,
        )


@strawberry.type(description="Everything downstream of a lot, a batch or a supplier's lots.")
class ForwardTrace:
    root: TraceRoot = strawberry.field(description="Where the trace started.")
    max_depth: int = strawberry.field(description="The depth it was bounded by.")
    batches: list[TraceBatch] = strawberry.field(
        description="Every downstream batch once, by depth then batch id."
    )
    orders: list[TraceOrder] = strawberry.field(description="Orders of those batches.")
    customers: list[TraceCustomer] = strawberry.field(description="Customers of those orders.")
    issues: list[TraceIssue] = strawberry.field(
        description="Quality issues found in those batches."
    )
    serial_count: int = strawberry.field(description="Serials produced by those batches.")
    _keys: strawberry.Private[dict[str, str | None]]
    _page: strawberry.Private[tuple[int, str | None, SerialPage]]

    async def _serials(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="Page size, 0 to 10000.")] = 100,
        after: Annotated[
            str | None, strawberry.argument(description="`endCursor` of the previous page.")
        ] = None,
    ) -> SerialPage:
        if (first, after) == self._page[:2]:
            return self._page[2]  # fetched with the trace itself (one round trip)
        trace = await resolve.forward_trace(
            info, **self._keys, max_depth=self.max_depth, first=first, after=after
        )
        return SerialPage.of(trace.serials)

    serials: SerialPage = strawberry.field(
        resolver=_serials,
        description="A page of the downstream serials (batch order, then serial number).",
    )

    async def _serial_numbers(self, info: Info) -> list[str]:
        return await resolve.forward_serial_numbers(info, **self._keys, max_depth=self.max_depth)

    serial_numbers: list[str] = strawberry.field(
        resolver=_serial_numbers,
        description="Every downstream serial number as a sorted list of strings (recall export).",
    )

    async def _subgraph(
        self, info: Info, limit: Annotated[int, strawberry.argument(description=LIMIT_HELP)] = 500
    ) -> TraceSubgraph:
        graph = await resolve.forward_subgraph(
            info, **self._keys, max_depth=self.max_depth, limit=limit
        )
        return TraceSubgraph.of(graph)

    subgraph: TraceSubgraph = strawberry.field(
        resolver=_subgraph, description="The trace as nodes and edges for a viewer."
    )

    @staticmethod
    def deferred(keys: dict[str, str | None], max_depth: int) -> ForwardTrace:
        """A trace whose summary fields were not asked for (only self-loading fields are read)."""
        return ForwardTrace(
            root=TraceRoot(label="", key=""),
            max_depth=max_depth,
            batches=[],
            orders=[],
            customers=[],
            issues=[],
            serial_count=0,
            _keys=keys,
            _page=(
                -1,
                None,
                SerialPage(total_count=0, items=[], has_next_page=False, end_cursor=None),
            ),
        )

    @staticmethod
    def of(
        t: tx.ForwardTrace, keys: dict[str, str | None], first: int, after: str | None
    ) -> ForwardTrace:
        return ForwardTrace(
            root=TraceRoot.of(t.root),
            max_depth=t.max_depth,
            batches=[TraceBatch.of(b) for b in t.batches],
            orders=[TraceOrder.of(o) for o in t.orders],
            customers=[TraceCustomer.of(c) for c in t.customers],
            issues=[TraceIssue.of(i) for i in t.issues],
            serial_count=t.serials.total_count,
            _keys=keys,
            _page=(first, after, SerialPage.of(t.serials)),
        )


@strawberry.type(description="A material lot behind a traced batch.")
class TraceLot:
    lot_number: str = strawberry.field(description="The lot key.")
    depth: int = strawberry.field(description="Fewest CONSUMED hops from the root batch.")
    quarantine_status: str | None = strawberry.field(
        description="released / quarantined / on_hold / rejected."
    )
    received_date: dt.date | None = strawberry.field(description="When it was received.")
    quantity: float | None = strawberry.field(description="Quantity received.")
    unit: str | None = strawberry.field(description="Unit of the quantity.")
    supplier_id: str | None = strawberry.field(description="Who supplied it.")
    material_id: str | None = strawberry.field(description="What material it is.")

    @staticmethod
    def of(lot: tx.TraceLot) -> TraceLot:
        return TraceLot(
            lot_number=lot.lot_number,
            depth=lot.depth,
            quarantine_status=lot.quarantine_status,
            received_date=lot.received_date,
            quantity=lot.quantity,
            unit=lot.unit,
            supplier_id=lot.supplier_id,
            material_id=lot.material_id,
        )


@strawberry.type(description="A supplier behind a trace.")
class TraceSupplier:
    id: str = strawberry.field(description="The supplier key.")
    name: str | None = strawberry.field(description="The supplier's name.")
    status: str | None = strawberry.field(description="active / probation / suspended / inactive.")


@strawberry.type(description="A material behind a trace.")
class TraceMaterial:
    id: str = strawberry.field(description="The material key.")
    name: str | None = strawberry.field(description="The material's name.")


@strawberry.enum(description="What happened at a point of a backward trace's timeline.")
class TimelineKind(enum.Enum):
    LOT_RECEIVED = strawberry.enum_value("lot_received", description="A lot arrived.")
    CONSUMED = strawberry.enum_value("consumed", description="A batch consumed a lot or batch.")
    BATCH_PRODUCED = strawberry.enum_value("batch_produced", description="A batch was produced.")
    ISSUE_FOUND = strawberry.enum_value("issue_found", description="A quality issue was found.")


@strawberry.type(description="One event of a backward trace, in time order.")
class TimelineEvent:
    at: dt.datetime | None = strawberry.field(
        description="When (UTC; dates are taken at midnight)."
    )
    kind: TimelineKind = strawberry.field(description="What happened.")
    subject: str = strawberry.field(description="Key of the lot, batch or issue concerned.")
    detail: str = strawberry.field(description="A one-line description.")


@strawberry.type(
    description="The batches, lots, materials and suppliers behind a serial/batch/issue."
)
class BackwardTrace:
    root: TraceRoot = strawberry.field(description="Where the trace started.")
    max_depth: int = strawberry.field(description="The depth it was bounded by.")
    batches: list[TraceBatch] = strawberry.field(description="The chain of batches, by depth.")
    lots: list[TraceLot] = strawberry.field(description="Material lots consumed in the chain.")
    suppliers: list[TraceSupplier] = strawberry.field(description="Suppliers of those lots.")
    materials: list[TraceMaterial] = strawberry.field(description="Materials of those lots.")
    timeline: list[TimelineEvent] = strawberry.field(
        description="Lot received -> consumed -> batch produced -> issue found, by time."
    )
    _keys: strawberry.Private[dict[str, str | None]]

    async def _subgraph(
        self, info: Info, limit: Annotated[int, strawberry.argument(description=LIMIT_HELP)] = 500
    ) -> TraceSubgraph:
        graph = await resolve.backward_subgraph(
            info, **self._keys, max_depth=self.max_depth, limit=limit
        )
        return TraceSubgraph.of(graph)

    subgraph: TraceSubgraph = strawberry.field(
        resolver=_subgraph, description="The trace as nodes and edges for a viewer."
    )

    @staticmethod
    def of(t: tx.BackwardTrace, keys: dict[str, str | None]) -> BackwardTrace:
        return BackwardTrace(
            root=TraceRoot.of(t.root),
            max_depth=t.max_depth,
            batches=[TraceBatch.of(b) for b in t.batches],
            lots=[TraceLot.of(lot) for lot in t.lots],
            suppliers=[TraceSupplier(id=s.id, name=s.name, status=s.status) for s in t.suppliers],
            materials=[TraceMaterial(id=m.id, name=m.name) for m in t.materials],
            timeline=[
                TimelineEvent(
                    at=e.at, kind=TimelineKind(e.kind), subject=e.subject, detail=e.detail
                )
                for e in t.timeline
            ],
            _keys=keys,
        )


@strawberry.type(description="Totals of what a recall of a lot touches.")
class ImpactTotals:
    batches: int = strawberry.field(description="Downstream batches.")
    serials: int = strawberry.field(description="Serials of those batches.")
    orders: int = strawberry.field(description="Orders of those batches.")
    customers: int = strawberry.field(description="Customers of those orders.")
    open_issues: int = strawberry.field(
        description="Issues found in those batches that are not closed."
    )
    cost_impact: float = strawberry.field(
        description="Sum of total_cost of every issue found in those batches."
    )


@strawberry.type(description="What a recall of one material lot touches.")
class Impact:
    lot_number: str = strawberry.field(description="The lot.")
    quarantine_status: str | None = strawberry.field(
        description="The lot's quarantine status: released / quarantined / on_hold / rejected."
    )
    supplier_id: str | None = strawberry.field(description="Who supplied the lot.")
    totals: ImpactTotals = strawberry.field(description="The counts and the cost so far.")
    batches: list[TraceBatch] = strawberry.field(description="Downstream batches, by depth.")
    orders: list[TraceOrder] = strawberry.field(description="Orders of those batches.")
    customers: list[TraceCustomer] = strawberry.field(description="Customers of those orders.")
    issues: list[TraceIssue] = strawberry.field(
        description="Quality issues found in those batches."
    )

    async def _subgraph(
        self, info: Info, limit: Annotated[int, strawberry.argument(description=LIMIT_HELP)] = 500
    ) -> TraceSubgraph:
        graph = await resolve.forward_subgraph(
            info,
            lot_number=self.lot_number,
            batch_id=None,
            supplier_id=None,
            max_depth=tx.MAX_DEPTH,
            limit=limit,
        )
        return TraceSubgraph.of(graph)

    subgraph: TraceSubgraph = strawberry.field(
        resolver=_subgraph, description="The impact as nodes and edges for a viewer."
    )

    @staticmethod
    def of(i: tx.Impact) -> Impact:
        return Impact(
            lot_number=i.lot_number,
            quarantine_status=i.quarantine_status,
            supplier_id=i.supplier_id,
            totals=ImpactTotals(
                batches=len(i.batches),
                serials=i.serial_count,
                orders=len(i.orders),
                customers=len(i.customers),
                open_issues=i.open_issue_count,
                cost_impact=i.cost_impact,
            ),
            batches=[TraceBatch.of(b) for b in i.batches],
            orders=[TraceOrder.of(o) for o in i.orders],
            customers=[TraceCustomer.of(c) for c in i.customers],
            issues=[TraceIssue.of(x) for x in i.issues],
        )


# Fields of ForwardTrace that run their own query: asked for alone, the summary query is skipped.
_SELF_LOADING = frozenset({"serialNumbers", "subgraph", "maxDepth", "__typename"})


def _top_selections(info: Info) -> list[Selection]:
    # Strawberry builds this tree anew on each access: take it once per request.
    return [selection for field in info.selected_fields for selection in field.selections]


def _only_self_loading(selections: list[Selection]) -> bool:
    return all(
        isinstance(selection, SelectedField) and selection.name in _SELF_LOADING
        for selection in selections
    )


def _serials_args(selections: list[Selection]) -> tuple[int, str | None]:
    """Look ahead for ``serials(first, after)`` so the first page comes with the trace."""
    for selection in selections:
        if getattr(selection, "name", None) == "serials":
            args = getattr(selection, "arguments", {})
            return int(args.get("first", 100)), args.get("after")
    return 0, None


@strawberry.type
class TraceQuery:
    async def _forward_trace(
        self,
        info: Info,
        from_: Annotated[ForwardFrom, strawberry.argument(name="from", description="The root.")],
        max_depth: Annotated[int, strawberry.argument(description=DEPTH_HELP)] = tx.DEFAULT_DEPTH,
    ) -> ForwardTrace:
        keys: dict[str, str | None] = {
            "lot_number": from_.lot_number,
            "batch_id": from_.batch_id,
            "supplier_id": from_.supplier_id,
        }
        selections = _top_selections(info)
        if _only_self_loading(selections):
            # e.g. `{ forwardTrace(...) { serialNumbers } }`: one round trip, not two.
            tx.one_root("forward trace", **keys)
            tx.check_depth(max_depth)
            return ForwardTrace.deferred(keys, max_depth)
        first, after = _serials_args(selections)
        trace = await resolve.forward_trace(
            info, **keys, max_depth=max_depth, first=first, after=after
        )
        return ForwardTrace.of(trace, keys, first, after)

    forward_trace: ForwardTrace = strawberry.field(
        resolver=_forward_trace,
        name="forwardTrace",
        description="Forward trace: every batch, serial, order, customer and quality issue"
        " downstream of a lot, a batch or a supplier's lots.",
    )

    async def _backward_trace(
        self,
        info: Info,
        from_: Annotated[BackwardFrom, strawberry.argument(name="from", description="The root.")],
        max_depth: Annotated[int, strawberry.argument(description=DEPTH_HELP)] = tx.DEFAULT_DEPTH,
    ) -> BackwardTrace:
        keys: dict[str, str | None] = {
            "serial_number": from_.serial_number,
            "batch_id": from_.batch_id,
            "issue_id": from_.issue_id,
        }
        trace = await resolve.backward_trace(info, **keys, max_depth=max_depth)
        return BackwardTrace.of(trace, keys)

    backward_trace: BackwardTrace = strawberry.field(
        resolver=_backward_trace,
        name="backwardTrace",
        description="Backward trace: the batches, lots, materials and suppliers behind a serial,"
        " a batch or a quality issue, with a timeline.",
    )

    async def _impact(
        self,
        info: Info,
        lot_number: Annotated[str, strawberry.argument(description="The lot to recall.")],
    ) -> Impact:
        return Impact.of(await resolve.impact(info, lot_number=lot_number))

    impact: Impact = strawberry.field(
        resolver=_impact,
        description="Impact of a recall of one lot: totals, lists, cost so far, quarantine status.",
    )

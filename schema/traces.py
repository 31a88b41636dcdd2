"""The traces: ``forwardTrace``, ``backwardTrace`` and ``impact``, with their own light types.

The types here are deliberately self-contained (keys and a few properties, not the entity types):
a trace answers "what is affected?"; the entity API answers "tell me everything about X".
Errors: bad input raises ``InvalidInputError`` (``extensions.code`` INVALID_INPUT), an unknown or
out-of-scope root raises ``NotFoundError`` (NOT_FOUND).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from graph import traces as tx
from resolvers import traces as resolve
from resolvers.context import Info
from resolvers.holds import prefetch
from schema.derive import answers_with_model, as_answer, derived, description_of
from schema.holds import Hold, hold_fields, wants_holds

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


@derived(tx.TraceRoot)
class TraceRoot:
    pass


_BATCH_HOLDS = hold_fields("batch", lambda batch: batch.batch_id, "batch")
_ORDER_HOLDS = hold_fields("order", lambda order: order.order_number, "order")
_SERIAL_HOLDS = hold_fields("serial", lambda serial: serial.serial_number, "serial")


@derived(tx.TraceBatch)
class TraceBatch:
    holds: list[Hold] = _BATCH_HOLDS[0]
    on_hold: bool = _BATCH_HOLDS[1]


@derived(tx.TraceOrder)
class TraceOrder:
    holds: list[Hold] = _ORDER_HOLDS[0]
    on_hold: bool = _ORDER_HOLDS[1]


@derived(tx.TraceCustomer)
class TraceCustomer:
    pass


@derived(tx.TraceIssue)
class TraceIssue:
    pass


@derived(tx.TraceSerial)
class TraceSerial:
    holds: list[Hold] = _SERIAL_HOLDS[0]
    on_hold: bool = _SERIAL_HOLDS[1]


def _end_cursor(root: tx.SerialPage) -> str | None:
    return root.end_cursor


@derived(tx.SerialPage)
class SerialPage:
    end_cursor: str | None = strawberry.field(
        resolver=_end_cursor,
        description="Pass as `after` for the next page (the last serial number here).",
    )


@derived(tx.SubgraphNode, name="TraceNode")
class TraceNode:
    pass


@derived(tx.SubgraphEdge, name="TraceEdge")
class TraceEdge:
    pass


@derived(tx.Subgraph, name="TraceSubgraph")
class TraceSubgraph:
    pass


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
    _page: strawberry.Private[tuple[int, str | None, tx.SerialPage]]

    async def _serials(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="Page size, 0 to 10000.")] = 100,
        after: Annotated[
            str | None, strawberry.argument(description="`endCursor` of the previous page.")
        ] = None,
    ) -> tx.SerialPage:
        if (first, after) == self._page[:2]:
            return self._page[2]  # fetched with the trace itself (one round trip)
        trace = await resolve.forward_trace(
            info, **self._keys, max_depth=self.max_depth, first=first, after=after
        )
        return trace.serials

    serials: SerialPage = strawberry.field(
        resolver=answers_with_model(_serials),
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
    ) -> tx.Subgraph:
        return await resolve.forward_subgraph(
            info, **self._keys, max_depth=self.max_depth, limit=limit
        )

    subgraph: TraceSubgraph = strawberry.field(
        resolver=answers_with_model(_subgraph),
        description="The trace as nodes and edges for a viewer.",
    )

    @staticmethod
    def deferred(keys: dict[str, str | None], max_depth: int) -> ForwardTrace:
        """A trace whose summary fields were not asked for (only self-loading fields are read)."""
        return ForwardTrace(
            root=as_answer(tx.TraceRoot(label="", key="")),
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
                tx.SerialPage(total_count=0, items=[], has_next_page=False),
            ),
        )

    @staticmethod
    def of(
        t: tx.ForwardTrace, keys: dict[str, str | None], first: int, after: str | None
    ) -> ForwardTrace:
        return ForwardTrace(
            root=as_answer(t.root),
            max_depth=t.max_depth,
            batches=as_answer(t.batches),
            orders=as_answer(t.orders),
            customers=as_answer(t.customers),
            issues=as_answer(t.issues),
            serial_count=t.serials.total_count,
            _keys=keys,
            _page=(first, after, t.serials),
        )


@derived(tx.TraceLot)
class TraceLot:
    pass


@derived(tx.TraceSupplier)
class TraceSupplier:
    pass


@derived(tx.TraceMaterial)
class TraceMaterial:
    pass


TimelineKind = tx.TimelineKind
strawberry.enum(TimelineKind, description=description_of(TimelineKind))
_KIND_HELP = {
    tx.TimelineKind.LOT_RECEIVED: "A lot arrived.",
    tx.TimelineKind.CONSUMED: "A batch consumed a lot or batch.",
    tx.TimelineKind.BATCH_PRODUCED: "A batch was produced.",
    tx.TimelineKind.ISSUE_FOUND: "A quality issue was found.",
}
for _value in TimelineKind.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = _KIND_HELP[_value.value]


@derived(tx.TimelineEvent)
class TimelineEvent:
    pass


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
    ) -> tx.Subgraph:
        return await resolve.backward_subgraph(
            info, **self._keys, max_depth=self.max_depth, limit=limit
        )

    subgraph: TraceSubgraph = strawberry.field(
        resolver=answers_with_model(_subgraph),
        description="The trace as nodes and edges for a viewer.",
    )

    @staticmethod
    def of(t: tx.BackwardTrace, keys: dict[str, str | None]) -> BackwardTrace:
        return BackwardTrace(
            root=as_answer(t.root),
            max_depth=t.max_depth,
            batches=as_answer(t.batches),
            lots=as_answer(t.lots),
            suppliers=as_answer(t.suppliers),
            materials=as_answer(t.materials),
            timeline=as_answer(t.timeline),
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
    cost_impact: float | None = strawberry.field(
        description="Sum of total_cost of every issue found in those batches; null when the"
        " caller's role does not see quality costs."
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
    ) -> tx.Subgraph:
        return await resolve.forward_subgraph(
            info,
            lot_number=self.lot_number,
            batch_id=None,
            supplier_id=None,
            max_depth=tx.MAX_DEPTH,
            limit=limit,
        )

    subgraph: TraceSubgraph = strawberry.field(
        resolver=answers_with_model(_subgraph),
        description="The impact as nodes and edges for a viewer.",
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
            batches=as_answer(i.batches),
            orders=as_answer(i.orders),
            customers=as_answer(i.customers),
            issues=as_answer(i.issues),
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
        if wants_holds(selections):
            await prefetch(
                info,
                {
                    "batch": [b.batch_id for b in trace.batches],
                    "order": [o.order_number for o in trace.orders],
                    "serial": [s.serial_number for s in trace.serials.items],
                },
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
        if wants_holds(_top_selections(info)):
            await prefetch(info, {"batch": [b.batch_id for b in trace.batches]})
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
        found = await resolve.impact(info, lot_number=lot_number)
        if wants_holds(_top_selections(info)):
            await prefetch(
                info,
                {
                    "batch": [b.batch_id for b in found.batches],
                    "order": [o.order_number for o in found.orders],
                },
            )
        return Impact.of(found)

    impact: Impact = strawberry.field(
        resolver=_impact,
        description="Impact of a recall of one lot: totals, lists, cost so far, quarantine status.",
    )

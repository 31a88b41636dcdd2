"""The traces on the hand-built genealogy of tests/data/graphs/traces.cypher (known answers)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph import traces
from graph.database import Database
from graph.queries import registry
from resolvers.context import Caller, Role
from tests.support import load_fixture_graph
from tracegraph.errors import InvalidInputError, NotFoundError

ADMIN: dict[str, Any] = Caller(role=Role.ADMIN).scope()


@pytest.fixture
async def genealogy(db: Database) -> Database:
    await load_fixture_graph(db, "genealogy")
    return db


def _depths(batches: list[traces.TraceBatch]) -> dict[str, int]:
    return {b.batch_id: b.depth for b in batches}


async def test_forward_from_lot_crosses_four_levels_diamond_and_split_once(
    genealogy: Database,
) -> None:
    trace = await genealogy.read(traces.forward_trace, lot_number="LOT-A1", scope=ADMIN)
    assert trace.root.label == "MaterialLot"
    assert trace.root.key == "LOT-A1"
    # Split (B1, B2), merge/diamond (B3 reached twice, listed once), B6 by its shortest path.
    assert [(b.batch_id, b.depth) for b in trace.batches] == [
        ("B1", 1),
        ("B2", 1),
        ("B6", 1),
        ("B3", 2),
        ("B4", 3),
        ("B5", 4),
    ]
    assert [o.order_number for o in trace.orders] == ["ORD-1", "ORD-2", "ORD-3"]
    assert {c.id for c in trace.customers} == {"CUST-1", "CUST-2"}
    assert [(i.issue_id, i.batch_id) for i in trace.issues] == [("QI-1", "B3"), ("QI-2", "B5")]
    assert trace.serials.total_count == 8
    # Page order: batches as listed (depth, batch id), serial numbers within a batch.
    assert [s.serial_number for s in trace.serials.items] == [
        "SN-B1-1",
        "SN-B1-2",
        "SN-B6-1",
        "SN-B3-1",
        "SN-B3-2",
        "SN-B3-3",
        "SN-B5-1",
        "SN-B5-2",
    ]
    assert not trace.serials.has_next_page


async def test_forward_serial_pages_follow_the_cursor(genealogy: Database) -> None:
    page1 = await genealogy.read(traces.forward_trace, lot_number="LOT-A1", scope=ADMIN, first=3)
    assert [s.serial_number for s in page1.serials.items] == ["SN-B1-1", "SN-B1-2", "SN-B6-1"]
    assert page1.serials.has_next_page
    page2 = await genealogy.read(
        traces.forward_trace,
        lot_number="LOT-A1",
        scope=ADMIN,
        first=5,
        after=page1.serials.end_cursor,
    )
    assert [s.serial_number for s in page2.serials.items] == [
        "SN-B3-1",
        "SN-B3-2",
        "SN-B3-3",
        "SN-B5-1",
        "SN-B5-2",
    ]
    assert not page2.serials.has_next_page
    # A cursor in the middle of a batch continues inside that batch.
    page3 = await genealogy.read(
        traces.forward_trace, lot_number="LOT-A1", scope=ADMIN, first=2, after="SN-B3-1"
    )
    assert [s.serial_number for s in page3.serials.items] == ["SN-B3-2", "SN-B3-3"]
    assert page3.serials.has_next_page
    unknown = await genealogy.read(
        traces.forward_trace, lot_number="LOT-A1", scope=ADMIN, after="SN-NOPE"
    )
    assert unknown.serials.items == []


async def test_forward_serial_numbers_bulk_list(genealogy: Database) -> None:
    numbers = await genealogy.read(traces.forward_serial_numbers, lot_number="LOT-A1", scope=ADMIN)
    assert numbers == sorted(numbers)
    assert len(numbers) == len(set(numbers)) == 8


async def test_forward_honours_max_depth(genealogy: Database) -> None:
    trace = await genealogy.read(
        traces.forward_trace, lot_number="LOT-A1", max_depth=2, scope=ADMIN
    )
    assert _depths(trace.batches) == {"B1": 1, "B2": 1, "B6": 1, "B3": 2}
    one = await genealogy.read(traces.forward_trace, lot_number="LOT-A1", max_depth=1, scope=ADMIN)
    assert _depths(one.batches) == {"B1": 1, "B2": 1, "B6": 1}


async def test_forward_through_a_consumed_cycle_terminates_without_duplicates(
    genealogy: Database,
) -> None:
    trace = await genealogy.read(traces.forward_trace, lot_number="LOT-B1", scope=ADMIN)
    assert _depths(trace.batches) == {
        "B1": 1,
        "C1": 1,
        "B3": 2,
        "C2": 2,
        "B4": 3,
        "B5": 4,
        "B6": 5,
    }
    assert len(trace.batches) == 7
    assert trace.serials.total_count == 2 + 3 + 2 + 1 + 1
    # From inside the cycle: the root batch is depth 0, its partner once.
    cyc = await genealogy.read(traces.forward_trace, batch_id="C2", scope=ADMIN)
    assert _depths(cyc.batches) == {"C2": 0, "C1": 1}


async def test_forward_from_a_supplier_covers_all_its_lots(genealogy: Database) -> None:
    trace = await genealogy.read(traces.forward_trace, supplier_id="SUP-A", scope=ADMIN)
    assert trace.root.label == "Supplier"
    assert _depths(trace.batches) == {"B1": 1, "B2": 1, "B4": 1, "B6": 1, "B3": 2, "B5": 2}


async def test_forward_from_a_batch_includes_it_at_depth_zero(genealogy: Database) -> None:
    trace = await genealogy.read(traces.forward_trace, batch_id="B3", scope=ADMIN)
    assert _depths(trace.batches) == {"B3": 0, "B4": 1, "B5": 2, "B6": 3}


async def test_forward_buyer_scope_sees_only_its_orders_and_serials(genealogy: Database) -> None:
    buyer = Caller(role=Role.BUYER, customer_id="CUST-1").scope()
    trace = await genealogy.read(traces.forward_trace, lot_number="LOT-A1", scope=buyer)
    assert _depths(trace.batches) == {"B3": 2, "B5": 4}
    assert [o.order_number for o in trace.orders] == ["ORD-1", "ORD-3"]
    assert [c.id for c in trace.customers] == ["CUST-1"]
    assert trace.serials.total_count == 5


async def test_supplier_scope_hides_other_suppliers_lots(genealogy: Database) -> None:
    supplier = Caller(role=Role.SUPPLIER, supplier_id="SUP-A").scope()
    mine = await genealogy.read(traces.forward_trace, lot_number="LOT-A1", scope=supplier)
    assert len(mine.batches) == 6
    with pytest.raises(NotFoundError):
        await genealogy.read(traces.forward_trace, lot_number="LOT-B1", scope=supplier)


async def test_backward_from_serial_reaches_lots_suppliers_and_orders_the_timeline(
    genealogy: Database,
) -> None:
    trace = await genealogy.read(traces.backward_trace, serial_number="SN-B5-1", scope=ADMIN)
    assert [(b.batch_id, b.depth) for b in trace.batches] == [
        ("B5", 0),
        ("B4", 1),
        ("B3", 2),
        ("B1", 3),
        ("B2", 3),
    ]
    assert [
        (lot.lot_number, lot.depth, lot.supplier_id, lot.material_id) for lot in trace.lots
    ] == [
        ("LOT-A2", 2, "SUP-A", "MAT-2"),
        ("LOT-A1", 4, "SUP-A", "MAT-1"),
        ("LOT-B1", 4, "SUP-B", "MAT-1"),
    ]
    assert {s.id for s in trace.suppliers} == {"SUP-A", "SUP-B"}
    assert {m.id for m in trace.materials} == {"MAT-1", "MAT-2"}
    kinds = [(e.kind, e.subject) for e in trace.timeline]
    assert kinds[:3] == [
        ("lot_received", "LOT-A1"),
        ("lot_received", "LOT-A2"),
        ("lot_received", "LOT-B1"),
    ]
    assert kinds[3:6] == [("consumed", "LOT-A1"), ("consumed", "LOT-B1"), ("batch_produced", "B1")]
    assert kinds[-2:] == [("issue_found", "QI-1"), ("issue_found", "QI-2")]
    times = [e.at for e in trace.timeline]
    assert times == sorted(t for t in times if t is not None)
    # Every consumption in the chain appears once: B1 x2, B2, B3 x2, B4 x2, B5.
    assert sum(1 for k, _ in kinds if k == "consumed") == 8


async def test_backward_from_issue_and_through_a_cycle(genealogy: Database) -> None:
    trace = await genealogy.read(traces.backward_trace, issue_id="QI-1", scope=ADMIN)
    assert _depths(trace.batches) == {"B3": 0, "B1": 1, "B2": 1}
    assert [lot.lot_number for lot in trace.lots] == ["LOT-A1", "LOT-B1"]
    cyc = await genealogy.read(traces.backward_trace, batch_id="C2", scope=ADMIN)
    assert _depths(cyc.batches) == {"C2": 0, "C1": 1}
    assert [lot.lot_number for lot in cyc.lots] == ["LOT-B1"]


async def test_backward_honours_max_depth(genealogy: Database) -> None:
    trace = await genealogy.read(
        traces.backward_trace, serial_number="SN-B5-1", max_depth=2, scope=ADMIN
    )
    assert _depths(trace.batches) == {"B5": 0, "B4": 1, "B3": 2}
    assert [lot.lot_number for lot in trace.lots] == ["LOT-A2"]
    # The timeline stays inside the bound too: B3's own inputs (B1, B2) are beyond it.
    consumed = [e.detail for e in trace.timeline if e.kind == "consumed"]
    assert consumed == [
        "B4 consumed 3.0 pcs of B3",
        "B4 consumed 1.0 l of LOT-A2",
        "B5 consumed 1.0 pcs of B4",
    ]


async def test_impact_totals_and_cost(genealogy: Database) -> None:
    result = await genealogy.read(traces.impact, lot_number="LOT-A1", scope=ADMIN)
    assert result.quarantine_status == "quarantined"
    assert result.supplier_id == "SUP-A"
    assert len(result.batches) == 6
    assert result.serial_count == 8
    assert len(result.orders) == 3
    assert len(result.customers) == 2
    assert result.open_issue_count == 1
    assert result.cost_impact == pytest.approx(150.5)
    unused = await genealogy.read(traces.impact, lot_number="LOT-X", scope=ADMIN)
    assert (unused.serial_count, unused.cost_impact, unused.batches) == (0, 0.0, [])


async def test_issue_times_are_utc_and_may_be_missing(genealogy: Database) -> None:
    await load_fixture_graph(genealogy, "issue_times_on_genealogy")
    forward = await genealogy.read(traces.forward_trace, lot_number="LOT-A1", scope=ADMIN)
    impact = await genealogy.read(traces.impact, lot_number="LOT-A1", scope=ADMIN)
    for issues in (forward.issues, impact.issues):
        detected = {i.issue_id: i.detected_at for i in issues}
        assert detected["QI-4"] is None
        assert detected["QI-5"] == dt.datetime(2025, 2, 11, 8, 15, 30, 500000, tzinfo=dt.UTC)
        assert detected["QI-1"] == dt.datetime(2025, 2, 10, 8, 0, tzinfo=dt.UTC)
    backward = await genealogy.read(traces.backward_trace, batch_id="B1", scope=ADMIN)
    # No detection time, no place on the timeline; the rest of the trace is unaffected.
    assert "QI-4" not in {e.subject for e in backward.timeline}


async def test_forward_subgraph_is_bounded_and_consistent(genealogy: Database) -> None:
    full = await genealogy.read(traces.forward_subgraph, lot_number="LOT-A1", scope=ADMIN)
    assert not full.truncated
    # root + 6 batches + 3 orders + 2 customers + 2 issues + 8 serials
    assert len(full.nodes) == 22
    assert len({n.id for n in full.nodes}) == 22
    ids = {n.id for n in full.nodes}
    assert all(e.source in ids and e.target in ids for e in full.edges)
    by_id = {n.id: n.key for n in full.nodes}
    consumed = {(by_id[e.source], by_id[e.target]) for e in full.edges if e.type == "CONSUMED"}
    assert ("B3", "B1") in consumed
    assert ("B3", "B2") in consumed
    small = await genealogy.read(
        traces.forward_subgraph, lot_number="LOT-A1", scope=ADMIN, max_nodes=5
    )
    assert small.truncated
    assert len(small.nodes) == 5
    kept = {n.id for n in small.nodes}
    assert all(e.source in kept and e.target in kept for e in small.edges)


async def test_backward_subgraph(genealogy: Database) -> None:
    graph = await genealogy.read(traces.backward_subgraph, serial_number="SN-B5-1", scope=ADMIN)
    labels = sorted(n.label for n in graph.nodes)
    assert labels.count("Batch") == 5
    assert labels.count("MaterialLot") == 3
    assert labels.count("Supplier") == 2
    assert not graph.truncated


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"lot_number": "LOT-A1", "batch_id": "B1"},
        {"lot_number": "LOT-A1", "max_depth": 0},
        {"lot_number": "LOT-A1", "max_depth": 21},
    ],
)
async def test_forward_invalid_input(genealogy: Database, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        await genealogy.read(traces.forward_trace, scope=ADMIN, **kwargs)


async def test_not_found(genealogy: Database) -> None:
    with pytest.raises(NotFoundError):
        await genealogy.read(traces.forward_trace, lot_number="LOT-NOPE", scope=ADMIN)
    with pytest.raises(NotFoundError):
        await genealogy.read(traces.backward_trace, serial_number="SN-NOPE", scope=ADMIN)
    with pytest.raises(NotFoundError):
        await genealogy.read(traces.impact, lot_number="LOT-NOPE", scope=ADMIN)


DOC = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
_BLOCK = re.compile(
    r"```\n(?P<params>(?::param [^\n]*\n)+)```\n\n```cypher\n(?P<query>.*?)\n```", re.S
)
_PARAM = re.compile(r"^:param (?P<name>\w+) => (?P<value>.*)$")


async def _run_block(tx: AsyncManagedTransaction, query: str, param_lines: str) -> list[Any]:
    params: dict[str, Any] = {}
    for line in param_lines.splitlines():
        m = _PARAM.match(line)
        assert m is not None, line
        # What Browser does with `:param x => expr`: evaluate expr as Cypher.
        value = await (await tx.run(f"RETURN {m['value']} AS v")).single(strict=True)
        params[m["name"]] = value["v"]
    return await (await tx.run(query, params)).values()


async def test_analyst_doc_blocks_are_the_api_queries_and_run_after_their_params(
    genealogy: Database,
) -> None:
    blocks = list(_BLOCK.finditer(DOC.read_text(encoding="utf-8")))
    assert len(blocks) >= 5
    api_texts = {q.text for name, q in registry().queries.items() if name.startswith("traces.")}
    for block in blocks:
        assert block["query"] in api_texts  # the doc shows exactly what the API runs
        rows = await genealogy.read(_run_block, block["query"], block["params"])
        assert len(rows) == 1, block["query"][:60]

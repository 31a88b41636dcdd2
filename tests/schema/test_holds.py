"""Quarantine and holds over real HTTP against a real Neo4j (issue 13 §1): holds of batches,
serials and orders downstream of quarantined lots, overlapping causes released in either order,
a consumption under a quarantined lot held at once, a held order refused at shipping, roles,
validation, idempotency, scope, the lists' onHold filter and the holds in traces."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from neo4j import AsyncManagedTransaction

from graph import holds
from graph.database import Database
from resolvers.context import Caller
from tests.ingest_support import fetch
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.settings import Settings

RESULT = """__typename
  ... on LotQuarantineChanged { from to reason since releasedAt
    lot { lotNumber quarantineStatus onHold holds { lot status reason since by } } }
  ... on InvalidTransition { message from to allowed }
  ... on Forbidden { message operation role }
  ... on ValidationFailed { message errors { path message } }
  ... on Conflict { message currentVersion }
  ... on NotFound { message key }"""
QUARANTINE = f"""mutation($input: QuarantineLotInput!) {{
  quarantineLot(input: $input) {{ {RESULT} }} }}"""
RELEASE = f"""mutation($input: ReleaseLotInput!) {{ releaseLot(input: $input) {{ {RESULT} }} }}"""
SHIP = """mutation($input: OrderStepInput!) { ship(input: $input) { __typename
  ... on OrderChanged { to order { workflowStatus } }
  ... on InvalidTransition { message from to allowed } } }"""
HOLDS = """{
  b1: batch(id: "B-1") { ... on Batch { onHold holds { lot status reason by } } }
  b2: batch(id: "B-2") { ... on Batch { onHold holds { lot } } }
  b3: batch(id: "B-3") { ... on Batch { onHold holds { lot } } }
  b4: batch(id: "B-4") { ... on Batch { onHold holds { lot } } }
  bn: batch(id: "B-NEW") { ... on Batch { onHold holds { lot } } }
  sn1: serial(number: "SN-1") { ... on Serial { onHold holds { lot } } }
  sn3: serial(number: "SN-3") { ... on Serial { onHold holds { lot } } }
  sn5: serial(number: "SN-5") { ... on Serial { onHold holds { lot } } }
  o1: order(orderNumber: "ORD-1") { ... on Order { onHold holds { lot } } }
  o3: order(orderNumber: "ORD-3") { ... on Order { onHold holds { lot } } }
  o4: order(orderNumber: "ORD-4") { ... on Order { onHold holds { lot } } }
  o5: order(orderNumber: "ORD-5") { ... on Order { onHold holds { lot } } }
  a: lot(lotNumber: "LOT-A") { ... on MaterialLot { onHold holds { lot } } }
  b: lot(lotNumber: "LOT-B") { ... on MaterialLot { onHold holds { lot } } }
}"""


@pytest.fixture
def settings(neo4j_settings: Settings) -> Settings:
    return neo4j_settings


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "holds")
    return db


@pytest.fixture
def client(settings: Settings, graph: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(settings)) as client:
        yield client


def _as(settings: Settings, role: Role = Role.QUALITY, **who: str) -> dict[str, str]:
    return bearer(settings, role, **who)


def gql(client: httpx2.Client, headers: dict[str, str], query: str, **variables: Any) -> Any:
    response = client.post(
        "/graphql", headers=headers, json={"query": query, "variables": variables}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"]


def quarantine(
    client: httpx2.Client,
    headers: dict[str, str],
    lot: str,
    reason: str = "supplier alert",
    **k: Any,
) -> Any:
    given = {"lotNumber": lot, "reason": reason, **k}
    return gql(client, headers, QUARANTINE, input=given)["quarantineLot"]


def release(client: httpx2.Client, headers: dict[str, str], lot: str, **k: Any) -> Any:
    return gql(client, headers, RELEASE, input={"lotNumber": lot, **k})["releaseLot"]


def held_by(client: httpx2.Client, headers: dict[str, str]) -> dict[str, list[str | None]]:
    """Each fixture entity's holding lots (and its onHold flag agrees)."""
    data = gql(client, headers, HOLDS)
    found = {}
    for name, entity in data.items():
        lots = [h["lot"] for h in entity["holds"]]
        assert entity["onHold"] == bool(lots), (name, entity)
        found[name] = lots
    return found


async def trail(db: Database) -> dict[str, Any]:
    (row,) = await fetch(db, "quarantine_trail")
    return row


NAMES = ["b1", "b2", "b3", "b4", "bn", "sn1", "sn3", "sn5", "o1", "o3", "o4", "o5", "a", "b"]
NOTHING_HELD: dict[str, list[str | None]] = {name: [] for name in NAMES}


@pytest.mark.parametrize("first", ["LOT-A", "LOT-B"])
async def test_a_batch_under_two_quarantined_lots_stays_held_until_both_are_released(
    client: httpx2.Client, settings: Settings, first: str
) -> None:
    quality = _as(settings)
    assert held_by(client, quality) == NOTHING_HELD
    assert quarantine(client, quality, "LOT-A", "metal contamination")["to"] == "quarantined"
    assert quarantine(client, quality, "LOT-B", "certificate missing")["to"] == "quarantined"
    both = held_by(client, quality)
    assert both == {
        **NOTHING_HELD,
        # B-1 consumed both lots: a hold for each, oldest first.
        "b1": ["LOT-A", "LOT-B"],
        "sn1": ["LOT-A", "LOT-B"],
        "o1": ["LOT-A", "LOT-B"],
        # Two levels down from LOT-A, through B-2.
        "b2": ["LOT-A"],
        "b3": ["LOT-A"],
        "sn3": ["LOT-A"],
        "o3": ["LOT-A"],
        "a": ["LOT-A"],
        "b": ["LOT-B"],
    }
    second = "LOT-B" if first == "LOT-A" else "LOT-A"
    assert release(client, quality, first, note="cleared")["to"] == "released"
    one_left = held_by(client, quality)
    assert one_left["b1"] == one_left["sn1"] == one_left["o1"] == [second]
    assert one_left["b3"] == ([] if first == "LOT-A" else ["LOT-A"])
    release(client, quality, second)
    assert held_by(client, quality) == NOTHING_HELD


async def test_a_hold_names_its_lot_reason_start_and_author(
    client: httpx2.Client, settings: Settings
) -> None:
    quality = _as(settings)
    answer = quarantine(client, quality, "LOT-B", "certificate missing")
    assert answer["__typename"] == "LotQuarantineChanged"
    assert answer["from"] == "released"
    assert answer["reason"] == "certificate missing"
    assert answer["since"]
    assert answer["releasedAt"] is None
    assert answer["lot"]["quarantineStatus"] == "quarantined"
    (hold,) = answer["lot"]["holds"]
    assert hold["lot"] == "LOT-B"
    assert hold["status"] == "quarantined"
    assert hold["reason"] == "certificate missing"
    assert hold["by"] == "test-quality"
    assert hold["since"] is not None
    (b1,) = gql(client, quality, HOLDS)["b1"]["holds"]
    assert b1 == {"lot": "LOT-B", "status": "quarantined", "reason": "certificate missing",
                  "by": "test-quality"}  # fmt: skip


async def test_a_consumption_under_a_quarantined_lot_is_held_at_once(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quality = _as(settings)
    quarantine(client, quality, "LOT-C", "corrosion")
    before = held_by(client, quality)
    assert before["b4"] == before["o4"] == ["LOT-C"]
    assert before["bn"] == before["sn5"] == before["o5"] == []
    # consume writes one CONSUMED link (issue 12); nothing else need change for the hold.
    await load_fixture_graph(graph, "holds_new_consumption")
    after = held_by(client, quality)
    assert after["bn"] == after["sn5"] == after["o5"] == ["LOT-C"]
    release(client, quality, "LOT-C")
    assert held_by(client, quality) == NOTHING_HELD


async def test_a_held_order_does_not_ship_and_the_refusal_names_the_hold(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quality, production = _as(settings), _as(settings, Role.PRODUCTION)
    quarantine(client, quality, "LOT-B", "certificate missing")
    refused = gql(client, production, SHIP, input={"orderNumber": "ORD-1"})["ship"]
    assert refused["__typename"] == "InvalidTransition"
    assert refused["from"] == "quality_check"
    assert refused["to"] == "shipped"
    assert "ship" not in refused["allowed"]
    message = refused["message"]
    assert "ORD-1 is on hold" in message
    assert "lot LOT-B is quarantined" in message
    assert "by test-quality (certificate missing)" in message
    assert ("ORD-1", "quality_check") in map(tuple, (await trail(graph))["orders"])
    # An order whose lots are all released ships as before.
    shipped = gql(client, production, SHIP, input={"orderNumber": "ORD-4"})["ship"]
    assert shipped["__typename"] == "OrderChanged"
    assert shipped["to"] == "shipped"
    release(client, quality, "LOT-B")
    shipped = gql(client, production, SHIP, input={"orderNumber": "ORD-1"})["ship"]
    assert shipped["__typename"] == "OrderChanged"
    assert shipped["to"] == "shipped"


async def test_completing_the_last_stage_of_a_held_order_is_refused_and_writes_nothing(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quality, supplier = _as(settings), _as(settings, Role.SUPPLIER, supplier="SUP-001")
    quarantine(client, quality, "LOT-A", "metal contamination")
    progress = """mutation($input: UpdateStageProgressInput!) {
      updateStageProgress(input: $input) { __typename
        ... on InvalidTransition { message to } ... on StageChanged { orderTo } } }"""
    given = {"orderNumber": "ORD-3", "sequence": 8, "completionPercentage": 100}
    stage = '{ order(orderNumber: "ORD-3") { ... on Order { workflowStatus stages { status } } } }'
    before = gql(client, quality, stage)
    refused = gql(client, supplier, progress, input=given)["updateStageProgress"]
    assert refused["__typename"] == "InvalidTransition"
    assert "ORD-3 is on hold: lot LOT-A is quarantined" in refused["message"]
    assert gql(client, quality, stage) == before
    release(client, quality, "LOT-A")
    shipped = gql(client, supplier, progress, input=given)["updateStageProgress"]
    assert shipped == {"__typename": "StageChanged", "orderTo": "shipped"}


async def test_a_lot_loaded_on_hold_holds_downstream_and_is_released_like_a_quarantine(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quality = _as(settings)
    lot = gql(
        client,
        quality,
        '{ lot(lotNumber: "LOT-H") { ... on MaterialLot { onHold holds { lot status reason } } } }',
    )["lot"]
    assert lot == {"onHold": True, "holds": [{"lot": "LOT-H", "status": "on_hold", "reason": None}]}
    released = release(client, quality, "LOT-H", note="inspected: fine")
    assert released["from"] == "on_hold"
    assert released["lot"]["onHold"] is False
    # A rejected lot is neither quarantined nor released.
    for answer in (release(client, quality, "LOT-R"), quarantine(client, quality, "LOT-R")):
        assert answer["__typename"] == "InvalidTransition"
        assert answer["from"] == "rejected"
        assert answer["allowed"] == []


async def test_quarantine_and_release_record_events_and_quarantine_nodes(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    admin = _as(settings, Role.ADMIN)
    quarantine(client, admin, "LOT-A", "metal contamination")
    release(client, admin, "LOT-A", note="lab clear")
    quarantine(client, admin, "LOT-A", "second alert")
    found = await trail(graph)
    assert found["quarantines"] == [
        {"id": "LOT-A/Q-1", "lot_number": "LOT-A", "reason": "metal contamination",
         "by": "test-admin", "role": "admin", "released": True, "released_by": "test-admin",
         "release_note": "lab clear"},
        {"id": "LOT-A/Q-2", "lot_number": "LOT-A", "reason": "second alert", "by": "test-admin",
         "role": "admin", "released": False, "released_by": None, "release_note": None},
    ]  # fmt: skip
    assert found["events"] == [
        {"operation": "quarantineLot", "entity_label": "MaterialLot", "entity_key": "LOT-A",
         "before": "released", "after": "quarantined", "by": "test-admin", "role": "admin",
         "note": "metal contamination", "about": ["LOT-A", "LOT-A/Q-1"]},
        {"operation": "releaseLot", "entity_label": "MaterialLot", "entity_key": "LOT-A",
         "before": "quarantined", "after": "released", "by": "test-admin", "role": "admin",
         "note": "lab clear", "about": ["LOT-A", "LOT-A/Q-1"]},
        {"operation": "quarantineLot", "entity_label": "MaterialLot", "entity_key": "LOT-A",
         "before": "released", "after": "quarantined", "by": "test-admin", "role": "admin",
         "note": "second alert", "about": ["LOT-A", "LOT-A/Q-2"]},
    ]  # fmt: skip


@pytest.mark.parametrize("role", [Role.PRODUCTION, Role.BUYER, Role.SUPPLIER, Role.ANALYST])
async def test_only_quality_and_admin_quarantine_or_release(
    client: httpx2.Client, settings: Settings, graph: Database, role: Role
) -> None:
    who = {"customer": "CUST-001"} if role is Role.BUYER else {}
    who = {"supplier": "SUP-001"} if role is Role.SUPPLIER else who
    headers = _as(settings, role, **who)
    before = await trail(graph)
    refused = quarantine(client, headers, "LOT-A")
    assert refused["__typename"] == "Forbidden"
    assert refused["operation"] == "quarantineLot"
    assert refused["role"] == role.value
    assert release(client, headers, "LOT-H")["__typename"] == "Forbidden"
    assert await trail(graph) == before


async def test_bad_input_unknown_lots_and_states_write_nothing(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quality = _as(settings)
    before = await trail(graph)
    bad = quarantine(client, quality, "LOT-A", reason="  ")
    assert bad["__typename"] == "ValidationFailed"
    assert [e["path"] for e in bad["errors"]] == [["input", "reason"]]
    missing = quarantine(client, quality, "LOT-NONE")
    assert missing == {"__typename": "NotFound", "message": "no lot 'LOT-NONE'", "key": "LOT-NONE"}
    not_held = release(client, quality, "LOT-A")
    assert not_held["__typename"] == "InvalidTransition"
    assert not_held["from"] == "released"
    assert not_held["allowed"] == ["quarantineLot"]
    assert await trail(graph) == before
    quarantine(client, quality, "LOT-A", "metal contamination")
    again = quarantine(client, quality, "LOT-A", "another reason")
    assert again["__typename"] == "InvalidTransition"
    assert again["allowed"] == ["releaseLot"]
    assert "by test-quality (metal contamination)" in again["message"]
    assert len((await trail(graph))["quarantines"]) == 1


async def test_an_idempotency_key_quarantines_once(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quality = _as(settings)
    first = quarantine(client, quality, "LOT-A", "metal", idempotencyKey="k-1")
    replay = quarantine(client, quality, "LOT-A", "metal", idempotencyKey="k-1")
    assert replay == first
    assert first["__typename"] == "LotQuarantineChanged"
    found = await trail(graph)
    assert len(found["quarantines"]) == 1
    assert len(found["events"]) == 1
    other = quarantine(client, quality, "LOT-A", "other reason", idempotencyKey="k-1")
    assert other["__typename"] == "Conflict"
    assert await trail(graph) == found


async def test_a_supplier_sees_that_a_shared_batch_is_held_but_not_another_suppliers_lot(
    client: httpx2.Client, settings: Settings
) -> None:
    quarantine(client, _as(settings), "LOT-B", "certificate missing")  # SUP-002's lot
    supplier = _as(settings, Role.SUPPLIER, supplier="SUP-001")
    b1 = gql(
        client,
        supplier,
        '{ batch(id: "B-1") { ... on Batch { onHold holds { lot reason by status } } } }',
    )
    assert b1["batch"] == {
        "onHold": True,
        "holds": [{"lot": None, "reason": None, "by": None, "status": "quarantined"}],
    }
    buyer = _as(settings, Role.BUYER, customer="CUST-001")
    o1 = gql(
        client, buyer, '{ order(orderNumber: "ORD-1") { ... on Order { onHold holds { lot } } } }'
    )
    assert o1["order"] == {"onHold": True, "holds": [{"lot": "LOT-B"}]}


async def test_lists_filter_on_hold(client: httpx2.Client, settings: Settings) -> None:
    quality = _as(settings)
    quarantine(client, quality, "LOT-B", "certificate missing")
    query = """query($held: Boolean) {
      lots(filter: {onHold: $held}, sort: LOT_NUMBER) { totalCount nodes { lotNumber } }
      batches(filter: {onHold: $held}, sort: BATCH_ID) { totalCount nodes { batchId } }
      orders(filter: {onHold: $held}, sort: ORDER_NUMBER) { totalCount nodes { orderNumber } }
    }"""

    def keys(data: dict[str, Any]) -> dict[str, list[str]]:
        return {
            name: [next(iter(n.values())) for n in page["nodes"]]
            for name, page in data.items()
            if len(page["nodes"]) == page["totalCount"]
        }

    assert keys(gql(client, quality, query, held=True)) == {
        "lots": ["LOT-B", "LOT-H", "LOT-R"],
        "batches": ["B-1"],
        "orders": ["ORD-1"],
    }
    assert keys(gql(client, quality, query, held=False)) == {
        "lots": ["LOT-A", "LOT-C"],
        "batches": ["B-2", "B-3", "B-4", "B-NEW"],
        "orders": ["ORD-3", "ORD-4", "ORD-5"],
    }
    everything = keys(gql(client, quality, query, held=None))
    assert len(everything["lots"]) == 5
    assert len(everything["batches"]) == 5


async def test_forward_trace_shows_holds_of_batches_serials_and_orders(
    client: httpx2.Client, settings: Settings
) -> None:
    quality = _as(settings)
    quarantine(client, quality, "LOT-B", "certificate missing")
    trace = """{ forwardTrace(from: {lotNumber: "LOT-A"}) {
      batches { batchId onHold holds { lot reason } }
      orders { orderNumber onHold holds { lot } }
      serials { items { serialNumber onHold holds { lot } } } } }"""
    found = gql(client, quality, trace)["forwardTrace"]
    assert [(b["batchId"], b["onHold"]) for b in found["batches"]] == [
        ("B-1", True),
        ("B-2", False),
        ("B-3", False),
    ]
    assert found["batches"][0]["holds"] == [{"lot": "LOT-B", "reason": "certificate missing"}]
    assert [(o["orderNumber"], o["holds"]) for o in found["orders"]] == [
        ("ORD-1", [{"lot": "LOT-B"}]),
        ("ORD-3", []),
    ]
    assert [(s["serialNumber"], s["onHold"]) for s in found["serials"]["items"]] == [
        ("SN-1", True),
        ("SN-2", True),
        ("SN-3", False),
    ]


async def test_the_hold_check_for_other_writes_names_the_holds(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quarantine(client, _as(settings), "LOT-A", "metal contamination")
    scope = Caller(role=Role.PRODUCTION).scope()

    async def ask(tx: AsyncManagedTransaction) -> list[str | None]:
        return [
            await holds.held_message(tx, "batch", "B-3", scope, "be consumed"),
            await holds.held_message(tx, "lot", "LOT-A", scope, "be consumed"),
            await holds.held_message(tx, "batch", "B-4", scope, "take serials"),
        ]

    b3, lot, b4 = await graph.read(ask)
    assert b3 is not None
    assert b3.startswith("batch B-3 is on hold: lot LOT-A is quarantined since ")
    assert b3.endswith(
        "by test-quality (metal contamination); it may not be consumed until the lot is released"
    )
    assert lot is not None
    assert lot.startswith("lot LOT-A is on hold: lot LOT-A is quarantined")
    assert b4 is None


async def test_racing_quarantines_of_one_lot_record_one(
    client: httpx2.Client, settings: Settings, graph: Database
) -> None:
    quality = _as(settings)

    def one(n: int) -> Any:
        return quarantine(client, quality, "LOT-A", f"alert {n}", idempotencyKey=f"race-{n}")

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(one, range(6)))
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["InvalidTransition"] * 5 + ["LotQuarantineChanged"]
    found = await trail(graph)
    assert len(found["quarantines"]) == 1
    assert len(found["events"]) == 1

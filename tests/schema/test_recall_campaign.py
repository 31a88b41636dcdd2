"""Recall campaigns over real HTTP against a real Neo4j (issue 13 §2): openRecall holds the
whole scope at once (the batches, serials and orders read onHold with the recall as the cause)
or nothing; customers notified, units recovered and the close, per role; close refused until every
customer is notified; idempotency; two closes racing; a buyer reads only its own orders."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from neo4j import AsyncManagedTransaction

from graph import recall_campaign
from graph.database import Database
from graph.recall import RecallScope
from graph.writes import Actor, WriteRequest
from resolvers.context import Caller
from tests.ingest_support import QUERIES, fetch
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.errors import QueryTimeoutError
from tracegraph.settings import Settings

RECALL = """id status reason classification openedBy unitsRecovered closedBy roots
  customers { customerId notified notifiedBy note }"""
RESULT = f"""__typename
  ... on RecallChanged {{ from to recall {{ {RECALL} }} }}
  ... on InvalidTransition {{ message from to allowed pending }}
  ... on Forbidden {{ message operation role }}
  ... on ValidationFailed {{ message errors {{ path message }} }}
  ... on Conflict {{ message currentVersion }}
  ... on NotFound {{ message key }}"""
OPEN = f"mutation($input: OpenRecallInput!) {{ openRecall(input: $input) {{ {RESULT} }} }}"
NOTIFY = f"""mutation($input: MarkCustomerNotifiedInput!) {{
  markCustomerNotified(input: $input) {{ {RESULT} }} }}"""
RECOVER = f"""mutation($input: RecordRecoveryInput!) {{
  recordRecovery(input: $input) {{ {RESULT} }} }}"""
CLOSE = f"mutation($input: CloseRecallInput!) {{ closeRecall(input: $input) {{ {RESULT} }} }}"
CONSUME = """mutation($input: ConsumeInput!) { consume(input: $input) { __typename
  ... on InputRefused { message reason } } }"""
SHIP = """mutation($input: OrderStepInput!) { ship(input: $input) { __typename
  ... on InvalidTransition { message } } }"""
HOLDS = """{
  b1: batch(id: "B-1") { ... on Batch { onHold holds { lot status recall reason } } }
  b2: batch(id: "B-2") { ... on Batch { onHold holds { lot status recall reason } } }
  b3: batch(id: "B-3") { ... on Batch { onHold holds { lot status recall reason } } }
  b4: batch(id: "B-4") { ... on Batch { onHold holds { lot status recall reason } } }
  sn1: serial(number: "SN-1") { ... on Serial { onHold holds { lot status recall reason } } }
  sn2: serial(number: "SN-2") { ... on Serial { onHold holds { lot status recall reason } } }
  sn3: serial(number: "SN-3") { ... on Serial { onHold holds { lot status recall reason } } }
  o1: order(orderNumber: "ORD-1") { ... on Order { onHold holds { lot status recall reason } } }
  o3: order(orderNumber: "ORD-3") { ... on Order { onHold holds { lot status recall reason } } }
  o4: order(orderNumber: "ORD-4") { ... on Order { onHold holds { lot status recall reason } } }
  a: lot(lotNumber: "LOT-A") { ... on MaterialLot { onHold holds { lot status recall reason } } }
}"""
READ = f"""query($id: String!) {{ recall(id: $id) {{ __typename
  ... on Recall {{ {RECALL} affected {{ orders {{ orderNumber onHold }} customers {{ id }} }} }}
  ... on NotFound {{ key }} }} }}"""
LIST = f"{{ recalls {{ {RECALL} }} }}"
HELD_LISTS = """{ lots(filter: {onHold: true}) { nodes { lotNumber } }
  batches(filter: {onHold: true}) { nodes { batchId } }
  orders(filter: {onHold: true}) { nodes { orderNumber } } }"""


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "holds")
    return db


@pytest.fixture
def client(neo4j_settings: Settings, graph: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(neo4j_settings)) as client:
        yield client


def gql(client: httpx2.Client, headers: dict[str, str], query: str, **variables: Any) -> Any:
    response = client.post(
        "/graphql", headers=headers, json={"query": query, "variables": variables}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"]


def open_recall(
    client: httpx2.Client, headers: dict[str, str], reason: str = "weld cracks", **scope: Any
) -> Any:
    given = {"scope": scope, "reason": reason, "classification": "class_ii"}
    return gql(client, headers, OPEN, input=given)["openRecall"]


def notify(client: httpx2.Client, headers: dict[str, str], rc: str, customer: str, **k: Any) -> Any:
    given = {"recallId": rc, "customerId": customer, **k}
    return gql(client, headers, NOTIFY, input=given)["markCustomerNotified"]


def close(client: httpx2.Client, headers: dict[str, str], rc: str, **k: Any) -> Any:
    return gql(client, headers, CLOSE, input={"recallId": rc, **k})["closeRecall"]


def held(client: httpx2.Client, headers: dict[str, str]) -> dict[str, list[str | None]]:
    """Each fixture entity's holding recalls (and its onHold flag agrees)."""
    found = {}
    for name, entity in gql(client, headers, HOLDS).items():
        assert entity["onHold"] == bool(entity["holds"]), (name, entity)
        found[name] = [h["recall"] for h in entity["holds"]]
    return found


async def trail(db: Database) -> dict[str, Any]:
    (row,) = await fetch(db, "recall_trail")
    return row


NOTHING_HELD = dict.fromkeys(["b1", "b2", "b3", "b4", "sn1", "sn2", "sn3", "o1", "o3", "o4", "a"])


def nothing_held() -> dict[str, list[str | None]]:
    return {name: [] for name in NOTHING_HELD}


async def test_open_holds_the_whole_scope_with_the_recall_as_cause(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    assert held(client, quality) == nothing_held()
    opened = open_recall(client, quality, lotNumbers=["LOT-A"])
    assert opened["__typename"] == "RecallChanged", opened
    assert (opened["from"], opened["to"]) == (None, "open")
    recall = opened["recall"]
    assert recall["id"] == "RC-1"
    assert (recall["status"], recall["roots"], recall["openedBy"]) == (
        "open",
        ["LOT-A"],
        "test-quality",
    )
    assert recall["customers"] == [
        {"customerId": "CUST-001", "notified": False, "notifiedBy": None, "note": None}
    ]
    # Everything downstream of LOT-A, at any depth, and the lot itself; B-4 / ORD-4 are not.
    assert held(client, quality) == {
        **nothing_held(),
        **{name: ["RC-1"] for name in ("b1", "b2", "b3", "sn1", "sn2", "sn3", "o1", "o3", "a")},
    }
    hold = gql(client, quality, HOLDS)["b3"]["holds"][0]
    assert hold == {"lot": "LOT-A", "status": "recalled", "recall": "RC-1", "reason": "weld cracks"}
    # A held order does not ship; the refusal names the recall.
    shipped = gql(
        client, bearer(neo4j_settings, Role.PRODUCTION), SHIP, input={"orderNumber": "ORD-1"}
    )
    assert shipped["ship"]["__typename"] == "InvalidTransition"
    assert "recall RC-1" in shipped["ship"]["message"]
    # Nor is a held lot or batch consumed: the refusal names the recall.
    production = bearer(neo4j_settings, Role.PRODUCTION)
    for given in ({"lotNumber": "LOT-A"}, {"inputBatchId": "B-2"}):
        consumed = gql(
            client, production, CONSUME, input={"batchId": "B-NEW", "quantity": 1.0, **given}
        )["consume"]
        assert consumed.get("reason") == "ON_HOLD", consumed
        assert "recall RC-1" in consumed["message"]
    lists = gql(client, quality, HELD_LISTS)
    assert sorted(n["lotNumber"] for n in lists["lots"]["nodes"]) == ["LOT-A", "LOT-H", "LOT-R"]
    assert sorted(n["batchId"] for n in lists["batches"]["nodes"]) == ["B-1", "B-2", "B-3"]
    assert sorted(n["orderNumber"] for n in lists["orders"]["nodes"]) == ["ORD-1", "ORD-3"]
    events = (await trail(graph))["events"]
    assert events == [["openRecall", "RC-1", None, "open", "test-quality"]]


async def test_a_batch_and_a_serial_range_recall_hold_from_their_roots(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    admin = bearer(neo4j_settings)
    by_batch = open_recall(client, admin, batchIds=["B-2"])
    assert by_batch["recall"]["roots"] == ["B-2"]
    assert held(client, admin) == {
        **nothing_held(),
        **{name: ["RC-1"] for name in ("b2", "b3", "sn3", "o3")},
    }
    by_range = open_recall(client, admin, serialFrom="SN-2", serialTo="SN-2")
    assert by_range["recall"]["roots"] == ["SN-2"]
    found = held(client, admin)
    # The range holds its serial and that serial's order, not the batch's other serial.
    assert (found["sn2"], found["o1"], found["sn1"], found["b1"]) == (["RC-2"], ["RC-2"], [], [])
    lists = gql(client, admin, HELD_LISTS)
    assert sorted(n["orderNumber"] for n in lists["orders"]["nodes"]) == ["ORD-1", "ORD-3"]
    assert sorted(n["batchId"] for n in lists["batches"]["nodes"]) == ["B-2", "B-3"]


async def test_open_is_all_or_nothing(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    before = await trail(graph)
    refused = open_recall(client, quality, lotNumbers=["LOT-A", "LOT-NONE"])
    assert refused["__typename"] == "NotFound", refused
    assert refused["key"] == "LOT-NONE"
    nowhere = open_recall(client, quality, serialFrom="X-1", serialTo="X-9")
    assert nowhere["__typename"] == "NotFound", nowhere
    assert await trail(graph) == before
    assert held(client, quality) == nothing_held()
    bad = gql(
        client,
        quality,
        OPEN,
        input={
            "scope": {"lotNumbers": ["LOT-A"], "batchIds": ["B-1"]},
            "reason": " ",
            "classification": "class_x",
        },
    )["openRecall"]
    assert bad["__typename"] == "ValidationFailed"
    assert sorted(e["path"][1] for e in bad["errors"]) == ["classification", "reason", "scope"]
    assert await trail(graph) == before


async def test_an_open_killed_midway_by_its_timeout_holds_nothing(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    before = await trail(graph)
    caller = Caller(role=Role.QUALITY, user_id="U-Q")
    request = WriteRequest(
        operation=recall_campaign.OPEN,
        actor=Actor(user_id="U-Q", role="quality", scope=caller.scope()),
        client_key="killed-1",
    )
    reached: list[str] = []

    async def work(tx: AsyncManagedTransaction) -> None:
        answer = await recall_campaign.open_recall(
            tx,
            request,
            scope=RecallScope(lot_numbers=["LOT-A"]),
            reason="weld cracks",
            classification="class_ii",
            tolerance_percent=5.0,
        )
        reached.append(answer["kind"])  # the recall and its holds are written, not committed
        stall = QUERIES["stall"]
        await tx.run(stall.text, stall.bind({"ms": 5000}))

    kept = graph.tx_timeout
    graph.tx_timeout = 1.0
    try:
        with pytest.raises(QueryTimeoutError):
            await graph.write(work)
    finally:
        graph.tx_timeout = kept
    assert reached == ["recall_changed"]
    assert await trail(graph) == before
    assert held(client, bearer(neo4j_settings, Role.QUALITY)) == nothing_held()


@pytest.mark.parametrize("role", [Role.PRODUCTION, Role.BUYER, Role.SUPPLIER, Role.ANALYST])
async def test_only_quality_and_admin_run_a_recall(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database, role: Role
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    rc = open_recall(client, quality, lotNumbers=["LOT-A"])["recall"]["id"]
    other = bearer(neo4j_settings, role, customer="CUST-001", supplier="SUP-001")
    before = await trail(graph)
    for answer in (
        open_recall(client, other, lotNumbers=["LOT-C"]),
        notify(client, other, rc, "CUST-001"),
        gql(client, other, RECOVER, input={"recallId": rc, "units": 1})["recordRecovery"],
        close(client, other, rc),
    ):
        assert answer["__typename"] == "Forbidden", answer
    assert await trail(graph) == before


async def test_lifecycle_notify_recover_and_close_once_everyone_is_notified(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    admin = bearer(neo4j_settings)
    rc = open_recall(client, quality, lotNumbers=["LOT-A", "LOT-C"])["recall"]["id"]
    refused = close(client, quality, rc)
    assert refused["__typename"] == "InvalidTransition", refused
    assert refused["pending"] == ["CUST-001", "CUST-002"]
    assert "CUST-001, CUST-002" in refused["message"]
    first = notify(client, quality, rc, "CUST-001", note="letter")
    assert first["recall"]["customers"][0] == {
        "customerId": "CUST-001",
        "notified": True,
        "notifiedBy": "test-quality",
        "note": "letter",
    }
    again = notify(client, admin, rc, "CUST-001")
    assert again["__typename"] == "InvalidTransition"
    assert "by test-quality" in again["message"]
    assert notify(client, admin, rc, "CUST-NONE")["__typename"] == "NotFound"
    assert close(client, quality, rc)["pending"] == ["CUST-002"]
    notify(client, admin, rc, "CUST-002")
    for units in (3, 4):
        recovered = gql(client, quality, RECOVER, input={"recallId": rc, "units": units})
        assert recovered["recordRecovery"]["__typename"] == "RecallChanged"
    assert recovered["recordRecovery"]["recall"]["unitsRecovered"] == 7
    zero = gql(client, quality, RECOVER, input={"recallId": rc, "units": 0})["recordRecovery"]
    assert zero["__typename"] == "ValidationFailed"
    closed = close(client, admin, rc, note="all recovered")
    assert closed["__typename"] == "RecallChanged", closed
    assert (closed["from"], closed["to"], closed["recall"]["status"]) == (
        "open",
        "closed",
        "closed",
    )
    # A closed recall holds nothing and takes no more writes.
    assert held(client, quality) == nothing_held()
    late = gql(client, quality, RECOVER, input={"recallId": rc, "units": 1})["recordRecovery"]
    assert late["__typename"] == "InvalidTransition"
    assert close(client, quality, rc)["__typename"] == "InvalidTransition"
    events = [e[0] for e in (await trail(graph))["events"]]
    assert sorted(events) == sorted(
        [
            "openRecall",
            "markCustomerNotified",
            "markCustomerNotified",
            "recordRecovery",
            "recordRecovery",
            "closeRecall",
        ]
    )


async def test_idempotent_open_and_notify(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    first = open_recall(client, quality, lotNumbers=["LOT-A"])
    given = {
        "scope": {"lotNumbers": ["LOT-C"]},
        "reason": "r",
        "classification": "class_i",
        "idempotencyKey": "open-1",
    }
    one = gql(client, quality, OPEN, input=given)["openRecall"]
    two = gql(client, quality, OPEN, input=given)["openRecall"]
    assert one == two
    assert one["recall"]["id"] == "RC-2" != first["recall"]["id"]
    other = gql(client, quality, OPEN, input={**given, "reason": "other"})["openRecall"]
    assert other["__typename"] == "Conflict"
    n1 = notify(client, quality, "RC-2", "CUST-002", idempotencyKey="n-1")
    n2 = notify(client, quality, "RC-2", "CUST-002", idempotencyKey="n-1")
    assert n1 == n2
    found = await trail(graph)
    assert [r["id"] for r in found["recalls"]] == ["RC-1", "RC-2"]
    assert [e[0] for e in found["events"]].count("markCustomerNotified") == 1


async def test_two_closes_race_and_one_wins(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    rc = open_recall(client, quality, lotNumbers=["LOT-A"])["recall"]["id"]
    notify(client, quality, rc, "CUST-001")

    def one(n: int) -> Any:
        return close(client, quality, rc, idempotencyKey=f"close-{n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(one, range(8)))
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["InvalidTransition"] * 7 + ["RecallChanged"]
    events = [e[0] for e in (await trail(graph))["events"]]
    assert events.count("closeRecall") == 1


async def test_a_buyer_reads_only_its_own_orders_in_a_recall(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    rc = open_recall(client, quality, lotNumbers=["LOT-A", "LOT-C"])["recall"]["id"]
    plant = gql(client, quality, READ, id=rc)["recall"]
    assert [o["orderNumber"] for o in plant["affected"]["orders"]] == ["ORD-1", "ORD-3", "ORD-4"]
    assert all(o["onHold"] for o in plant["affected"]["orders"])
    globex = bearer(neo4j_settings, Role.BUYER, customer="CUST-001")
    seen = gql(client, globex, READ, id=rc)["recall"]
    assert [o["orderNumber"] for o in seen["affected"]["orders"]] == ["ORD-1", "ORD-3"]
    assert [c["customerId"] for c in seen["customers"]] == ["CUST-001"]
    assert [c["id"] for c in seen["affected"]["customers"]] == ["CUST-001"]
    # A buyer none of whose orders the recall touches does not see it at all.
    nobody = bearer(neo4j_settings, Role.BUYER, customer="CUST-NONE")
    assert gql(client, nobody, READ, id=rc)["recall"] == {"__typename": "NotFound", "key": rc}
    assert gql(client, nobody, LIST)["recalls"] == []
    assert [r["id"] for r in gql(client, globex, LIST)["recalls"]] == [rc]

"""previewRecall over real HTTP against a real Neo4j (issue 13 §2): the scope as lots, batches, a
serial range or a supplier and dates; the batches, serials (shipped and in house), orders,
customers with contacts, open issues and cost it touches; nothing written; the caller's scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from graph.database import Database
from tests.ingest_support import snapshot
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.settings import Settings

QUERY = """query($scope: RecallScopeInput!) { previewRecall(scope: $scope) {
  found serialCount serialNumbers shippedUnits inHouseUnits costSoFar
  batches { batchId depth onHold }
  orders { orderNumber workflowStatus shipped customerId onHold }
  customers { id name contacts { id name email } }
  openIssues { issueId status totalCost batchId } } }"""
SHIP = """mutation { ship(input: {orderNumber: "ORD-3"}) { __typename } }"""


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "holds")
    return db


@pytest.fixture
def client(neo4j_settings: Settings, graph: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(neo4j_settings)) as client:
        yield client


def post(client: httpx2.Client, headers: dict[str, str], query: str, **variables: Any) -> Any:
    response = client.post(
        "/graphql", headers=headers, json={"query": query, "variables": variables}
    )
    assert response.status_code == 200, response.text
    return response.json()


def preview(client: httpx2.Client, headers: dict[str, str], **scope: Any) -> Any:
    answer = post(client, headers, QUERY, scope=scope)
    assert "errors" not in answer, answer
    return answer["data"]["previewRecall"]


def keys(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "batches": [(b["batchId"], b["depth"]) for b in found["batches"]],
        "orders": [o["orderNumber"] for o in found["orders"]],
        "customers": [c["id"] for c in found["customers"]],
        "serials": found["serialNumbers"],
    }


async def test_a_lots_recall_touches_everything_downstream_and_writes_nothing(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    assert post(client, bearer(neo4j_settings, Role.PRODUCTION), SHIP)["data"]["ship"] == {
        "__typename": "OrderChanged"
    }
    before = await snapshot(graph)
    found = preview(client, quality, lotNumbers=["LOT-A", "LOT-NONE"])
    assert await snapshot(graph) == before
    assert found["found"] == ["LOT-A"]
    assert keys(found) == {
        "batches": [("B-1", 1), ("B-2", 1), ("B-3", 2)],
        "orders": ["ORD-1", "ORD-3"],
        "customers": ["CUST-001"],
        "serials": ["SN-1", "SN-2", "SN-3"],
    }
    assert found["serialCount"] == 3
    # ORD-3 (SN-3) left the plant; ORD-1's two serials are still in house.
    assert (found["shippedUnits"], found["inHouseUnits"]) == (1, 2)
    assert [(o["orderNumber"], o["shipped"], o["workflowStatus"]) for o in found["orders"]] == [
        ("ORD-1", False, "quality_check"),
        ("ORD-3", True, "shipped"),
    ]
    assert found["customers"][0]["contacts"] == [
        {"id": "U-G1", "name": "Gina", "email": "gina@globex.example"}
    ]
    assert found["openIssues"] == [
        {"issueId": "QI-H1", "status": "open", "totalCost": 120.5, "batchId": "B-1"}
    ]
    assert found["costSoFar"] == 150.5  # the closed issue's cost counts too


async def test_batches_a_serial_range_and_a_suppliers_lots_in_dates(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    admin = bearer(neo4j_settings, Role.ADMIN)
    by_batch = preview(client, admin, batchIds=["B-2"])
    assert keys(by_batch) == {
        "batches": [("B-2", 0), ("B-3", 1)],
        "orders": ["ORD-3"],
        "customers": ["CUST-001"],
        "serials": ["SN-3"],
    }
    by_range = preview(client, admin, serialFrom="SN-1", serialTo="SN-2")
    assert keys(by_range) == {
        "batches": [("B-1", 0)],
        "orders": ["ORD-1"],
        "customers": ["CUST-001"],
        "serials": ["SN-1", "SN-2"],
    }
    by_supplier = preview(client, admin, supplierId="SUP-002", receivedFrom="2026-01-01")
    assert by_supplier["found"] == ["LOT-B"]
    assert keys(by_supplier)["batches"] == [("B-1", 1)]
    later = preview(client, admin, supplierId="SUP-002", receivedFrom="2026-01-07")
    assert later["found"] == []
    assert later["batches"] == []
    assert later["serialCount"] == 0


async def test_buyers_and_suppliers_see_their_own_orders_and_production_no_costs(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    own = preview(
        client, bearer(neo4j_settings, Role.BUYER, customer="CUST-001"), lotNumbers=["LOT-A"]
    )
    assert keys(own)["orders"] == ["ORD-1", "ORD-3"]
    other = bearer(neo4j_settings, Role.BUYER, customer="CUST-002")
    # LOT-A went into none of Initech's orders: it is not in its scope at all.
    assert preview(client, other, lotNumbers=["LOT-A"])["found"] == []
    # LOT-C went into ORD-4 (Initech's) only.
    initech = preview(client, other, lotNumbers=["LOT-C"])
    assert keys(initech) == {
        "batches": [("B-4", 1)],
        "orders": ["ORD-4"],
        "customers": ["CUST-002"],
        "serials": [],
    }
    # Once B-NEW (Globex's ORD-5) consumed B-4, LOT-C reaches both customers: each buyer sees
    # its own part of the recall only.
    await load_fixture_graph(graph, "holds_new_consumption")
    assert keys(preview(client, other, lotNumbers=["LOT-C"])) == keys(initech)
    everyone = preview(client, bearer(neo4j_settings, Role.ADMIN), lotNumbers=["LOT-C"])
    assert keys(everyone)["orders"] == ["ORD-4", "ORD-5"]
    assert keys(everyone)["serials"] == ["SN-5"]
    # A supplier follows its own lot into the batches made from it, but sees only the orders
    # assigned to it (every order here is SUP-001's).
    bolt = preview(
        client, bearer(neo4j_settings, Role.SUPPLIER, supplier="SUP-002"), lotNumbers=["LOT-B"]
    )
    assert keys(bolt) == {
        "batches": [("B-1", 1)],
        "orders": [],
        "customers": [],
        "serials": ["SN-1", "SN-2"],
    }
    production = preview(client, bearer(neo4j_settings, Role.PRODUCTION), lotNumbers=["LOT-A"])
    assert production["costSoFar"] is None
    assert production["openIssues"][0]["totalCost"] is None


@pytest.mark.parametrize(
    "scope",
    [
        {"lotNumbers": ["LOT-A"], "batchIds": ["B-1"]},
        {},
        {"serialFrom": "SN-2"},
        {"serialFrom": "SN-3", "serialTo": "SN-1"},
        {"lotNumbers": ["LOT-A"], "receivedFrom": "2026-01-01"},
        {"lotNumbers": []},
        {"batchIds": ["B-1"], "includeUnbalanced": True},
    ],
)
async def test_a_scope_is_exactly_one_kind(
    client: httpx2.Client, neo4j_settings: Settings, scope: dict[str, Any]
) -> None:
    answer = post(client, bearer(neo4j_settings, Role.QUALITY), QUERY, scope=scope)
    assert answer["errors"][0]["extensions"]["code"] == "INVALID_INPUT", answer


async def test_a_supplier_out_of_scope_is_not_found(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    supplier = bearer(neo4j_settings, Role.SUPPLIER, supplier="SUP-001")
    answer = post(client, supplier, QUERY, scope={"supplierId": "SUP-002"})
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_an_order_loaded_completed_without_a_workflow_status_counts_as_shipped(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    await load_fixture_graph(graph, "holds_loaded_shipped")
    found = preview(client, bearer(neo4j_settings, Role.QUALITY), lotNumbers=["LOT-A"])
    assert [(o["orderNumber"], o["shipped"]) for o in found["orders"]] == [
        ("ORD-1", False),
        ("ORD-3", True),
    ]
    assert (found["shippedUnits"], found["inHouseUnits"]) == (1, 2)

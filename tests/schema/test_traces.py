"""The trace fields through GraphQL over HTTP, on the fixture genealogy (known answers)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from graph.database import Database
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.app import create_app
from tracegraph.settings import Settings


@pytest.fixture
async def genealogy(db: Database) -> Database:
    await load_fixture_graph(db, "genealogy")
    return db


@pytest.fixture
def client(neo4j_settings: Settings, genealogy: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(neo4j_settings), bearer(neo4j_settings)) as c:
        yield c


def gql(client: httpx2.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


FORWARD = """
query($from: ForwardFrom!, $depth: Int! = 10, $first: Int! = 3, $after: String) {
  forwardTrace(from: $from, maxDepth: $depth) {
    root { label key }
    batches { batchId depth }
    orders { orderNumber customerId }
    customers { id }
    issues { issueId batchId totalCost detectedAt }
    serialCount
    serials(first: $first, after: $after) {
      totalCount hasNextPage endCursor items { serialNumber batchId }
    }
  }
}
"""


def test_forward_trace_summary_and_first_page(client: httpx2.Client) -> None:
    body = gql(client, FORWARD, **{"from": {"lotNumber": "LOT-A1"}})
    assert "errors" not in body
    trace = body["data"]["forwardTrace"]
    assert trace["root"] == {"label": "MaterialLot", "key": "LOT-A1"}
    assert [(b["batchId"], b["depth"]) for b in trace["batches"]] == [
        ("B1", 1),
        ("B2", 1),
        ("B6", 1),
        ("B3", 2),
        ("B4", 3),
        ("B5", 4),
    ]
    assert [o["orderNumber"] for o in trace["orders"]] == ["ORD-1", "ORD-2", "ORD-3"]
    assert trace["issues"][0] == {
        "issueId": "QI-1",
        "batchId": "B3",
        "totalCost": 100.0,
        "detectedAt": "2025-02-10T08:00:00+00:00",
    }
    assert trace["serialCount"] == 8
    page = trace["serials"]
    assert page["totalCount"] == 8
    assert [s["serialNumber"] for s in page["items"]] == ["SN-B1-1", "SN-B1-2", "SN-B6-1"]
    assert page["hasNextPage"]
    nxt = gql(
        client, FORWARD, after=page["endCursor"], first=10, **{"from": {"lotNumber": "LOT-A1"}}
    )
    items = nxt["data"]["forwardTrace"]["serials"]["items"]
    assert items[0]["serialNumber"] == "SN-B3-1"
    assert len(items) == 5


def test_serial_pages_with_aliases_and_bulk_numbers(client: httpx2.Client) -> None:
    body = gql(
        client,
        """{ forwardTrace(from: {supplierId: "SUP-A"}, maxDepth: 1) {
              a: serials(first: 1) { items { serialNumber } }
              b: serials(first: 2, after: "SN-B1-1") { items { serialNumber } hasNextPage }
              serialNumbers
        } }""",
    )
    assert "errors" not in body
    trace = body["data"]["forwardTrace"]
    # maxDepth 1 from SUP-A: B1, B2, B4, B6 -> serials of B1 and B6.
    assert trace["serialNumbers"] == ["SN-B1-1", "SN-B1-2", "SN-B6-1"]
    assert trace["a"]["items"] == [{"serialNumber": "SN-B1-1"}]
    assert trace["b"] == {
        "items": [{"serialNumber": "SN-B1-2"}, {"serialNumber": "SN-B6-1"}],
        "hasNextPage": False,
    }


def test_backward_trace_with_timeline(client: httpx2.Client) -> None:
    body = gql(
        client,
        """{ backwardTrace(from: {serialNumber: "SN-B5-1"}) {
              root { label key }
              batches { batchId depth }
              lots { lotNumber supplierId materialId quarantineStatus receivedDate }
              suppliers { id name }
              materials { id }
              timeline { at kind subject detail }
        } }""",
    )
    assert "errors" not in body
    trace = body["data"]["backwardTrace"]
    assert trace["root"] == {"label": "Serial", "key": "SN-B5-1"}
    assert [b["batchId"] for b in trace["batches"]] == ["B5", "B4", "B3", "B1", "B2"]
    assert trace["lots"][0] == {
        "lotNumber": "LOT-A2",
        "supplierId": "SUP-A",
        "materialId": "MAT-2",
        "quarantineStatus": "released",
        "receivedDate": "2025-01-02",
    }
    timeline = trace["timeline"]
    assert timeline[0]["kind"] == "LOT_RECEIVED"
    assert timeline[-1] == {
        "at": "2025-02-12T09:30:00+00:00",
        "kind": "ISSUE_FOUND",
        "subject": "QI-2",
        "detail": "QI-2 found in B5 (low)",
    }
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)


def test_impact_totals_lists_and_subgraph(client: httpx2.Client) -> None:
    body = gql(
        client,
        """{ impact(lotNumber: "LOT-A1") {
              lotNumber quarantineStatus supplierId
              totals { batches serials orders customers openIssues costImpact }
              issues { issueId status }
              subgraph(limit: 4) { truncated nodes { id label key } edges { source target type } }
        } }""",
    )
    assert "errors" not in body
    impact = body["data"]["impact"]
    assert impact["quarantineStatus"] == "quarantined"
    assert impact["totals"] == {
        "batches": 6,
        "serials": 8,
        "orders": 3,
        "customers": 2,
        "openIssues": 1,
        "costImpact": 150.5,
    }
    assert [i["issueId"] for i in impact["issues"]] == ["QI-1", "QI-2"]
    graph = impact["subgraph"]
    assert graph["truncated"]
    assert len(graph["nodes"]) == 4
    assert graph["nodes"][0]["key"] == "LOT-A1"
    ids = {n["id"] for n in graph["nodes"]}
    assert graph["edges"]
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])


def test_backward_subgraph_over_http(client: httpx2.Client) -> None:
    body = gql(
        client,
        """{ backwardTrace(from: {issueId: "QI-1"}, maxDepth: 1) {
              subgraph { truncated nodes { label key } edges { type } }
        } }""",
    )
    graph = body["data"]["backwardTrace"]["subgraph"]
    assert not graph["truncated"]
    keys = {n["key"] for n in graph["nodes"]}
    assert {"QI-1", "B3", "B1", "B2"} <= keys
    assert "LOT-A1" not in keys  # depth 2: beyond maxDepth 1


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ forwardTrace(from: {}) { serialCount } }", "INVALID_INPUT"),
        (
            '{ forwardTrace(from: {lotNumber: "LOT-A1", batchId: "B1"}) { serialCount } }',
            "INVALID_INPUT",
        ),
        (
            '{ forwardTrace(from: {lotNumber: "LOT-A1"}, maxDepth: 0) { serialCount } }',
            "INVALID_INPUT",
        ),
        (
            '{ forwardTrace(from: {lotNumber: "LOT-A1"}, maxDepth: 21) { serialCount } }',
            "INVALID_INPUT",
        ),
        ("{ backwardTrace(from: {}) { timeline { at } } }", "INVALID_INPUT"),
        ('{ forwardTrace(from: {lotNumber: "NOPE"}) { serialCount } }', "NOT_FOUND"),
        ('{ backwardTrace(from: {serialNumber: "NOPE"}) { timeline { at } } }', "NOT_FOUND"),
        ('{ impact(lotNumber: "NOPE") { totals { batches } } }', "NOT_FOUND"),
        ('{ forwardTrace(from: {lotNumber: "NOPE"}) { serialNumbers } }', "NOT_FOUND"),
        ("{ forwardTrace(from: {}) { serialNumbers } }", "INVALID_INPUT"),
        ('{ forwardTrace(from: {batchId: "B1"}, maxDepth: 99) { maxDepth } }', "INVALID_INPUT"),
    ],
)
def test_invalid_input_and_not_found_are_typed(
    client: httpx2.Client, query: str, code: str
) -> None:
    body = gql(client, query)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == code

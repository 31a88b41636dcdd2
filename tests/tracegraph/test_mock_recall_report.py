"""The mock recall report over real HTTP against a real Neo4j (issue 13 §2): a lot's scope in
figures and lists, its mass balance and flag, its holds, when, by whom and in how long it was
compiled, as JSON and as a printable HTML page; every value escaped in the page; the caller's
scope; 404 for a lot out of scope as for a missing one; 401 without a token; nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from graph.database import Database
from graph.mock_recall import SerialRange, serial_ranges
from tests.ingest_support import snapshot
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.errors import ConfigError
from tracegraph.settings import Settings

HOSTILE_LOT = '<script>alert("lot")</script>&LOT'
SHIP = """mutation { ship(input: {orderNumber: "ORD-3"}) { __typename } }"""
QUARANTINE = """mutation { quarantineLot(input: {lotNumber: "LOT-A", reason: "rust <found>"}) {
  __typename } }"""


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "holds")
    await load_fixture_graph(db, "mock_recall")
    return db


@pytest.fixture
def client(neo4j_settings: Settings, graph: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(neo4j_settings)) as client:
        yield client


def report(client: httpx2.Client, headers: dict[str, str], lot: str) -> Any:
    response = client.get("/reports/mock-recall.json", params={"lot": lot}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def page(client: httpx2.Client, headers: dict[str, str], lot: str) -> str:
    response = client.get("/reports/mock-recall.html", params={"lot": lot}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def gql(client: httpx2.Client, headers: dict[str, str], query: str) -> Any:
    response = client.post("/graphql", headers=headers, json={"query": query})
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_the_report_holds_the_lots_scope_balance_and_compile_time(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    shipped = gql(client, bearer(neo4j_settings, Role.PRODUCTION), SHIP)
    assert shipped == {"ship": {"__typename": "OrderChanged"}}
    quality = bearer(neo4j_settings, Role.QUALITY)
    before = await snapshot(graph)
    started = dt.datetime.now(dt.UTC)
    found = report(client, quality, "LOT-A")
    assert found["lotNumber"] == "LOT-A"
    assert found["compiledBy"] == "test-quality"
    assert started <= dt.datetime.fromisoformat(found["compiledAt"]) <= dt.datetime.now(dt.UTC)
    assert 0 < found["compileMs"] < 10_000
    assert found["tolerancePercent"] == 5.0
    lot = found["lot"]
    assert (lot["quantity"], lot["unit"], lot["receivedDate"]) == (100.0, "kg", "2026-01-05")
    assert (found["supplier"]["id"], found["supplier"]["name"]) == ("SUP-001", "Acme Metals")
    assert (found["material"]["id"], found["material"]["name"]) == ("MAT-W", "Steel wire")
    assert found["holds"] == []
    assert found["massBalance"] == {
        "lotNumber": "LOT-A",
        "supplierId": "SUP-001",
        "unit": "kg",
        "received": 100.0,
        "consumed": 30.0,
        "consumptions": 2,
        "scrapped": 5.0,
        "onHand": 65.0,
        "unexplained": 0.0,
        "unexplainedPercent": 0.0,
        "flagged": False,
    }
    assert found["summary"] == {
        "batchCount": 3,
        "batchesByLevel": [
            {"level": 0, "count": 2, "batchIds": ["B-1", "B-2"]},
            {"level": 1, "count": 1, "batchIds": ["B-3"]},
        ],
        "serialCount": 3,
        "serialRanges": [{"first": "SN-1", "last": "SN-3", "count": 3}],
        # ORD-3 (SN-3) shipped; ORD-1's two serials are in house.
        "shippedUnits": 1,
        "inHouseUnits": 2,
        "orderCount": 2,
        "shippedOrders": 1,
        "customerCount": 1,
        "contactCount": 1,
        "openIssueCount": 1,
        "costSoFar": 150.5,  # the closed issue's cost counts too
    }
    scope = found["scope"]
    assert scope["found"] == ["LOT-A"]
    assert [(b["batchId"], b["depth"]) for b in scope["batches"]] == [
        ("B-1", 1),
        ("B-2", 1),
        ("B-3", 2),
    ]
    assert scope["serialNumbers"] == ["SN-1", "SN-2", "SN-3"]
    assert [(o["orderNumber"], o["shipped"]) for o in scope["orders"]] == [
        ("ORD-1", False),
        ("ORD-3", True),
    ]
    assert scope["customers"] == [
        {
            "id": "CUST-001",
            "name": "Globex",
            "country": "US",
            "contacts": [{"id": "U-G1", "name": "Gina", "email": "gina@globex.example"}],
        }
    ]
    assert [(i["issueId"], i["totalCost"]) for i in scope["openIssues"]] == [("QI-H1", 120.5)]

    html = page(client, quality, "LOT-A")
    assert "Mock recall report: lot LOT-A" in html
    assert 'id="compile-time"' in html
    assert 'class="box ok" id="mass-balance"' in html
    assert "Balanced within ±5 %" in html
    assert "@media print" in html
    assert "<script" not in html.lower()
    for shown in ("Acme Metals", "Steel wire", "SN-1", "SN-3", "Globex (CUST-001)", "gina@globex"):
        assert shown in html
    assert await snapshot(graph) == before  # read only: neither answer wrote anything


async def test_a_flagged_balance_and_the_lots_holds_are_shown(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    flagged = report(client, quality, HOSTILE_LOT)
    balance = flagged["massBalance"]
    assert (balance["received"], balance["consumed"], balance["onHand"]) == (10.0, 12.0, 0.0)
    assert (balance["unexplained"], balance["unexplainedPercent"]) == (-2.0, -20.0)
    assert balance["flagged"] is True
    assert flagged["summary"]["serialRanges"] == [
        {"first": "SN-X-0009", "last": "SN-X-0010", "count": 2}
    ]
    html = page(client, quality, HOSTILE_LOT)
    assert 'class="box flagged" id="mass-balance"' in html
    assert "FLAGGED: the balance does not close within ±5 %" in html

    assert gql(client, quality, QUARANTINE) == {
        "quarantineLot": {"__typename": "LotQuarantineChanged"}
    }
    (hold,) = report(client, quality, "LOT-A")["holds"]
    assert hold["lot"] == "LOT-A"
    assert (hold["status"], hold["reason"], hold["by"]) == (
        "quarantined",
        "rust <found>",
        "test-quality",
    )
    held = page(client, quality, "LOT-A")
    assert "On hold now" in held
    assert "rust &lt;found&gt;" in held


async def test_every_value_in_the_page_is_escaped(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    html = page(client, bearer(neo4j_settings, Role.ADMIN), HOSTILE_LOT)
    # The only markup is the page's own: no value of the graph opens a tag or an attribute.
    for hostile in (
        HOSTILE_LOT,
        "<script",
        "<img",
        "</td><script>",
        "PN-<b>",
        '"x"@evil.example',
    ):
        assert hostile not in html, hostile
    for escaped in (
        "&lt;script&gt;alert(&quot;lot&quot;)&lt;/script&gt;&amp;LOT",
        "&lt;img src=x onerror=alert(1)&gt;",
        "&lt;/td&gt;&lt;script&gt;1&lt;/script&gt;",
        "&quot;x&quot;@evil.example",
        "PN-&lt;b&gt;",
    ):
        assert escaped in html, escaped


def test_the_page_is_self_contained(client: httpx2.Client, neo4j_settings: Settings) -> None:
    response = client.get(
        "/reports/mock-recall.html",
        params={"lot": "LOT-A"},
        headers=bearer(neo4j_settings, Role.ADMIN),
    )
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    assert response.headers["cache-control"] == "private, no-store"
    for external in ("<link", "src=", "href=", "@import", "url("):
        assert external not in response.text


async def test_a_buyer_sees_only_its_own_orders_and_customers(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    # B-NEW (Globex's ORD-5) consumed B-4, made from LOT-C for Initech's ORD-4.
    await load_fixture_graph(graph, "holds_new_consumption")
    initech = bearer(neo4j_settings, Role.BUYER, customer="CUST-002")
    everyone = report(client, bearer(neo4j_settings, Role.ADMIN), "LOT-C")
    assert [o["orderNumber"] for o in everyone["scope"]["orders"]] == ["ORD-4", "ORD-5"]
    assert [c["id"] for c in everyone["scope"]["customers"]] == ["CUST-001", "CUST-002"]
    assert everyone["summary"]["serialCount"] == 1
    own = report(client, initech, "LOT-C")
    assert own["compiledBy"] == "test-buyer"
    assert [o["orderNumber"] for o in own["scope"]["orders"]] == ["ORD-4"]
    assert [c["id"] for c in own["scope"]["customers"]] == ["CUST-002"]
    assert own["summary"]["batchesByLevel"] == [{"level": 0, "count": 1, "batchIds": ["B-4"]}]
    assert (own["summary"]["orderCount"], own["summary"]["serialCount"]) == (1, 0)
    html = page(client, initech, "LOT-C")
    assert "ORD-4" in html
    for hidden in ("ORD-5", "B-NEW", "SN-5", "Globex", "CUST-001", "gina@"):
        assert hidden not in html, hidden


async def test_a_supplier_or_material_loaded_without_a_name_does_not_stop_the_report(
    client: httpx2.Client, neo4j_settings: Settings, graph: Database
) -> None:
    await load_fixture_graph(graph, "mock_recall_unnamed")
    admin = bearer(neo4j_settings, Role.ADMIN)
    found = report(client, admin, "LOT-A")
    assert (found["supplier"]["id"], found["supplier"]["name"]) == ("SUP-001", None)
    assert (found["material"]["id"], found["material"]["name"]) == ("MAT-W", None)
    assert "SUP-001" in page(client, admin, "LOT-A")


GRAPHQL = """query($lot: String!) { mockRecallReport(lotNumber: $lot) {
  lotNumber compiledBy compileMs tolerancePercent
  lot { lotNumber quantity unit receivedDate onHold supplier { id } }
  supplier { id name } material { id name } holds { lot status }
  massBalance { received consumed scrapped onHand unexplained unexplainedPercent flagged }
  summary { batchCount batchesByLevel { level count batchIds } serialCount
    serialRanges { first last count } shippedUnits inHouseUnits orderCount shippedOrders
    customerCount contactCount openIssueCount costSoFar }
  scope { found serialNumbers orders { orderNumber customerId onHold } customers { id } } } }"""


def test_graphql_answers_the_same_report(client: httpx2.Client, neo4j_settings: Settings) -> None:
    initech = bearer(neo4j_settings, Role.BUYER, customer="CUST-002")
    for headers, lot in ((bearer(neo4j_settings, Role.QUALITY), "LOT-A"), (initech, "LOT-C")):
        response = client.post(
            "/graphql", headers=headers, json={"query": GRAPHQL, "variables": {"lot": lot}}
        )
        assert response.status_code == 200, response.text
        answer = response.json()
        assert "errors" not in answer, answer
        found = answer["data"]["mockRecallReport"]
        over_http = report(client, headers, lot)
        assert found["summary"] == over_http["summary"]
        assert found["scope"]["found"] == over_http["scope"]["found"] == [lot]
        assert found["scope"]["serialNumbers"] == over_http["scope"]["serialNumbers"]
        for part in ("massBalance", "supplier", "material"):
            same = {k: over_http[part][k] for k in found[part]} if over_http[part] else None
            assert found[part] == same, part
        assert found["holds"] == over_http["holds"] == []
        assert found["lot"]["onHold"] is False
        assert found["compileMs"] > 0
    hidden = client.post(
        "/graphql", headers=initech, json={"query": GRAPHQL, "variables": {"lot": "LOT-A"}}
    ).json()
    assert hidden["data"] is None
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    blank = client.post(
        "/graphql", headers=initech, json={"query": GRAPHQL, "variables": {"lot": " "}}
    ).json()
    assert blank["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


@pytest.mark.parametrize("lot", ["LOT-A", "LOT-NONE"])
def test_a_lot_out_of_scope_answers_404_as_a_missing_one(
    client: httpx2.Client, neo4j_settings: Settings, lot: str
) -> None:
    # LOT-A went into none of Initech's orders.
    initech = bearer(neo4j_settings, Role.BUYER, customer="CUST-002")
    for kind in ("json", "html"):
        response = client.get(f"/reports/mock-recall.{kind}", params={"lot": lot}, headers=initech)
        assert response.status_code == 404
        assert response.json()["errors"] == [
            {"message": f"no lot {lot!r}", "extensions": {"code": "NOT_FOUND"}}
        ]


def test_no_token_is_refused(client: httpx2.Client) -> None:
    for kind in ("json", "html"):
        response = client.get(f"/reports/mock-recall.{kind}", params={"lot": "LOT-A"})
        assert response.status_code == 401
        assert "LOT-A" not in response.text


@pytest.mark.parametrize(
    "params",
    [{}, {"lot": " "}, {"lot": "x" * 201}, {"lot": "LOT-A", "format": "pdf"}],
)
def test_wrong_parameters_answer_400_naming_them(
    client: httpx2.Client, neo4j_settings: Settings, params: dict[str, str]
) -> None:
    response = client.get(
        "/reports/mock-recall.json", params=params, headers=bearer(neo4j_settings, Role.ADMIN)
    )
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["parameter"] == ("format" if "format" in params else "lot")


def test_the_app_will_not_serve_reports_without_a_token(neo4j_settings: Settings) -> None:
    open_reports = neo4j_settings.model_copy(
        update={"tracegraph_auth_paths": ("/graphql", "/exports")}
    )
    with pytest.raises(ConfigError, match="/reports"):
        create_app(open_reports)


@pytest.mark.parametrize(
    ("numbers", "ranges"),
    [
        ([], []),
        (["SN-1", "SN-2", "SN-3"], [("SN-1", "SN-3", 3)]),
        # Sorted as text, SN-10 comes between SN-1 and SN-2: no range.
        (
            ["SN-1", "SN-10", "SN-2"],
            [("SN-1", "SN-1", 1), ("SN-10", "SN-10", 1), ("SN-2", "SN-2", 1)],
        ),
        (
            ["A-09", "A-10", "A-12", "B-13"],
            [("A-09", "A-10", 2), ("A-12", "A-12", 1), ("B-13", "B-13", 1)],
        ),
        (["X", "Y", "Z9"], [("X", "X", 1), ("Y", "Y", 1), ("Z9", "Z9", 1)]),
        (["P1-099", "P1-100"], [("P1-099", "P1-100", 2)]),
        (["7", "8", "8"], [("7", "8", 2), ("8", "8", 1)]),
        # Not digits to int(); thousands of digits: the last 18 run, the rest is the prefix.
        (["SN-²", "SN-³"], [("SN-²", "SN-²", 1), ("SN-³", "SN-³", 1)]),
        (["8" * 5000, "8" * 4999 + "9"], [("8" * 5000, "8" * 4999 + "9", 2)]),
    ],
)
def test_serial_ranges_claim_only_numbers_in_the_scope(
    numbers: list[str], ranges: list[tuple[str, str, int]]
) -> None:
    expected = [SerialRange(first=a, last=b, count=n) for a, b, n in ranges]
    assert serial_ranges(numbers) == expected

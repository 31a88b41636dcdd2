"""Mass balance per lot over real HTTP against a real Neo4j (issue 13 §3): the figures of a
hand-built fixture with known numbers, the tolerance flag at its default and as configured, a
supplier's every lot, and the caller's scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from graph.database import Database
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.settings import Settings

FIELDS = """lotNumber supplierId unit received consumed consumptions scrapped onHand unexplained
  unexplainedPercent flagged"""
QUERY = f"""query($lot: String, $supplier: String) {{
  massBalance(lotNumber: $lot, supplierId: $supplier) {{
    tolerancePercent flaggedCount lots {{ {FIELDS} }} }} }}"""


# Per lot: received, consumed, consumptions, scrapped, on hand, unexplained, percent, flagged.
Figures = tuple[float, float, int, float, float, float, float | None, bool]
NAMES = ("received", "consumed", "consumptions", "scrapped", "onHand", "unexplained",
         "unexplainedPercent", "flagged")  # fmt: skip


def row(lot: str, figures: Figures) -> dict[str, Any]:
    return {
        "lotNumber": lot,
        "supplierId": "SUP-M1",
        "unit": "kg",
        **dict(zip(NAMES, figures, strict=True)),
    }


EXPECTED = {
    "LOT-M1": row("LOT-M1", (100.0, 60.0, 2, 8.0, 32.0, 0.0, 0.0, False)),
    "LOT-M2": row("LOT-M2", (100.0, 104.0, 1, 0.0, 0.0, -4.0, -4.0, False)),
    "LOT-M3": row("LOT-M3", (50.0, 50.0, 1, 5.0, 0.0, -5.0, -10.0, True)),
    "LOT-M4": row("LOT-M4", (0.0, 1.0, 1, 0.0, 0.0, -1.0, None, True)),
    "LOT-M5": row("LOT-M5", (20.0, 0.0, 0, 0.0, 20.0, 0.0, 0.0, False)),
}


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "mass_balance")
    return db


def serve(settings: Settings) -> Any:
    return http_client(create_app(settings))


@pytest.fixture
def client(neo4j_settings: Settings, graph: Database) -> Iterator[httpx2.Client]:
    with serve(neo4j_settings) as client:
        yield client


def ask(client: httpx2.Client, headers: dict[str, str], **variables: Any) -> Any:
    response = client.post(
        "/graphql", headers=headers, json={"query": QUERY, "variables": variables}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_lots_figures_and_the_default_tolerance(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    quality = bearer(neo4j_settings, Role.QUALITY)
    for lot, expected in EXPECTED.items():
        answer = ask(client, quality, lot=lot)["data"]["massBalance"]
        assert answer["tolerancePercent"] == 5.0
        assert answer["lots"] == [expected], lot
        assert answer["flaggedCount"] == int(expected["flagged"])


async def test_every_lot_of_a_supplier(client: httpx2.Client, neo4j_settings: Settings) -> None:
    answer = ask(client, bearer(neo4j_settings, Role.ADMIN), supplier="SUP-M1")["data"]
    assert answer["massBalance"]["lots"] == list(EXPECTED.values())
    assert answer["massBalance"]["flaggedCount"] == 2


async def test_the_tolerance_is_a_setting(neo4j_settings: Settings, graph: Database) -> None:
    settings = neo4j_settings.model_copy(update={"tracegraph_mass_balance_tolerance_percent": 3.0})
    with serve(settings) as client:
        answer = ask(client, bearer(settings, Role.QUALITY), supplier="SUP-M1")["data"]
    balance = answer["massBalance"]
    assert balance["tolerancePercent"] == 3.0
    assert [lot["lotNumber"] for lot in balance["lots"] if lot["flagged"]] == [
        "LOT-M2",
        "LOT-M3",
        "LOT-M4",
    ]


async def test_scope_and_bad_input(client: httpx2.Client, neo4j_settings: Settings) -> None:
    own = bearer(neo4j_settings, Role.SUPPLIER, supplier="SUP-M1")
    assert ask(client, own, lot="LOT-M1")["data"]["massBalance"]["lots"] == [EXPECTED["LOT-M1"]]
    other = bearer(neo4j_settings, Role.SUPPLIER, supplier="SUP-M2")
    for variables in ({"lot": "LOT-M1"}, {"supplier": "SUP-M1"}, {"lot": "LOT-NONE"}):
        refused = ask(client, other, **variables)
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND", variables
    assert ask(client, other, supplier="SUP-M2")["data"]["massBalance"]["lots"][0]["lotNumber"] == (
        "LOT-O"
    )
    both = ask(client, own, lot="LOT-M1", supplier="SUP-M1")
    assert both["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_a_recall_widens_to_lots_of_the_same_supplier_and_material_that_do_not_close(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    query = """query($scope: RecallScopeInput!) { previewRecall(scope: $scope) {
      found batches { batchId } widenedBy { lotNumber unexplainedPercent flagged } } }"""
    quality = bearer(neo4j_settings, Role.QUALITY)

    def preview(**scope: Any) -> Any:
        response = client.post(
            "/graphql", headers=quality, json={"query": query, "variables": {"scope": scope}}
        )
        answer = response.json()
        assert "errors" not in answer, answer
        return answer["data"]["previewRecall"]

    narrow = preview(lotNumbers=["LOT-M1"])
    assert narrow["found"] == ["LOT-M1"]
    assert narrow["widenedBy"] == []
    # Of the other yarn lots of SUP-M1, LOT-M3 (-10 %) does not close; LOT-M2 (-4 %) does,
    # within 5 %; LOT-M4 (flagged) is another material.
    wide = preview(lotNumbers=["LOT-M1"], includeUnbalanced=True)
    assert wide["found"] == ["LOT-M1", "LOT-M3"]
    assert wide["widenedBy"] == [
        {"lotNumber": "LOT-M3", "unexplainedPercent": -10.0, "flagged": True}
    ]
    assert [b["batchId"] for b in wide["batches"]] == ["B-M1", "B-M2"]
    by_supplier = preview(supplierId="SUP-M1", receivedTo="2026-03-01", includeUnbalanced=True)
    assert by_supplier["found"] == ["LOT-M1", "LOT-M3"]

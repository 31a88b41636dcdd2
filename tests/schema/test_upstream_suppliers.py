"""The suppliers upstream of each batch, stored on it for the scorecards, and the Pareto keys of
each quality issue, stored on it (issue 14 section 6; cypher/analytics/upstream.cypher and
issues.cypher): right after a consume or a quality write over real HTTP, after a load, and after
`tracegraph analytics refresh` on a graph written some other way."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph import queries
from graph.analytics import refresh_upstream_suppliers
from graph.database import Database
from loaders.json_store import load_json_store
from tests.ingest_support import QUERIES
from tests.schema.shop_support import Api, serve
from tests.support import fixture_graph, load_fixture_graph
from tracegraph.access import Role
from tracegraph.cli import main
from tracegraph.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data"
SCORECARDS = """{ supplierScorecards(from: "2025-10-01", to: "2025-10-31", first: 10) {
  nodes { supplierId total { partsProduced } } } }"""


@pytest.fixture(scope="module")
def api(neo4j_settings: Settings) -> Iterator[Api]:
    yield from serve(neo4j_settings)


async def stored_and_walked(db: Database) -> list[dict[str, Any]]:
    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        rows = await queries.read(tx, QUERIES["upstream_suppliers_stored_and_walked"])
        return [row.data() for row in rows]

    return await db.read(work)


async def production_days(db: Database) -> dict[str, list[list[Any]]]:
    async def work(tx: AsyncManagedTransaction) -> dict[str, list[list[Any]]]:
        (row,) = await queries.read(tx, QUERIES["production_days_stored_and_walked"])
        return {"stored": row["stored"], "walked": row["walked"]}

    return await db.read(work)


async def assert_stored_as_walked(db: Database) -> list[dict[str, Any]]:
    """The lists stored on the batches (upstream suppliers, machines, operators), and the parts
    produced per day and supplier summed from them, are what a walk of the graph finds from
    scratch."""
    rows = await stored_and_walked(db)
    assert rows
    assert [(r["batch"], r["stored"] or [], r["marked"], r["ran_stored"]) for r in rows] == [
        (r["batch"], r["walked"], r["made"], r["ran_walked"]) for r in rows
    ]
    days = await production_days(db)
    assert days["stored"] == days["walked"]
    return rows


async def issue_keys(db: Database) -> dict[str, list[Any]]:
    """The Pareto keys stored on each issue, once checked to be what the tests' own walk of its
    relationships finds."""

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        rows = await queries.read(tx, QUERIES["issue_keys_stored_and_walked"])
        return [row.data() for row in rows]

    rows = await db.read(work)
    assert rows
    assert [(r["issue"], r["stored"]) for r in rows] == [(r["issue"], r["walked"]) for r in rows]
    return {r["issue"]: r["stored"] for r in rows}


async def quality(
    api: Api, operation: str, input_type: str, given: dict[str, Any], selection: str = ""
) -> Any:
    text = (
        f"mutation($input: {input_type}!) {{ {operation}(input: $input) {{ __typename"
        f" {selection} }} }}"
    )
    answer = (await api.query(Role.QUALITY, text, input=given))[operation]
    changed = {"QualityIssueChanged", "InvestigationChanged", "SuppliersNotified"}
    assert answer["__typename"] in changed, answer
    return answer


async def produced(api: Api) -> dict[str, int]:
    answer = await api.query(Role.ADMIN, SCORECARDS)
    return {
        n["supplierId"]: n["total"]["partsProduced"] for n in answer["supplierScorecards"]["nodes"]
    }


async def consume(api: Api, batch: str, **given: Any) -> None:
    answer = await api.call(Role.PRODUCTION, "consume", {"batchId": batch, "quantity": 1, **given})
    assert answer["__typename"] == "Consumed", answer


async def test_a_consume_updates_the_consumer_and_every_batch_downstream(
    api: Api, db: Database
) -> None:
    await load_fixture_graph(db, "shop_floor")
    # B-OLD (finished: 10 parts in October) consumed a lot of SUP-001 only.
    assert await produced(api) == {"SUP-001": 10, "SUP-002": 0}
    # B-OLD <- B-1 <- B-3, and then B-3, two levels below B-OLD, takes a lot of SUP-002.
    await consume(api, "B-OLD", inputBatchId="B-1")
    await consume(api, "B-1", inputBatchId="B-3")
    assert await produced(api) == {"SUP-001": 10, "SUP-002": 0}
    await consume(api, "B-3", lotNumber="LOT-BOLT")
    rows = await assert_stored_as_walked(db)
    assert {r["batch"]: r["stored"] for r in rows if r["stored"]} == {
        "B-OLD": ["SUP-001", "SUP-002"],
        "B-1": ["SUP-002"],
        "B-3": ["SUP-002"],
    }
    assert await produced(api) == {"SUP-001": 10, "SUP-002": 10}
    # A batch input brings what is stored on it: B-2 takes a lot of SUP-001, then B-3 takes B-2.
    await consume(api, "B-2", lotNumber="LOT-OK")
    await consume(api, "B-3", inputBatchId="B-2")
    rows = await assert_stored_as_walked(db)
    assert {r["batch"]: r["stored"] for r in rows}["B-1"] == ["SUP-001", "SUP-002"]


async def test_serials_made_count_a_batch_as_produced(api: Api, db: Database) -> None:
    await load_fixture_graph(db, "shop_floor")
    await consume(api, "B-2", lotNumber="LOT-BOLT")
    # B-2 (100 units, October) made no serials yet: not produced.
    assert await produced(api) == {"SUP-001": 10, "SUP-002": 0}
    answer = await api.call(
        Role.PRODUCTION, "produceSerials", {"batchId": "B-2", "serialNumbers": ["SN-900001"]}
    )
    assert answer["__typename"] == "SerialsProduced", answer
    assert await produced(api) == {"SUP-001": 10, "SUP-002": 100}
    await assert_stored_as_walked(db)
    # A batch that made serials already, then gains a supplier: its day is recomputed.
    await consume(api, "B-2", lotNumber="LOT-OK")
    assert await produced(api) == {"SUP-001": 110, "SUP-002": 100}
    assert (await production_days(db))["stored"] == [
        ["2025-10-02", "SUP-001", 10],
        ["2025-10-05", "SUP-001", 100],
        ["2025-10-05", "SUP-002", 100],
    ]
    await assert_stored_as_walked(db)


async def test_a_recorded_batch_keeps_its_machine_and_counts_once_it_made_serials(
    api: Api, db: Database
) -> None:
    await load_fixture_graph(db, "shop_floor")
    batch: dict[str, Any] = {"batchId": "B-NEW", "orderNumber": "ORD-1", "machineId": "M-01"}
    batch |= {"shiftId": "A", "operatorId": "OP-001", "productionDate": "2025-10-11"}
    batch["quantity"] = 30
    answer = await api.call(Role.PRODUCTION, "recordBatch", batch)
    assert answer["__typename"] == "BatchRecorded", answer
    await consume(api, "B-NEW", lotNumber="LOT-BOLT")
    rows = await assert_stored_as_walked(db)
    assert {r["batch"]: r["ran_stored"] for r in rows}["B-NEW"] == [["M-01"], ["OP-001"]]
    assert await produced(api) == {"SUP-001": 10, "SUP-002": 0}
    answer = await api.call(
        Role.PRODUCTION, "produceSerials", {"batchId": "B-NEW", "serialNumbers": ["SN-900002"]}
    )
    assert answer["__typename"] == "SerialsProduced", answer
    assert await produced(api) == {"SUP-001": 10, "SUP-002": 30}
    await assert_stored_as_walked(db)


async def test_every_quality_write_keeps_the_issues_pareto_keys(api: Api, db: Database) -> None:
    await load_fixture_graph(db, "api_entities")
    assert (await issue_keys(db))["QI-1"] == [
        "material",
        ["LOT-1"],
        ["SUP-001"],
        ["M-01"],
        ["OP-001"],
    ]
    reported = await quality(
        api,
        "reportQualityIssue",
        "ReportQualityIssueInput",
        {
            "type": "crack",
            "description": "Crack",
            "severity": "HIGH",
            "partsAffected": 1,
            "batchId": "B-1",
            "serialNumbers": ["SN-1"],
            "detectionPoint": "final_qc",
        },
        "... on QualityIssueChanged { issue { issueId } }",
    )
    issue = reported["issue"]["issueId"]
    assert (await issue_keys(db))[issue] == ["uninvestigated", [], [], ["M-01"], ["OP-001"]]
    await quality(
        api,
        "openInvestigation",
        "OpenInvestigationInput",
        {"issueId": issue, "suspectedLots": ["LOT-3"]},
    )
    assert (await issue_keys(db))[issue][:3] == ["uninvestigated", ["LOT-3"], ["SUP-002"]]
    await quality(
        api,
        "updateInvestigation",
        "UpdateInvestigationInput",
        {"issueId": issue, "suspectedLots": ["LOT-1"], "rootCauseCategory": "PROCESS"},
    )
    assert (await issue_keys(db))[issue][:3] == ["process", ["LOT-1"], ["SUP-001"]]
    # Notified: SUP-001, already among the issue's suppliers (the notice writes no keys).
    await quality(api, "notifySupplier", "NotifySupplierInput", {"issueId": issue})
    assert (await issue_keys(db))[issue][:3] == ["process", ["LOT-1"], ["SUP-001"]]
    # The lot changes again: the supplier notified stays among the issue's suppliers.
    await quality(
        api,
        "updateInvestigation",
        "UpdateInvestigationInput",
        {"issueId": issue, "suspectedLots": ["LOT-3"]},
    )
    assert (await issue_keys(db))[issue][:3] == ["process", ["LOT-3"], ["SUP-001", "SUP-002"]]
    await quality(api, "startInvestigation", "QualityIssueStepInput", {"issueId": issue})
    await quality(
        api,
        "closeInvestigation",
        "CloseInvestigationInput",
        {"issueId": issue, "rootCauseCategory": "MACHINE", "rootCauseConfirmed": True},
    )
    assert (await issue_keys(db))[issue][0] == "machine"


async def test_a_load_stores_the_upstream_suppliers(db: Database) -> None:
    await load_json_store(db, DATA / "store_v2.json", progress=None)
    rows = await assert_stored_as_walked(db)
    assert any(r["stored"] for r in rows)
    assert any(r["marked"] for r in rows)
    keys = await issue_keys(db)
    assert any(stored[1] for stored in keys.values())


async def write_without_refresh(db: Database) -> None:
    """The shop-floor graph with a genealogy two levels deep, written as a script would (no
    refresh), then stored suppliers spoiled: none on some batches, a wrong one on others."""
    query = fixture_graph("shop_floor")

    async def work(tx: AsyncManagedTransaction) -> None:
        await (await tx.run(query.text, query.bind({}))).consume()
        await queries.write(tx, QUERIES["link_shop_floor_batches"])
        await queries.write(tx, QUERIES["spoil_upstream_suppliers"])

    await db.write(work)


async def test_refresh_recomputes_every_batch_a_page_at_a_time(db: Database) -> None:
    await write_without_refresh(db)
    # Pages of two over five batches: the cursor carries on past the first page.
    assert await refresh_upstream_suppliers(db, page=2) == 5
    rows = await assert_stored_as_walked(db)
    assert {r["batch"]: r["stored"] for r in rows}["B-OLD"] == ["SUP-001", "SUP-002"]


async def test_refresh_recomputes_every_issue_a_page_at_a_time(db: Database) -> None:
    await load_fixture_graph(db, "api_entities")

    async def spoil(tx: AsyncManagedTransaction) -> None:
        await queries.write(tx, QUERIES["spoil_issue_keys"])

    await db.write(spoil)
    # Pages of one over two issues: the cursor carries on past the first page.
    await refresh_upstream_suppliers(db, page=1)
    assert (await issue_keys(db))["QI-1"] == [
        "material",
        ["LOT-1"],
        ["SUP-001"],
        ["M-01"],
        ["OP-001"],
    ]


@pytest.fixture
def cli_env(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.neo4j_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.neo4j_password.get_secret_value())


@pytest.mark.usefixtures("cli_env")
async def test_the_refresh_command(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    await write_without_refresh(db)
    # The CLI runs its own event loop: from a worker thread, not this test's loop.
    assert await asyncio.to_thread(main, ["analytics", "refresh"]) == 0
    assert "recomputed the upstream suppliers of 5 batches" in capsys.readouterr().out
    await assert_stored_as_walked(db)

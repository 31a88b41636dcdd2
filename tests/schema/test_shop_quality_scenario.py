"""Issue 12 §3's scenario, over real HTTP with the mutations alone: one lot received, consumed
through two levels of sub-assembly into a batch that produces serials; a quality issue on it, its
investigation, actions, a supplier's answer and closure; then the forward, backward and impact
traces see every part of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from graph.database import Database
from tests.schema.quality_support import OPERATIONS
from tests.schema.shop_support import Api, serve
from tests.support import load_fixture_graph
from tracegraph.access import Role
from tracegraph.settings import Settings

FAILURES = {"NotFound", "Forbidden", "ValidationFailed", "InvalidTransition", "Conflict"}
FAILURE_FIELDS = """__typename ... on InvalidTransition { message pending }
  ... on ValidationFailed { errors { path message } } ... on NotFound { message }
  ... on Forbidden { message } ... on Conflict { message }"""
TOMORROW = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def api(neo4j_settings: Settings) -> Iterator[Api]:
    yield from serve(neo4j_settings)


@pytest.fixture
async def shop(db: Database) -> Database:
    await load_fixture_graph(db, "shop_floor")
    return db


async def shop_step(api: Api, role: Role, operation: str, given: dict[str, Any]) -> Any:
    answer = await api.call(role, operation, given)
    assert answer["__typename"] not in FAILURES | {"InputRefused", "SerialsTaken"}, answer
    return answer


async def quality_step(api: Api, role: Role, operation: str, given: dict[str, Any]) -> Any:
    input_type, _ = OPERATIONS[operation]
    text = (
        f"mutation($input: {input_type}!) {{ {operation}(input: $input) {{ {FAILURE_FIELDS} }} }}"
    )
    answer = (await api.query(role, text, input=given))[operation]
    assert answer["__typename"] not in FAILURES, (operation, answer)
    return answer


def batch(batch_id: str) -> dict[str, Any]:
    return {
        "batchId": batch_id,
        "orderNumber": "ORD-1",
        "machineId": "M-01",
        "shiftId": "A",
        "operatorId": "OP-001",
        "productionDate": "2025-10-12",
        "quantity": 10,
    }


async def test_a_lot_from_receipt_to_a_closed_issue_is_seen_by_every_trace(
    shop: Database, api: Api
) -> None:
    production, quality = Role.PRODUCTION, Role.QUALITY
    await shop_step(
        api,
        quality,
        "receiveLot",
        {
            "lotNumber": "LOT-SCN",
            "supplierId": "SUP-001",
            "materialId": "MAT-STEEL",
            "quantity": 100,
            "promisedDate": "2025-10-09",
            "deliveredDate": "2025-10-10",
            "inspectionResult": "passed",
        },
    )
    # Two levels of sub-assembly under the batch that makes the serials.
    for batch_id in ("B-SCN-SUB1", "B-SCN-SUB2", "B-SCN-TOP"):
        await shop_step(api, production, "recordBatch", batch(batch_id))
    await shop_step(
        api,
        production,
        "consume",
        {"batchId": "B-SCN-SUB1", "lotNumber": "LOT-SCN", "quantity": 40},
    )
    await shop_step(
        api,
        production,
        "consume",
        {"batchId": "B-SCN-SUB2", "inputBatchId": "B-SCN-SUB1", "quantity": 10},
    )
    top = await shop_step(
        api,
        production,
        "consume",
        {"batchId": "B-SCN-TOP", "inputBatchId": "B-SCN-SUB2", "quantity": 10},
    )
    assert top["batch"]["level"] == 2
    serials = await shop_step(
        api,
        production,
        "produceSerials",
        {"batchId": "B-SCN-TOP", "range": {"first": "SN-SCN-001", "last": "SN-SCN-010"}},
    )
    assert serials["count"] == 10

    reported = await api.query(
        quality,
        """mutation($input: ReportQualityIssueInput!) { reportQualityIssue(input: $input) {
          __typename ... on QualityIssueChanged { issue { issueId
            materialsUsed { lotNumber supplierId } traceability { orderId } } } } }""",
        input={
            "type": "crack",
            "description": "Crack at the weld seam",
            "severity": "HIGH",
            "partsAffected": 1,
            "batchId": "B-SCN-TOP",
            "serialNumbers": ["SN-SCN-003"],
            "detectionPoint": "final_qc",
            "costImpact": {"scrapCost": 100},
        },
    )
    issue = reported["reportQualityIssue"]["issue"]
    issue_id = issue["issueId"]
    assert {"lotNumber": "LOT-SCN", "supplierId": "SUP-001"} in issue["materialsUsed"]
    assert issue["traceability"]["orderId"] == "ORD-1"

    steps: list[tuple[Role, str, dict[str, Any]]] = [
        (quality, "openInvestigation", {"investigator": "Eve", "suspectedLots": ["LOT-SCN"]}),
        (quality, "startInvestigation", {}),
        (quality, "addVerificationTest", {"name": "Dye penetrant", "result": "FAIL"}),
        (
            quality,
            "addAction",
            {
                "kind": "CORRECTIVE",
                "description": "Re-weld",
                "owner": "test-production",
                "dueDate": TOMORROW,
            },
        ),
        (quality, "notifySupplier", {"message": "Cracks traced to your lot LOT-SCN"}),
    ]
    for role, operation, given in steps:
        await quality_step(api, role, operation, {"issueId": issue_id, **given})
    await quality_step(
        api,
        Role.SUPPLIER,
        "respondToNotification",
        {
            "notificationId": f"{issue_id}/N-SUP-001",
            "response": "Heat lot recalled",
            "capaNumber": "CAPA-9",
        },
    )
    for operation in ("startAction", "completeAction"):  # the action's owner works it
        await quality_step(api, production, operation, {"actionId": f"{issue_id}/CA1"})
    await quality_step(
        api,
        quality,
        "closeInvestigation",
        {"issueId": issue_id, "rootCauseCategory": "MATERIAL", "rootCauseConfirmed": True},
    )
    closed = await quality_step(api, quality, "closeQualityIssue", {"issueId": issue_id})
    assert closed["__typename"] == "QualityIssueChanged"

    seen = {"issueId": issue_id, "batchId": "B-SCN-TOP", "status": "closed"}
    data = await api.query(
        quality,
        """query($lot: String!, $serial: String!, $issue: String!) {
          forward: forwardTrace(from: {lotNumber: $lot}) {
            batches { batchId depth } serialCount issues { issueId batchId status } }
          backward: backwardTrace(from: {serialNumber: $serial}) {
            lots { lotNumber } suppliers { id } batches { batchId } }
          fromIssue: backwardTrace(from: {issueId: $issue}) { lots { lotNumber } }
          impact(lotNumber: $lot) { totals { serials } issues { issueId batchId status } } }""",
        lot="LOT-SCN",
        serial="SN-SCN-003",
        issue=issue_id,
    )
    forward = data["forward"]
    assert [(b["batchId"], b["depth"]) for b in forward["batches"]] == [
        ("B-SCN-SUB1", 1),
        ("B-SCN-SUB2", 2),
        ("B-SCN-TOP", 3),
    ]
    assert forward["serialCount"] == 10
    assert forward["issues"] == [seen]
    backward = data["backward"]
    assert [lot["lotNumber"] for lot in backward["lots"]] == ["LOT-SCN"]
    assert [s["id"] for s in backward["suppliers"]] == ["SUP-001"]
    assert {b["batchId"] for b in backward["batches"]} == {"B-SCN-SUB1", "B-SCN-SUB2", "B-SCN-TOP"}
    assert [lot["lotNumber"] for lot in data["fromIssue"]["lots"]] == ["LOT-SCN"]
    assert data["impact"]["totals"]["serials"] == 10
    assert data["impact"]["issues"] == [seen]

"""Entity lookups, relationship fields, lists, derived issue views and scope, against Neo4j."""

from __future__ import annotations

from typing import Any

import pytest

from graph.database import Database
from resolvers.context import Caller, Context, Role
from schema.root import build_schema
from tests.support import load_fixture_graph

SCHEMA = build_schema()


async def run(
    db: Database, query: str, caller: Caller | None = None, **variables: Any
) -> dict[str, Any]:
    result = await SCHEMA.execute(
        query,
        variable_values=variables,
        context_value=Context(db=db, principal=caller or Caller(role=Role.ADMIN)),
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def errors_of(db: Database, query: str) -> list[str]:
    result = await SCHEMA.execute(
        query, context_value=Context(db=db, principal=Caller(role=Role.ADMIN))
    )
    assert result.errors
    return [e.original_error.code for e in result.errors]  # type: ignore[union-attr]


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "api_entities")
    return db


async def test_lot_lookup_with_relationships(graph: Database) -> None:
    data = await run(
        graph,
        """{ lot(lotNumber: "LOT-1") { __typename ... on MaterialLot { lotNumber receivedDate
             supplier { id name } material { id } consumedBy { batchId consumedQuantity }
             issues { issueId } } } }""",
    )
    assert data["lot"] == {
        "__typename": "MaterialLot",
        "lotNumber": "LOT-1",
        "receivedDate": "2025-10-01",
        "supplier": {"id": "SUP-001", "name": "Acme Metals"},
        "material": {"id": "MAT-001"},
        "consumedBy": [{"batchId": "B-SUB", "consumedQuantity": 10.0}],
        "issues": [{"issueId": "QI-1"}],
    }


async def test_lookups_answer_not_found_and_invalid_argument(graph: Database) -> None:
    data = await run(
        graph,
        """{ missing: order(orderNumber: "ORD-404") { __typename ... on NotFound { key } }
             blank: supplier(id: " ") { __typename ... on InvalidArgument { argument } } }""",
    )
    assert data == {
        "missing": {"__typename": "NotFound", "key": "ORD-404"},
        "blank": {"__typename": "InvalidArgument", "argument": "id"},
    }


async def test_order_with_tracking_and_issues(graph: Database) -> None:
    data = await run(
        graph,
        """{ order(orderNumber: "ORD-1") { ... on Order { customer { name } supplier { id }
             batches { batchId inputBatches { batchId } inputLots { lotNumber } machine { id }
               shift { id } operator { name } serials { serialNumber } }
             stages { sequence name } qcChecks { result stage { name } }
             statusHistory { toStatus changedBy { name } } issues { issueId } } } }""",
    )
    order = data["order"]
    assert order["customer"] == {"name": "Globex"}
    assert order["supplier"] == {"id": "SUP-001"}
    assert order["batches"] == [
        {
            "batchId": "B-1",
            "inputBatches": [{"batchId": "B-SUB"}],
            "inputLots": [{"lotNumber": "LOT-3"}],
            "machine": {"id": "M-01"},
            "shift": {"id": "A"},
            "operator": {"name": "Bob"},
            "serials": [{"serialNumber": "SN-1"}, {"serialNumber": "SN-2"}],
        }
    ]
    assert [s["sequence"] for s in order["stages"]] == [1, 2]
    assert order["qcChecks"] == [{"result": "fail", "stage": {"name": "knitting"}}]
    assert order["statusHistory"] == [{"toStatus": "in_production", "changedBy": {"name": "Ann"}}]
    assert order["issues"] == [{"issueId": "QI-1"}]


async def test_issue_has_the_seed_shape_derived_by_traversal(graph: Database) -> None:
    data = await run(
        graph,
        """{ qualityIssue(id: "QI-1") { ... on QualityIssue { severity
             traceability { batchId orderId partNumber customer affectedSerials shift operator }
             materialsUsed { materialId materialName lotNumber supplierId supplierName }
             investigation { rootCauseCategory suspectedLots { lotNumber }
               verificationTests { result } }
             correctiveActions { id } preventiveActions { id }
             supplierNotification { notified notificationDate supplierCapaNumber
               supplier { id } }
             costImpact { totalCost chargedToSupplier } batch { batchId } serials { serialNumber }
           } } }""",
    )
    issue = data["qualityIssue"]
    assert issue["traceability"] == {
        "batchId": "B-1",
        "orderId": "ORD-1",
        "partNumber": "PN-100",
        "customer": "Globex",
        "affectedSerials": ["SN-1"],
        "shift": "A",
        "operator": "Bob",
    }
    assert issue["materialsUsed"] == [
        {
            "materialId": "MAT-001",
            "materialName": "Steel sheet",
            "lotNumber": "LOT-1",
            "supplierId": "SUP-001",
            "supplierName": "Acme Metals",
        },
        {
            "materialId": "MAT-002",
            "materialName": "Bolt M6",
            "lotNumber": "LOT-3",
            "supplierId": "SUP-002",
            "supplierName": "Bolt Co",
        },
    ]
    assert issue["investigation"] == {
        "rootCauseCategory": "material",
        "suspectedLots": [{"lotNumber": "LOT-1"}],
        "verificationTests": [{"result": "fail"}],
    }
    assert issue["correctiveActions"] == [{"id": "QI-1/CA1"}]
    assert issue["preventiveActions"] == [{"id": "QI-1/PA1"}]
    assert issue["supplierNotification"] == {
        "notified": True,
        "notificationDate": "2025-10-12",
        "supplierCapaNumber": "CAPA-9",
        "supplier": {"id": "SUP-001"},
    }
    assert issue["costImpact"] == {"totalCost": 500.0, "chargedToSupplier": True}
    assert issue["serials"] == [{"serialNumber": "SN-1"}]


async def _issue_ids(db: Database, args: str) -> list[str]:
    data = await run(
        db, f"{{ qualityIssues(first: 50 {args}) {{ totalCount nodes {{ issueId }} }} }}"
    )
    ids = [n["issueId"] for n in data["qualityIssues"]["nodes"]]
    assert data["qualityIssues"]["totalCount"] == len(ids)
    return ids


async def test_quality_issue_filters_and_sorts(graph: Database) -> None:
    assert await _issue_ids(graph, "") == ["QI-2", "QI-1"]  # newest first
    assert await _issue_ids(graph, 'filter: {supplierId: "SUP-001"}') == ["QI-2", "QI-1"]
    assert await _issue_ids(graph, 'filter: {supplierId: "SUP-002"}') == ["QI-1"]
    assert await _issue_ids(graph, 'filter: {orderNumber: "ORD-2"}') == ["QI-2"]
    assert await _issue_ids(graph, 'filter: {lotNumber: "LOT-1"}') == ["QI-1"]
    assert await _issue_ids(graph, "filter: {rootCause: MATERIAL}") == ["QI-1"]
    assert await _issue_ids(graph, "filter: {severity: [HIGH, CRITICAL]}") == ["QI-1"]
    assert await _issue_ids(graph, "filter: {status: [OPEN]}") == ["QI-2"]
    assert await _issue_ids(
        graph, 'filter: {detectedFrom: "2025-10-01", detectedTo: "2025-10-10"}'
    ) == ["QI-1"]
    assert await _issue_ids(graph, "sort: TOTAL_COST_DESC") == ["QI-1", "QI-2"]
    assert await _issue_ids(graph, "sort: ISSUE_ID") == ["QI-1", "QI-2"]


async def test_lists_filter_and_sort_in_the_database(graph: Database) -> None:
    data = await run(
        graph,
        """{ lots(filter: {supplierId: "SUP-001"}) { nodes { lotNumber } }
             quarantined: lots(filter: {quarantineStatus: "quarantined"}) { nodes { lotNumber } }
             batches(filter: {lotNumber: "LOT-1"}) { nodes { batchId } }
             orders(sort: DUE_DATE) { nodes { orderNumber } }
             byCustomer: orders(filter: {customerId: "CUST-002"}) { nodes { orderNumber } }
             suppliers(sort: NAME, filter: {status: "probation"}) { nodes { id } } }""",
    )
    assert data["lots"]["nodes"] == [{"lotNumber": "LOT-2"}, {"lotNumber": "LOT-1"}]
    assert data["quarantined"]["nodes"] == [{"lotNumber": "LOT-1"}]
    assert data["batches"]["nodes"] == [{"batchId": "B-1"}, {"batchId": "B-SUB"}]
    assert data["orders"]["nodes"] == [{"orderNumber": "ORD-2"}, {"orderNumber": "ORD-1"}]
    assert data["byCustomer"]["nodes"] == [{"orderNumber": "ORD-2"}]
    assert data["suppliers"]["nodes"] == [{"id": "SUP-002"}]


async def test_pagination_walks_every_item_once_with_stable_cursors(graph: Database) -> None:
    query = """query($after: String) { lots(first: 2, after: $after, sort: RECEIVED_DATE_DESC) {
                 totalCount pageInfo { hasNextPage endCursor } edges { cursor node { lotNumber } }
               } }"""
    first = (await run(graph, query, after=None))["lots"]
    assert first["totalCount"] == 3
    assert [e["node"]["lotNumber"] for e in first["edges"]] == ["LOT-3", "LOT-2"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    second = (await run(graph, query, after=first["pageInfo"]["endCursor"]))["lots"]
    assert [e["node"]["lotNumber"] for e in second["edges"]] == ["LOT-1"]
    assert second["pageInfo"]["hasNextPage"] is False
    again = (await run(graph, query, after=first["pageInfo"]["endCursor"]))["lots"]
    assert again == second


async def test_page_size_and_cursor_errors_are_typed(graph: Database) -> None:
    assert await errors_of(graph, "{ suppliers(first: 101) { nodes { id } } }") == [
        "PAGE_SIZE_EXCEEDED"
    ]
    assert await errors_of(graph, "{ lots(first: -1) { nodes { lotNumber } } }") == [
        "INVALID_INPUT"
    ]
    assert await errors_of(graph, '{ suppliers(after: "bogus") { nodes { id } } }') == [
        "INVALID_CURSOR"
    ]
    data = await run(graph, "{ suppliers(first: 1) { pageInfo { endCursor } } }")
    cursor = data["suppliers"]["pageInfo"]["endCursor"]
    query = f'{{ suppliers(sort: NAME, after: "{cursor}") {{ nodes {{ id }} }} }}'
    assert await errors_of(graph, query) == ["INVALID_CURSOR"]


async def test_supplier_quality_metrics(graph: Database) -> None:
    data = await run(
        graph,
        """{ supplier(id: "SUP-001") { ... on Supplier {
             all: qualityMetrics { totalIssues totalPartsAffected partsProduced defectRatePpm
               highSeverityIssues totalCostImpact lotsReceived onTimeDeliveryPercent }
             october10: qualityMetrics(from: "2025-10-01", to: "2025-10-10") { totalIssues
               lotsReceived }
             lots { lotNumber promisedAt deliveredAt } issues { issueId } orders { orderNumber }
           } } }""",
    )
    supplier = data["supplier"]
    # QI-1 (via B-SUB <- LOT-1) and QI-2 (B-2 <- LOT-2): 7 parts of 150 produced by B-SUB and B-2.
    assert supplier["all"] == {
        "totalIssues": 2,
        "totalPartsAffected": 7,
        "partsProduced": 150,
        "defectRatePpm": pytest.approx(7 / 150 * 1_000_000),
        "highSeverityIssues": 1,
        "totalCostImpact": 600.0,
        "lotsReceived": 2,
        "onTimeDeliveryPercent": 50.0,
    }
    assert supplier["october10"] == {"totalIssues": 1, "lotsReceived": 2}
    assert supplier["lots"][1] == {
        "lotNumber": "LOT-1",
        "promisedAt": "2025-09-30",
        "deliveredAt": "2025-10-01",
    }
    assert supplier["orders"] == [{"orderNumber": "ORD-1"}]


async def test_buyer_scope_sees_only_its_customers_orders(graph: Database) -> None:
    buyer = Caller(role=Role.BUYER, customer_id="CUST-002")
    data = await run(
        graph,
        """{ orders { totalCount nodes { orderNumber batches { batchId } } }
             qualityIssues { nodes { issueId } }
             other: order(orderNumber: "ORD-1") { __typename }
             lot1: lot(lotNumber: "LOT-1") { __typename }
             lot2: lot(lotNumber: "LOT-2") { __typename ... on MaterialLot { consumedBy {
               batchId } } } }""",
        caller=buyer,
    )
    assert data["orders"] == {
        "totalCount": 1,
        "nodes": [{"orderNumber": "ORD-2", "batches": [{"batchId": "B-2"}]}],
    }
    assert data["qualityIssues"]["nodes"] == [{"issueId": "QI-2"}]
    assert data["other"] == {"__typename": "NotFound"}
    assert data["lot1"] == {"__typename": "NotFound"}
    assert data["lot2"]["consumedBy"] == [{"batchId": "B-2"}]


async def test_supplier_scope_sees_only_its_lots(graph: Database) -> None:
    supplier = Caller(role=Role.SUPPLIER, supplier_id="SUP-002")
    data = await run(
        graph,
        """{ lots { nodes { lotNumber } } suppliers { nodes { id } }
             batch(id: "B-1") { __typename ... on Batch { inputBatches { batchId } } } }""",
        caller=supplier,
    )
    assert data["lots"]["nodes"] == [{"lotNumber": "LOT-3"}]
    assert data["suppliers"]["nodes"] == [{"id": "SUP-002"}]
    # B-1 consumed LOT-3; its sub-assembly B-SUB holds only SUP-001 material.
    assert data["batch"] == {"__typename": "Batch", "inputBatches": []}


async def test_material_customer_and_serial_lookups(graph: Database) -> None:
    data = await run(
        graph,
        """{ material(id: "MAT-001") { ... on Material { name requirements
               preferredSuppliers { id } lots { lotNumber } } }
             customer(id: "CUST-001") { ... on Customer { name orders { orderNumber } } }
             serial(number: "SN-1") { ... on Serial { status batch { batchId
               consumedBy { batchId } inputBatches { batchId consumedQuantity } }
               issues { issueId } } }
             sub: batch(id: "B-SUB") { ... on Batch { order { orderNumber }
               consumedBy { batchId consumedQuantity } issues { issueId } } } }""",
    )
    assert data["material"] == {
        "name": "Steel sheet",
        "requirements": ["RoHS"],
        "preferredSuppliers": [{"id": "SUP-001"}],
        "lots": [{"lotNumber": "LOT-2"}, {"lotNumber": "LOT-1"}],
    }
    assert data["customer"] == {"name": "Globex", "orders": [{"orderNumber": "ORD-1"}]}
    assert data["serial"] == {
        "status": "defective",
        "batch": {
            "batchId": "B-1",
            "consumedBy": [],
            "inputBatches": [{"batchId": "B-SUB", "consumedQuantity": 100.0}],
        },
        "issues": [{"issueId": "QI-1"}],
    }
    assert data["sub"] == {
        "order": None,
        "consumedBy": [{"batchId": "B-1", "consumedQuantity": 100.0}],
        "issues": [],
    }

"""Every query that reads ``$scope`` runs under every role (found by walking the registry and the
role table, so a new query or role is covered the day it is added): a role never sees more than
admin, tenants never see each other's orders, and a caller with no row scope sees nothing."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from graph.entities import native
from graph.workflow import DONE, IN_PROGRESS, OPEN
from resolvers.context import Caller, Role
from tests.support import load_fixture_graph

# Keys of the fixture graph api_entities, per label, as a query's $keys / root parameters.
KEYS = {
    "Supplier": ["SUP-001", "SUP-002"],
    "Material": ["MAT-001", "MAT-002"],
    "MaterialLot": ["LOT-1", "LOT-2", "LOT-3"],
    "Customer": ["CUST-001", "CUST-002"],
    "Order": ["ORD-1", "ORD-2"],
    "Batch": ["B-SUB", "B-1", "B-2"],
    "Serial": ["SN-1", "SN-2", "SN-3"],
    "QualityIssue": ["QI-1", "QI-2"],
    "Investigation": ["QI-1/INV"],
    "SupplierNotification": ["QI-1/N"],
    "QCCheck": ["QC-1"],
    "OrderStatusChange": ["ORD-1/1"],
}
ALL_KEYS = sorted({k for keys in KEYS.values() for k in keys})
ROOTS: dict[str, list[str] | list[list[str]]] = {
    "lot_number": KEYS["MaterialLot"],
    "batch_id": KEYS["Batch"],
    "supplier_id": KEYS["Supplier"],
    "serial_number": KEYS["Serial"],
    "issue_id": KEYS["QualityIssue"],
    "order_number": KEYS["Order"],
    # previewRecall's scope: one lot or one batch at a time (a list of keys).
    "lot_numbers": [[key] for key in KEYS["MaterialLot"]],
    "batch_ids": [[key] for key in KEYS["Batch"]],
}
# What each buyer must never see: the other customer's order and everything only it reaches.
NOT_FOR_CUSTOMER = {
    "CUST-001": {"ORD-2", "B-2", "SN-3", "QI-2", "CUST-002", "LOT-2"},
    "CUST-002": {"ORD-1", "B-1", "B-SUB", "SN-1", "SN-2", "QI-1", "CUST-001", "LOT-1", "LOT-3"},
}
TRACES = ("traces.",)
ANALYTICS_DIMENSIONS = ("root_cause", "supplier", "lot", "machine", "operator")
ANALYTICS_GROUPS = ("month", "supplier", "order", "customer")


def _scoped() -> list[queries.NamedQuery]:
    # Writes are scoped alike; tests/schema/test_order_workflow.py runs them out of scope.
    return [
        q for q in queries.registry().queries.values() if "scope" in q.params and q.mode != "write"
    ]


def _callers() -> Iterator[tuple[str, dict[str, Any]]]:
    for role in Role:
        if role is Role.BUYER:
            for customer in NOT_FOR_CUSTOMER:
                yield f"buyer:{customer}", Caller(role=role, customer_id=customer).scope()
        elif role is Role.SUPPLIER:
            for supplier in KEYS["Supplier"]:
                yield f"supplier:{supplier}", Caller(role=role, supplier_id=supplier).scope()
        else:
            yield role.value, Caller(role=role).scope()


def _param_sets(query: queries.NamedQuery) -> Iterator[dict[str, Any]]:
    base: dict[str, Any] = {}
    if "keys" in query.params:
        base["keys"] = ALL_KEYS
    if "filter" in query.params:
        base["filter"] = dict.fromkeys(re.findall(r"\$filter\.(\w+)", query.text))
    defaults: dict[str, Any] = {"sort": "", "after": None, "limit": 100, "first": 100}
    defaults |= {"max_depth": 10}
    defaults |= {"date_from": None, "date_to": None}
    defaults |= {"stage_sequence": 2}  # qc.check_context: ORD-1's knitting stage
    defaults |= {"document_id": "DOC-1"}  # the fixture has none: a download finds nothing
    defaults |= {"in_progress": list(IN_PROGRESS), "done": list(DONE), "open": list(OPEN)}
    # shop.consume_context (a lot input), shop.lot_references (with the supplier root).
    defaults |= {"input_batch_id": None, "material_id": "MAT-001"}
    # What the quality mutations read under their locks (graph/quality.py).
    defaults |= {"serials": KEYS["Serial"], "lots": KEYS["MaterialLot"]}
    defaults |= {"action_id": "QI-1/PA1", "notification_id": "QI-1/N"}
    defaults |= {"editor": {"limit": "any", "user_id": "U-001"}}
    # Analytics: every serial as defective, the default grades, and in turn each grouping.
    defaults |= {"defective": KEYS["Serial"], "ratings": [], "measure": "cost"}
    defaults |= {"shipped_states": list(DONE), "received_from": None, "received_to": None}
    defaults |= {"serial_from": None, "serial_to": None}
    defaults |= {"from": None, "to": None, "descending": False}  # exports.rows: a lot's events
    defaults |= {"status": None}  # recall.list: every recall
    base |= {k: v for k, v in defaults.items() if k in query.params}
    for base in [base | v for v in _variants(query)]:
        roots = [r for r in ROOTS if r in query.params]
        if not roots:
            yield base
            continue
        for root in roots:  # exactly one root given, in turn every key of it
            for key in ROOTS[root]:
                yield base | dict.fromkeys(roots) | {root: key}


def _variants(query: queries.NamedQuery) -> list[dict[str, Any]]:
    if "dimension" in query.params:
        return [{"dimension": d} for d in ANALYTICS_DIMENSIONS]
    if "group" in query.params:
        return [{"group": g} for g in ANALYTICS_GROUPS]
    return [{}]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


async def _answer(
    tx: AsyncManagedTransaction, query: queries.NamedQuery, params: dict[str, Any]
) -> tuple[frozenset[str], bool]:
    """The entity keys in the answer (inputs aside), and whether the query said 'not visible'."""
    rows = [native(record.data()) for record in await queries.read(tx, query, **params)]
    # A trace answers 'not visible' (null or false) for a root outside the scope: NotFound.
    hidden = any("visible" in row and not row["visible"] for row in rows)
    # A relationship query echoes each parent key it was given: its answer is the items.
    rows = [row["items"] if set(row) == {"key", "items"} else row for row in rows]
    inputs = set(_strings({k: v for k, v in params.items() if k != "keys"}))
    keys = {s for s in _strings(rows) if s in ALL_KEYS} - inputs
    return frozenset(keys), hidden


@pytest.mark.parametrize("query", _scoped(), ids=lambda q: q.name)
async def test_every_scoped_query_under_every_role(
    db: Database, query: queries.NamedQuery, capsys: pytest.CaptureFixture[str]
) -> None:
    await load_fixture_graph(db, "api_entities")
    checked = 0
    for params in _param_sets(query):
        admin, _ = await db.read(
            _answer, query, params | {"scope": Caller(role=Role.ADMIN).scope()}
        )
        nobody = {"rows": None, "customer_id": None, "supplier_id": None}
        keys, hidden = await db.read(_answer, query, params | {"scope": nobody})
        assert hidden or not keys, f"{query.name} {params}: no row scope saw {sorted(keys)}"
        for name, scope in _callers():
            keys, hidden = await db.read(_answer, query, params | {"scope": scope})
            checked += 1
            if hidden:
                continue
            assert keys <= admin, f"{query.name} as {name} saw more than admin: {keys - admin}"
            customer = scope["customer_id"]
            if customer is not None and not query.name.startswith(TRACES):
                leaked = keys & NOT_FOR_CUSTOMER[customer]
                assert not leaked, f"{query.name} as {name} {params}: leaked {sorted(leaked)}"
    with capsys.disabled():
        print(f"\n{query.name}: {checked} (parameters, role) runs")


def test_every_role_has_a_row_scope_and_the_scope_rules_cover_each() -> None:
    rows = {Caller(role=role).scope()["rows"] for role in Role}
    assert rows == {"all", "customer", "supplier"}
    text = queries.registry().fragments["scope.Order"].text
    assert all(f"'{r}'" in text for r in rows)
    assert len(list(itertools.chain(_scoped()))) >= 50

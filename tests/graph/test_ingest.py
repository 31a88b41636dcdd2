from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from graph import queries
from graph.database import Database
from graph.ingest import graph_counts, ingest, missing_keys
from graph.records import NODE_TYPES, REL_TYPES, NodeRecord, RelRecord, node_query_name
from graph.records.orders import Customer, Order, Placed
from graph.records.production import Batch, ProducedSerial
from graph.records.quality import Affects, QualityIssue
from graph.records.supply import Supplier
from loaders.demo import load_demo
from tests.ingest_support import fetch
from tracegraph.errors import DatabaseError


def test_every_record_type_has_its_queries() -> None:
    registry = queries.registry()
    for node in NODE_TYPES:
        name = node_query_name(node)
        assert name in registry
        assert f"{name}_create" in registry
        assert name.replace(".node_", ".keys_") in registry
    for rel in REL_TYPES:
        assert rel.query_name() in registry
        assert f"{rel.query_name()}_create" in registry


async def _instant_types(db: Database) -> int:
    stored = {
        (row["owner"], row["key"]): set(row["types"]) for row in await fetch(db, "property_types")
    }
    checked = 0
    owners = [(n.LABEL, n.instant_fields()) for n in NODE_TYPES]
    owners += [(r.TYPE, r.instant_fields()) for r in REL_TYPES]
    for owner, fields in owners:
        for field in fields:
            assert stored.get((owner, field)) == {"ZONED DATETIME NOT NULL"}, (owner, field)
            checked += 1
    return checked


async def test_every_instant_is_stored_as_a_datetime(db: Database) -> None:
    # Instants travel as ISO strings; a query that forgot datetime() would store text. The
    # first load creates (the *_create queries), the second merges over it (the others).
    await load_demo(db, scale=2_000, seed=7, progress=None)
    assert await _instant_types(db) == 11  # 10 instant fields on nodes, 1 on ASSIGNED_TO
    await load_demo(db, scale=2_000, seed=7, progress=None)
    assert await _instant_types(db) == 11


async def test_upsert_counts_and_idempotency(db: Database) -> None:
    records: list[NodeRecord | RelRecord] = [
        Customer(id="CUST-1", name="Nordwear"),
        Order(
            order_number="ORD-1",
            part_number="PN-1",
            quantity=3,
            due_date=date(2025, 3, 1),
            created_at=datetime(2025, 2, 1, 9, tzinfo=UTC),
        ),
        Placed(src="CUST-1", dst="ORD-1"),
    ]
    first = await ingest(db, records, batch_size=1)
    assert (first.nodes_created, first.relationships_created) == (2, 1)
    again = await ingest(db, records)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert again.node_rows == 2
    nodes, rels = await graph_counts(db)
    assert nodes == {"Customer": 1, "Order": 1}
    assert rels == {"PLACED": 1}
    assert await missing_keys(db, Customer, ["CUST-1", "CUST-2"]) == {"CUST-2"}


async def test_duplicate_key_is_rejected_by_the_constraint(db: Database) -> None:
    await ingest(db, [Supplier(id="SUP-1", name="A")], create_only=True)
    with pytest.raises(DatabaseError) as refused:
        await ingest(db, [Supplier(id="SUP-1", name="B")], create_only=True)
    # Neo4j's own words are the operator's (the CLI prints them), never an API answer's.
    assert "already exists" in (refused.value.detail or "")
    assert "already exists" not in str(refused.value)
    nodes, _ = await graph_counts(db)
    assert nodes == {"Supplier": 1}


async def test_dates_and_instants_become_neo4j_temporal_types(db: Database) -> None:
    await ingest(
        db,
        [
            Order(
                order_number="ORD-1",
                part_number="PN-1",
                quantity=3,
                due_date=date(2025, 3, 1),
                created_at=datetime(2025, 2, 1, 9, tzinfo=UTC),
            )
        ],
    )
    [row] = await fetch(db, "snapshot")
    values = row["props"]
    assert row["labels"] == ["Order"]
    assert type(values["due_date"]).__name__ == "Date"
    assert type(values["created_at"]).__name__ == "DateTime"


@pytest.mark.parametrize("create_only", [True, False])
async def test_links_wait_for_the_serials_their_batch_creates(
    db: Database, create_only: bool
) -> None:
    # Tiny batches put many writes in flight at once: AFFECTS must still find every serial that
    # ProducedSerial creates, or it would silently link nothing.
    serials = [f"SN-{n}" for n in range(12)]
    records: list[NodeRecord | RelRecord] = [
        Batch(batch_id="B-1", production_date=date(2025, 3, 1), quantity=12),
        QualityIssue(
            issue_id="QI-1",
            type="crack",
            parts_affected=12,
            severity="high",
            detected_at=datetime(2025, 3, 2, tzinfo=UTC),
        ),
    ]
    for sn in serials:
        records.append(ProducedSerial(src="B-1", dst=sn, status="defective"))
        records.append(Affects(src="QI-1", dst=sn))
    summary = await ingest(db, records, batch_size=2, create_only=create_only)
    assert summary.nodes_created == 2 + len(serials)
    assert summary.node_rows == 2 + len(serials)
    nodes, rels = await graph_counts(db)
    assert nodes == {"Batch": 1, "QualityIssue": 1, "Serial": 12}
    assert rels == {"PRODUCED": 12, "AFFECTS": 12}
    again = await ingest(db, records, batch_size=5)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert await graph_counts(db) == (nodes, rels)

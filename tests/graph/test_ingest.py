from __future__ import annotations

import asyncio
import enum
import types
import typing
from datetime import UTC, date, datetime
from typing import Any

import pytest
from neo4j.time import DateTime
from pydantic import AwareDatetime

import graph.ingest
from graph import queries
from graph.database import Database
from graph.ingest import (
    MAX_BATCH_SIZE,
    WriteConflictError,
    WriteSummary,
    ends_query_name,
    graph_counts,
    ingest,
    lookup_query_name,
    missing_keys,
)
from graph.records import NODE_TYPES, REL_TYPES, NodeRecord, RelRecord, node_query_name
from graph.records.orders import AssignedTo, Customer, Order, Placed
from graph.records.production import Batch, ConsumedBatch, ProducedSerial, Shift
from graph.records.quality import Affects, QualityIssue
from graph.records.supply import MaterialLot, Supplied, Supplier
from tests.ingest_support import fetch
from tracegraph.errors import DatabaseError, InvalidInputError


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


def _bare(kind: Any) -> Any:
    """The type under Optional and Annotated."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    if typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    return kind


def sample(cls: type[NodeRecord], key: str) -> NodeRecord:
    """A valid record of ``cls`` with every field given (required or not), keyed ``key``."""
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        kind = _bare(info.annotation)
        if typing.get_origin(kind) is typing.Literal:
            values[name] = typing.get_args(kind)[-1]
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            values[name] = list(kind)[-1].value
        elif kind is AwareDatetime:
            values[name] = datetime(2025, 2, 1, 9, 30, tzinfo=UTC)
        elif kind is date:
            values[name] = date(2025, 3, 1)
        elif kind in (int, float):
            values[name] = kind(1)
        elif kind is bool:
            values[name] = True
        elif typing.get_origin(kind) is list:
            values[name] = ["a"]
        else:
            values[name] = key if name == cls.KEY else f"{name}-{key}"
    if cls is Batch:
        values["serial_end"] = values["serial_start"]
    if cls is Shift:
        values.update(start_time="06:00", end_time="14:00")
    return cls(**values)


@pytest.mark.parametrize("create_only", [True, False], ids=["create", "merge"])
async def test_every_instant_is_stored_as_a_datetime(db: Database, create_only: bool) -> None:
    # Instants travel as ISO strings; a query that forgot datetime() would store text.
    records: list[NodeRecord | RelRecord] = [sample(node, f"K-{node.LABEL}") for node in NODE_TYPES]
    records.append(AssignedTo(src="K-Order", dst="K-Supplier", assigned_at=datetime.now(UTC)))
    await ingest(db, records, create_only=create_only)
    checked = 0
    for row in await fetch(db, "snapshot"):
        label = row["labels"][0]
        node = next(n for n in NODE_TYPES if label == n.LABEL)
        for field in node.instant_fields():
            assert isinstance(row["props"][field], DateTime), (label, field)
            checked += 1
        for rel_type, props, _ in row["out"]:
            if rel_type == "ASSIGNED_TO":
                assert isinstance(props["assigned_at"], DateTime)
                checked += 1
    assert checked == 11  # 10 instant fields on nodes, 1 on ASSIGNED_TO


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


async def test_what_a_load_creates_carries_its_id(db: Database) -> None:
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
    await ingest(db, records[:1], load="L-1")
    await ingest(db, records, load="L-2")
    rows = await fetch(db, "snapshot")
    tags = {(row["labels"][0], row["props"]["_load"]) for row in rows}
    # The customer was there before load L-2: it keeps L-1; what L-2 created carries L-2.
    assert tags == {("Customer", "L-1"), ("Order", "L-2")}
    [placed] = [out for row in rows for out in row["out"] if out[0] == "PLACED"]
    assert placed[1]["_load"] == "L-2"


async def test_expect_new_rolls_the_batch_back_when_a_row_exists(db: Database) -> None:
    # The loader read that neither supplier exists; someone created SUP-2 since.
    await ingest(db, [Supplier(id="SUP-2", name="Theirs")])
    with pytest.raises(WriteConflictError, match="changed while loading"):
        await ingest(
            db, [Supplier(id="SUP-1", name="A"), Supplier(id="SUP-2", name="B")], expect_new=True
        )
    rows = await fetch(db, "snapshot")
    assert [(r["props"]["id"], r["props"]["name"]) for r in rows] == [("SUP-2", "Theirs")]


@pytest.mark.parametrize("size", [0, -1, MAX_BATCH_SIZE + 1])
async def test_unusable_batch_sizes_are_refused(db: Database, size: int) -> None:
    with pytest.raises(InvalidInputError, match=f"batch size {size} is not"):
        await ingest(db, [Supplier(id="SUP-1", name="A")], batch_size=size)
    assert await graph_counts(db) == ({}, {})


async def test_relationship_writes_in_flight_never_share_a_label(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two relationship transactions in flight that share end nodes can lock them in opposite
    # orders (DeadlockDetected): only writes between disjoint labels overlap.
    labels = {r.query_name(): {r.FROM.LABEL, r.TO.LABEL} for r in REL_TYPES}
    in_flight: list[set[str]] = []
    seen = {"shared": 0, "overlapping": 0}
    real = graph.ingest.write_rows

    async def watched(tx: Any, **kwargs: Any) -> WriteSummary:
        mine = labels.get(kwargs["query"])
        if mine is None:
            return await real(tx, **kwargs)
        seen["shared"] += any(mine & theirs for theirs in in_flight)
        seen["overlapping"] += bool(in_flight)
        in_flight.append(mine)
        try:
            await asyncio.sleep(0.01)  # keep it in flight long enough to be seen
            return await real(tx, **kwargs)
        finally:
            in_flight.remove(mine)

    monkeypatch.setattr(graph.ingest, "write_rows", watched)
    day = date(2025, 3, 1)
    records: list[NodeRecord | RelRecord] = [
        Batch(batch_id=f"B-{n}", production_date=day, quantity=1) for n in range(41)
    ]
    records += [Supplier(id=f"SUP-{n}", name="x") for n in range(40)]
    records += [MaterialLot(lot_number=f"L-{n}", quantity=1, received_date=day) for n in range(40)]
    for n in range(40):
        records.append(ProducedSerial(src=f"B-{n}", dst=f"SN-{n}"))
        records.append(ConsumedBatch(src=f"B-{n + 1}", dst=f"B-{n}"))
        records.append(Supplied(src=f"SUP-{n}", dst=f"L-{n}"))
    await ingest(db, records, batch_size=4)
    assert seen["shared"] == 0
    assert seen["overlapping"] > 0  # SUPPLIED beside PRODUCED or CONSUMED: no node in common
    _, rels = await graph_counts(db)
    assert rels == {"PRODUCED": 40, "CONSUMED": 40, "SUPPLIED": 40}


def test_every_record_type_has_its_lookup() -> None:
    registry = queries.registry()
    for node in NODE_TYPES:
        assert lookup_query_name(node) in registry, node
    for rel in REL_TYPES:
        assert lookup_query_name(rel) in registry, rel
        if rel.ONE_PER:
            assert ends_query_name(rel) in registry, rel

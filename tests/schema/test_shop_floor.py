"""Receiving and production capture over real HTTP (issue 12 §1): receiveLot, recordBatch,
consume, produceSerials and scrap against a real Neo4j; every refusal writes nothing; roles;
idempotency; two clients racing for the last of a lot; what they write seen by the traces."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from graph.database import Database
from tests.schema.shop_support import Api, events, send, serve, snapshot
from tests.support import load_fixture_graph
from tracegraph.access import Role
from tracegraph.settings import Settings

ADMIN, QUALITY, PRODUCTION = Role.ADMIN, Role.QUALITY, Role.PRODUCTION


@pytest.fixture(scope="module")
def api(neo4j_settings: Settings) -> Iterator[Api]:
    yield from serve(neo4j_settings)


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "shop_floor")
    return db


def lot_input(lot: str = "LOT-NEW", **extra: Any) -> dict[str, Any]:
    return {
        "lotNumber": lot,
        "supplierId": "SUP-001",
        "materialId": "MAT-STEEL",
        "quantity": 100,
        "promisedDate": "2025-10-08",
        "deliveredDate": "2025-10-10",
        "expiryDate": "2026-10-10",
        "inspectionResult": "passed",
        **extra,
    }


def batch_input(batch: str = "B-NEW", **extra: Any) -> dict[str, Any]:
    return {
        "batchId": batch,
        "orderNumber": "ORD-1",
        "machineId": "M-01",
        "shiftId": "A",
        "operatorId": "OP-001",
        "productionDate": "2025-10-11",
        "quantity": 100,
        **extra,
    }


def consume_input(batch: str = "B-1", lot: str | None = "LOT-OK", **extra: Any) -> dict[str, Any]:
    given: dict[str, Any] = {"batchId": batch, "quantity": 10, **extra}
    if lot is not None and "inputBatchId" not in extra:
        given["lotNumber"] = lot
    return given


# -- receiveLot -----------------------------------------------------------------------------------


async def test_a_received_lot_is_the_models_lot(api: Api, graph: Database) -> None:
    answer = await api.call(QUALITY, "receiveLot", lot_input(unit=None, note="truck 7"))
    assert answer["__typename"] == "LotReceived", answer
    assert answer["lot"] == {
        "lotNumber": "LOT-NEW",
        "quantity": 100.0,
        "unit": "kg",  # the material's
        "receivedDate": "2025-10-10",
        "expiryDate": "2026-10-10",
        "inspectionResult": "passed",
        "quarantineStatus": "released",
        "promisedAt": "2025-10-08",
        "deliveredAt": "2025-10-10",
    }
    # The existing reads see it as a loaded lot: supplier (with the delivery days), material.
    read = await api.query(
        ADMIN,
        """{ lot(lotNumber: "LOT-NEW") { ... on MaterialLot { lotNumber supplier { id }
             material { id } } }
           supplier(id: "SUP-001") { ... on Supplier { lots {
             lotNumber promisedAt deliveredAt } } } }""",
    )
    assert read["lot"] == {
        "lotNumber": "LOT-NEW",
        "supplier": {"id": "SUP-001"},
        "material": {"id": "MAT-STEEL"},
    }
    delivered = read["supplier"]["lots"]
    assert {"lotNumber": "LOT-NEW", "promisedAt": "2025-10-08", "deliveredAt": "2025-10-10"} in (
        delivered
    )
    assert await events(graph) == [
        {
            "operation": "receiveLot",
            "label": "MaterialLot",
            "key": "LOT-NEW",
            "after": "passed",
            "quantity": 100.0,
            "input": None,
            "by": "test-quality",
            "role": "quality",
            "about": ["LOT-NEW"],
        }
    ]


@pytest.mark.parametrize(
    ("given", "kind", "detail"),
    [
        ({"lotNumber": "LOT-OK"}, "Conflict", "lot number LOT-OK is taken"),
        ({"supplierId": "SUP-NOPE"}, "NotFound", "SUP-NOPE"),
        ({"materialId": "MAT-NOPE"}, "NotFound", "MAT-NOPE"),
    ],
)
async def test_receiving_refusals_write_nothing(
    api: Api, graph: Database, given: dict[str, Any], kind: str, detail: str
) -> None:
    before = await snapshot(graph)
    answer = await api.call(PRODUCTION, "receiveLot", lot_input(**given))
    assert answer["__typename"] == kind, answer
    assert detail in answer["message"]
    assert await snapshot(graph) == before


@pytest.mark.parametrize(
    ("operation", "given", "paths"),
    [
        ("receiveLot", lot_input(quantity=0), [["input", "quantity"]]),
        ("receiveLot", lot_input(inspectionResult="great"), [["input", "inspectionResult"]]),
        ("receiveLot", lot_input(expiryDate="2025-01-01"), [["input", "expiryDate"]]),
        (
            "receiveLot",
            lot_input(lotNumber=" ", quantity=-1),
            [["input", "lotNumber"], ["input", "quantity"]],
        ),
        (
            "recordBatch",
            batch_input(quantity=0, status="scrapped"),
            [["input", "quantity"], ["input", "status"]],
        ),
        (
            "consume",
            {"batchId": "B-1", "lotNumber": "LOT-OK", "inputBatchId": "B-2", "quantity": 1},
            [["input", "inputBatchId"]],
        ),
        ("consume", consume_input(lot=None), [["input", "inputBatchId"]]),
        ("consume", consume_input(quantity=0), [["input", "quantity"]]),
        ("scrap", {"quantity": 1, "reason": "x"}, [["input", "batchId"]]),
        ("scrap", {"lotNumber": "LOT-OK", "quantity": 1, "reason": ""}, [["input", "reason"]]),
        ("produceSerials", {"batchId": "B-1"}, [["input", "range"]]),
        (
            "produceSerials",
            {"batchId": "B-1", "serialNumbers": ["S-1"], "range": {"first": "S-2", "last": "S-3"}},
            [["input", "range"]],
        ),
        (
            "produceSerials",
            {"batchId": "B-1", "serialNumbers": ["S-1", "S-2", "S-1"]},
            [["input", "serialNumbers"]],
        ),
        (
            "produceSerials",
            {"batchId": "B-1", "range": {"first": "A-1", "last": "B-9"}},
            [["input", "range"]],
        ),
        (
            "produceSerials",
            {"batchId": "B-1", "range": {"first": "S-9", "last": "S-1"}},
            [["input", "range"]],
        ),
        (
            "produceSerials",
            {"batchId": "B-1", "range": {"first": "S-1", "last": "S-20000"}},
            [["input", "range"]],
        ),
    ],
)
async def test_bad_input_names_each_field_and_writes_nothing(
    api: Api, graph: Database, operation: str, given: dict[str, Any], paths: list[list[str]]
) -> None:
    before = await snapshot(graph)
    answer = await api.call(ADMIN, operation, given)
    assert answer["__typename"] == "ValidationFailed", answer
    assert sorted(e["path"] for e in answer["errors"]) == sorted(paths)
    assert await snapshot(graph) == before


# -- recordBatch ----------------------------------------------------------------------------------


async def test_a_recorded_batch_is_linked_like_a_loaded_one(api: Api, graph: Database) -> None:
    answer = await api.call(PRODUCTION, "recordBatch", batch_input(status="in_progress"))
    assert answer["__typename"] == "BatchRecorded", answer
    assert answer["batch"] == {
        "batchId": "B-NEW",
        "productionDate": "2025-10-11",
        "quantity": 100,
        "level": 0,
        "status": "in_progress",
        "serialStart": None,
        "serialEnd": None,
    }
    read = await api.query(
        ADMIN,
        """{ batch(id: "B-NEW") { ... on Batch { order { orderNumber } machine { id }
             shift { id } operator { id } } } }""",
    )
    assert read["batch"] == {
        "order": {"orderNumber": "ORD-1"},
        "machine": {"id": "M-01"},
        "shift": {"id": "A"},
        "operator": {"id": "OP-001"},
    }
    (event,) = await events(graph)
    assert (event["operation"], event["key"], event["by"]) == (
        "recordBatch",
        "B-NEW",
        "test-production",
    )
    assert sorted(event["about"]) == ["B-NEW", "ORD-1"]


@pytest.mark.parametrize(
    ("given", "kind", "detail"),
    [
        ({"batchId": "B-1"}, "Conflict", "batch id B-1 is taken"),
        ({"orderNumber": "ORD-NOPE"}, "NotFound", "ORD-NOPE"),
        ({"orderNumber": "ORD-Q"}, "InvalidTransition", "quote_requested"),
        ({"machineId": "M-NOPE"}, "NotFound", "machine 'M-NOPE'"),
        ({"shiftId": "Z"}, "NotFound", "shift 'Z'"),
        ({"operatorId": "OP-NOPE"}, "NotFound", "operator 'OP-NOPE'"),
    ],
)
async def test_batch_refusals_write_nothing(
    api: Api, graph: Database, given: dict[str, Any], kind: str, detail: str
) -> None:
    before = await snapshot(graph)
    answer = await api.call(PRODUCTION, "recordBatch", batch_input(**given))
    assert answer["__typename"] == kind, answer
    assert detail in answer["message"]
    assert await snapshot(graph) == before


# -- consume and scrap ----------------------------------------------------------------------------


async def test_consume_adds_one_link_and_draws_on_the_input(api: Api, graph: Database) -> None:
    first = await api.call(PRODUCTION, "consume", consume_input(quantity=25.5, note="first coil"))
    assert first["__typename"] == "Consumed", first
    assert (first["quantity"], first["linkQuantity"], first["unit"], first["remaining"]) == (
        25.5,
        25.5,
        "kg",
        74.5,
    )
    assert first["inputLot"] == {"lotNumber": "LOT-OK"}
    assert first["inputBatch"] is None
    # A second draw by the same batch adds to the one link (as the loaders keep one per pair).
    again = await api.call(PRODUCTION, "consume", consume_input(quantity=4.5))
    assert (again["linkQuantity"], again["remaining"]) == (30.0, 70.0)
    links = (await snapshot(graph))["links"]
    assert ["B-1", "LOT-OK", 30.0, "kg"] in links
    assert [link[:2] for link in links].count(["B-1", "LOT-OK"]) == 1
    # A batch consuming a batch sits a level above it.
    sub = await api.call(ADMIN, "consume", consume_input("B-1", inputBatchId="B-3", quantity=50))
    assert sub["__typename"] == "Consumed", sub
    assert (sub["batch"]["level"], sub["inputBatch"], sub["remaining"]) == (
        1,
        {"batchId": "B-3", "level": 0},
        0.0,
    )
    consumed = [e for e in await events(graph) if e["operation"] == "consume"]
    assert [(e["key"], e["input"], e["quantity"], e["after"]) for e in consumed] == [
        ("B-1", "LOT-OK", 25.5, "74.5"),
        ("B-1", "LOT-OK", 4.5, "70.0"),
        ("B-1", "B-3", 50.0, "0.0"),
    ]
    assert sorted(consumed[0]["about"]) == ["B-1", "LOT-OK"]


@pytest.mark.parametrize(
    ("given", "reason", "input_key", "detail"),
    [
        (consume_input(lot="LOT-Q"), "QUARANTINED", "LOT-Q", "lot LOT-Q is quarantined"),
        (consume_input(lot="LOT-H"), "ON_HOLD", "LOT-H", "lot LOT-H is on hold"),
        (consume_input(lot="LOT-R"), "REJECTED", "LOT-R", "lot LOT-R is rejected"),
        (consume_input(lot="LOT-F"), "FAILED_INSPECTION", "LOT-F", "failed incoming inspection"),
        (
            consume_input(inputBatchId="B-SCRAPPED", quantity=1),
            "SCRAPPED",
            "B-SCRAPPED",
            "is scrapped",
        ),
        (
            consume_input(lot="LOT-USED", quantity=30.01),
            "INSUFFICIENT_QUANTITY",
            "LOT-USED",
            "30 kg remaining (100 kg less 70 kg consumed and 0 kg scrapped); 30.01 kg asked",
        ),
        (
            consume_input("B-1", inputBatchId="B-1"),
            "CYCLE",
            "B-1",
            "would make it its own ancestor",
        ),
        (
            consume_input("B-1", lot="LOT-PAINT"),
            "MATERIAL_MISMATCH",
            "LOT-PAINT",
            "material MAT-PAINT; part PN-100 of order ORD-1 is made of MAT-BOLT, MAT-STEEL",
        ),
    ],
)
async def test_consume_refusals_name_the_input_and_write_nothing(  # noqa: PLR0917 - parametrized
    api: Api, graph: Database, given: dict[str, Any], reason: str, input_key: str, detail: str
) -> None:
    before = await snapshot(graph)
    answer = await api.call(PRODUCTION, "consume", given)
    assert answer["__typename"] == "InputRefused", answer
    assert (answer["reason"], answer["input"]) == (reason, input_key)
    assert detail in answer["message"], answer["message"]
    assert await snapshot(graph) == before


async def test_a_link_closing_a_loop_is_refused_at_any_depth(api: Api, graph: Database) -> None:
    # B-3 <- B-2 <- B-1: B-3 consuming B-1 would make B-3 its own ancestor.
    for consumer, consumed in (("B-2", "B-3"), ("B-1", "B-2")):
        answer = await api.call(
            PRODUCTION, "consume", consume_input(consumer, inputBatchId=consumed, quantity=1)
        )
        assert answer["__typename"] == "Consumed", answer
    before = await snapshot(graph)
    loop = await api.call(PRODUCTION, "consume", consume_input("B-3", inputBatchId="B-1"))
    assert (loop["__typename"], loop["reason"], loop["input"]) == ("InputRefused", "CYCLE", "B-1")
    assert "B-1 already consumes it" in loop["message"]
    assert await snapshot(graph) == before


async def test_the_catalogue_binds_only_the_parts_it_lists(api: Api, graph: Database) -> None:
    # ORD-2's part PN-200 is in no material's part_numbers: any lot goes.
    paint = await api.call(PRODUCTION, "consume", consume_input("B-3", lot="LOT-PAINT"))
    assert paint["__typename"] == "Consumed", paint
    # PN-100 lists steel and bolts: both go.
    for lot in ("LOT-OK", "LOT-BOLT"):
        answer = await api.call(PRODUCTION, "consume", consume_input("B-1", lot=lot))
        assert answer["__typename"] == "Consumed", answer


@pytest.mark.parametrize(
    ("given", "key"),
    [
        (consume_input("B-NOPE"), "B-NOPE"),
        (consume_input(lot="LOT-NOPE"), "LOT-NOPE"),
        (consume_input(inputBatchId="B-NOPE"), "B-NOPE"),
    ],
)
async def test_consuming_what_is_not_there(
    api: Api, graph: Database, given: dict[str, Any], key: str
) -> None:
    before = await snapshot(graph)
    answer = await api.call(PRODUCTION, "consume", given)
    assert (answer["__typename"], answer["key"]) == ("NotFound", key)
    assert await snapshot(graph) == before


async def test_scrap_closes_the_mass_balance(api: Api, graph: Database) -> None:
    # LOT-USED: 100 kg received, 70 consumed; scrap 12, consume 18: nothing remains.
    scrapped = await api.call(
        PRODUCTION, "scrap", {"lotNumber": "LOT-USED", "quantity": 12, "reason": "rust"}
    )
    assert scrapped["__typename"] == "Scrapped", scrapped
    assert (scrapped["remaining"], scrapped["unit"], scrapped["input"]) == (18.0, "kg", "LOT-USED")
    record = scrapped["scrap"]
    assert (record["id"], record["quantity"], record["reason"], record["scrappedBy"]) == (
        "LOT-USED/SCRAP-1",
        12.0,
        "rust",
        "test-production",
    )
    before = await snapshot(graph)
    too_much = await api.call(PRODUCTION, "consume", consume_input(lot="LOT-USED", quantity=18.5))
    assert (too_much["reason"], too_much["remaining"]) == ("INSUFFICIENT_QUANTITY", 18.0)
    assert "70 kg consumed and 12 kg scrapped" in too_much["message"]
    over = await api.call(
        PRODUCTION, "scrap", {"lotNumber": "LOT-USED", "quantity": 19, "reason": "rust"}
    )
    assert (over["__typename"], over["reason"]) == ("InputRefused", "INSUFFICIENT_QUANTITY")
    assert await snapshot(graph) == before
    last = await api.call(PRODUCTION, "consume", consume_input(lot="LOT-USED", quantity=18))
    assert last["remaining"] == 0.0
    # A batch is scrapped in units; a held lot may still be scrapped.
    units = await api.call(ADMIN, "scrap", {"batchId": "B-2", "quantity": 3, "reason": "dent"})
    assert (units["remaining"], units["inputKind"], units["scrap"]["id"]) == (
        97.0,
        "batch",
        "B-2/SCRAP-1",
    )
    held = await api.call(ADMIN, "scrap", {"lotNumber": "LOT-Q", "quantity": 100, "reason": "x"})
    assert held["remaining"] == 0.0
    missing = await api.call(
        ADMIN, "scrap", {"lotNumber": "LOT-NOPE", "quantity": 1, "reason": "x"}
    )
    assert (missing["__typename"], missing["key"]) == ("NotFound", "LOT-NOPE")
    # The mass balance as the lot and the batch read it.
    read = await api.query(
        PRODUCTION,
        """{ lot(lotNumber: "LOT-USED") { ... on MaterialLot {
               balance { quantity consumed scrapped remaining unit } } }
           batch(id: "B-2") { ... on Batch { balance { quantity scrapped remaining unit } } } }""",
    )
    assert read["lot"]["balance"] == {
        "quantity": 100.0,
        "consumed": 88.0,
        "scrapped": 12.0,
        "remaining": 0.0,
        "unit": "kg",
    }
    assert read["batch"]["balance"] == {
        "quantity": 100.0,
        "scrapped": 3.0,
        "remaining": 97.0,
        "unit": None,
    }
    scrap_events = [e for e in await events(graph) if e["operation"] == "scrap"]
    assert [(e["label"], e["key"], e["quantity"]) for e in scrap_events] == [
        ("MaterialLot", "LOT-USED", 12.0),
        ("Batch", "B-2", 3.0),
        ("MaterialLot", "LOT-Q", 100.0),
    ]


# -- roles and idempotency ------------------------------------------------------------------------

EXAMPLES: dict[str, dict[str, Any]] = {
    "receiveLot": lot_input(),
    "recordBatch": batch_input(),
    "consume": consume_input(),
    "produceSerials": {"batchId": "B-1", "range": {"first": "SN-1", "last": "SN-3"}},
    "scrap": {"lotNumber": "LOT-OK", "quantity": 1, "reason": "dropped"},
}
SUCCESS = {
    "receiveLot": "LotReceived",
    "recordBatch": "BatchRecorded",
    "consume": "Consumed",
    "produceSerials": "SerialsProduced",
    "scrap": "Scrapped",
}
ALLOWED = {
    "receiveLot": {ADMIN, PRODUCTION, QUALITY},
    "recordBatch": {ADMIN, PRODUCTION},
    "consume": {ADMIN, PRODUCTION},
    "produceSerials": {ADMIN, PRODUCTION},
    "scrap": {ADMIN, PRODUCTION},
}


@pytest.mark.parametrize("operation", list(EXAMPLES))
async def test_roles(api: Api, graph: Database, operation: str) -> None:
    before = await snapshot(graph)
    for role in Role:
        if role in ALLOWED[operation]:
            continue
        answer = await api.call(role, operation, EXAMPLES[operation])
        assert answer["__typename"] == "Forbidden", (role, answer)
        assert (answer["operation"], answer["role"]) == (operation, role.value)
    assert await snapshot(graph) == before
    for role in sorted(ALLOWED[operation], key=lambda r: r.value):
        given = dict(EXAMPLES[operation])
        if operation in {"receiveLot", "recordBatch"}:  # a new key each time
            key = "lotNumber" if operation == "receiveLot" else "batchId"
            given[key] = f"{given[key]}-{role.value}"
        if operation == "produceSerials":
            given["range"] = {"first": f"SN-{role.value}-1", "last": f"SN-{role.value}-3"}
        answer = await api.call(role, operation, given)
        assert answer["__typename"] == SUCCESS[operation], (role, answer)


@pytest.mark.parametrize("operation", list(EXAMPLES))
async def test_an_idempotency_key_writes_once(api: Api, graph: Database, operation: str) -> None:
    given = {**EXAMPLES[operation], "idempotencyKey": f"key-{operation}"}
    first = await api.call(PRODUCTION if operation != "receiveLot" else QUALITY, operation, given)
    assert first["__typename"] == SUCCESS[operation], first
    written = await snapshot(graph)
    role = PRODUCTION if operation != "receiveLot" else QUALITY
    again = await api.call(role, operation, given)
    assert again == first
    assert await snapshot(graph) == written
    other = await api.call(
        role, operation, {**given, "note" if operation != "scrap" else "reason": "other"}
    )
    assert other["__typename"] == "Conflict", other
    assert await snapshot(graph) == written


# -- concurrency ----------------------------------------------------------------------------------


async def test_two_clients_racing_for_the_last_60_percent_one_wins(
    api: Api, graph: Database
) -> None:
    for round_ in range(5):
        lot = f"LOT-RACE-{round_}"
        received = await api.call(PRODUCTION, "receiveLot", lot_input(lot))
        assert received["__typename"] == "LotReceived"
        opened = await api.call(PRODUCTION, "consume", consume_input("B-3", lot=lot, quantity=40))
        assert opened["remaining"] == 60.0
        async with (
            httpx2.AsyncClient(base_url=api.url, timeout=60) as one,
            httpx2.AsyncClient(base_url=api.url, timeout=60) as two,
        ):
            answers = await asyncio.gather(
                send(
                    one,
                    api.headers[PRODUCTION],
                    "consume",
                    consume_input("B-1", lot=lot, quantity=60),
                ),
                send(
                    two,
                    api.headers[PRODUCTION],
                    "consume",
                    consume_input("B-2", lot=lot, quantity=60),
                ),
            )
        kinds = sorted(a["__typename"] for a in answers)
        assert kinds == ["Consumed", "InputRefused"], answers
        won = next(a for a in answers if a["__typename"] == "Consumed")
        lost = next(a for a in answers if a["__typename"] == "InputRefused")
        assert won["remaining"] == 0.0
        assert (lost["reason"], lost["remaining"]) == ("INSUFFICIENT_QUANTITY", 0.0)
        drawn = [link for link in (await snapshot(graph))["links"] if link[1] == lot]
        assert sum(link[2] for link in drawn) == 100.0, drawn


async def race(api: Api, *calls: tuple[str, dict[str, Any]]) -> list[Any]:
    """The calls sent at once, each on a connection of its own, as production."""
    clients = [httpx2.AsyncClient(base_url=api.url, timeout=60) for _ in calls]
    try:
        return await asyncio.gather(
            *(
                send(client, api.headers[PRODUCTION], operation, given)
                for client, (operation, given) in zip(clients, calls, strict=True)
            )
        )
    finally:
        for client in clients:
            await client.aclose()


async def test_two_links_closing_a_loop_at_once_one_is_refused(api: Api, graph: Database) -> None:
    for round_ in range(3):
        one, two = f"B-LOOP-{round_}-A", f"B-LOOP-{round_}-B"
        for batch in (one, two):
            recorded = await api.call(PRODUCTION, "recordBatch", batch_input(batch))
            assert recorded["__typename"] == "BatchRecorded"
        answers = await race(
            api,
            ("consume", consume_input(one, inputBatchId=two, quantity=1)),
            ("consume", consume_input(two, inputBatchId=one, quantity=1)),
        )
        assert sorted(a["__typename"] for a in answers) == ["Consumed", "InputRefused"], answers
        assert next(a for a in answers if a["__typename"] == "InputRefused")["reason"] == "CYCLE"


async def test_one_lot_number_received_twice_at_once(api: Api, graph: Database) -> None:
    answers = await race(
        api, ("receiveLot", lot_input("LOT-TWICE")), ("receiveLot", lot_input("LOT-TWICE"))
    )
    assert sorted(a["__typename"] for a in answers) == ["Conflict", "LotReceived"], answers
    assert [e["key"] for e in await events(graph)] == ["LOT-TWICE"]


# -- traces ---------------------------------------------------------------------------------------


async def test_what_is_recorded_is_in_the_traces(api: Api, graph: Database) -> None:
    steps = [
        ("receiveLot", lot_input("LOT-T")),
        ("recordBatch", batch_input("B-SUB-T", quantity=10)),
        ("recordBatch", batch_input("B-TOP-T", quantity=5)),
        ("consume", consume_input("B-SUB-T", lot="LOT-T", quantity=20)),
        ("consume", consume_input("B-SUB-T", lot="LOT-BOLT", quantity=40)),
        ("consume", consume_input("B-TOP-T", inputBatchId="B-SUB-T", quantity=10)),
        ("produceSerials", {"batchId": "B-TOP-T", "range": {"first": "SN-T-1", "last": "SN-T-5"}}),
    ]
    for operation, given in steps:
        answer = await api.call(PRODUCTION, operation, given)
        assert answer["__typename"] == SUCCESS[operation], (operation, answer)
    traces = await api.query(
        ADMIN,
        """{ forwardTrace(from: {lotNumber: "LOT-T"}) { batches { batchId depth level }
               orders { orderNumber } serialCount serialNumbers }
           backwardTrace(from: {serialNumber: "SN-T-3"}) { batches { batchId depth }
               lots { lotNumber depth supplierId materialId } suppliers { id }
               timeline { kind subject } }
           impact(lotNumber: "LOT-T") { totals { batches serials orders } } }""",
    )
    forward = traces["forwardTrace"]
    assert forward["batches"] == [
        {"batchId": "B-SUB-T", "depth": 1, "level": 0},
        {"batchId": "B-TOP-T", "depth": 2, "level": 1},
    ]
    assert forward["orders"] == [{"orderNumber": "ORD-1"}]
    assert forward["serialCount"] == 5
    assert forward["serialNumbers"] == [f"SN-T-{n}" for n in range(1, 6)]
    backward = traces["backwardTrace"]
    assert [b["batchId"] for b in backward["batches"]] == ["B-TOP-T", "B-SUB-T"]
    assert sorted(
        (lot["lotNumber"], lot["supplierId"], lot["materialId"]) for lot in backward["lots"]
    ) == [
        ("LOT-BOLT", "SUP-002", "MAT-BOLT"),
        ("LOT-T", "SUP-001", "MAT-STEEL"),
    ]
    assert {"kind": "CONSUMED", "subject": "LOT-T"} in backward["timeline"]
    assert {"kind": "CONSUMED", "subject": "B-SUB-T"} in backward["timeline"]
    assert traces["impact"]["totals"]["batches"] == 2
    assert traces["impact"]["totals"]["serials"] == 5


# -- produceSerials -------------------------------------------------------------------------------


async def test_a_thousand_serials_in_one_call_and_the_range_follows(
    api: Api, graph: Database
) -> None:
    big = await api.call(PRODUCTION, "recordBatch", batch_input("B-BIG", quantity=1500))
    assert big["__typename"] == "BatchRecorded"
    answer = await api.call(
        PRODUCTION,
        "produceSerials",
        {"batchId": "B-BIG", "range": {"first": "SN-001001", "last": "SN-002000"}},
    )
    assert answer["__typename"] == "SerialsProduced", answer
    assert (answer["count"], answer["first"], answer["last"]) == (1000, "SN-001001", "SN-002000")
    assert (answer["batch"]["serialStart"], answer["batch"]["serialEnd"]) == (
        "SN-001001",
        "SN-002000",
    )
    # A list below and above the range widens it.
    more = await api.call(
        PRODUCTION,
        "produceSerials",
        {"batchId": "B-BIG", "serialNumbers": ["SN-000999", "SN-002001"]},
    )
    assert (more["batch"]["serialStart"], more["batch"]["serialEnd"]) == ("SN-000999", "SN-002001")
    read = await api.query(
        ADMIN,
        '{ serial(number: "SN-001500") { ... on Serial { status batch { batchId } } } }',
    )
    assert read["serial"] == {"status": "ok", "batch": {"batchId": "B-BIG"}}
    (event,) = [e for e in await events(graph) if e["operation"] == "produceSerials"][:1]
    assert (event["key"], event["after"], event["quantity"]) == (
        "B-BIG",
        "SN-001001..SN-002000",
        1000,
    )


async def test_clashing_serials_are_refused_all_or_nothing(api: Api, graph: Database) -> None:
    before = await snapshot(graph)
    # SN-000105 is B-OLD's: the other 199 numbers of the range are not recorded either.
    answer = await api.call(
        PRODUCTION,
        "produceSerials",
        {"batchId": "B-1", "range": {"first": "SN-000001", "last": "SN-000100"}},
    )
    assert answer["__typename"] == "SerialsProduced"
    clash = await api.call(
        PRODUCTION,
        "produceSerials",
        {"batchId": "B-2", "range": {"first": "SN-000095", "last": "SN-000110"}},
    )
    assert clash["__typename"] == "SerialsTaken", clash
    assert clash["count"] == 7
    assert clash["serialNumbers"] == [f"SN-{n:06d}" for n in (95, 96, 97, 98, 99, 100, 105)]
    assert "none was recorded" in clash["message"]
    after = await snapshot(graph)
    assert after["nodes"] == before["nodes"] + 100 + 1  # B-1's serials and their event
    read = await api.query(ADMIN, '{ serial(number: "SN-000101") { __typename } }')
    assert read["serial"]["__typename"] == "NotFound"
    batch = await api.query(
        ADMIN, '{ batch(id: "B-2") { ... on Batch { serialStart serials { serialNumber } } } }'
    )
    assert batch["batch"] == {"serialStart": None, "serials": []}


async def test_no_more_serials_than_units_produced(api: Api, graph: Database) -> None:
    # B-3 produced 50 units.
    first = await api.call(
        PRODUCTION, "produceSerials", {"batchId": "B-3", "range": {"first": "X-01", "last": "X-45"}}
    )
    assert first["count"] == 45
    before = await snapshot(graph)
    answer = await api.call(
        PRODUCTION,
        "produceSerials",
        {"batchId": "B-3", "serialNumbers": [f"Y-{n}" for n in range(6)]},
    )
    assert answer["__typename"] == "ValidationFailed", answer
    (error,) = answer["errors"]
    assert error["path"] == ["input", "serialNumbers"]
    assert "produced 50 units and has 45 serials; 6 more would be 51" in error["message"]
    assert await snapshot(graph) == before
    missing = await api.call(
        PRODUCTION, "produceSerials", {"batchId": "B-NOPE", "serialNumbers": ["Z"]}
    )
    assert (missing["__typename"], missing["key"]) == ("NotFound", "B-NOPE")


async def test_two_batches_racing_for_the_same_serials_one_gets_them(
    api: Api, graph: Database
) -> None:
    for round_ in range(3):
        given = {"range": {"first": f"R{round_}-001", "last": f"R{round_}-030"}}
        async with (
            httpx2.AsyncClient(base_url=api.url, timeout=60) as one,
            httpx2.AsyncClient(base_url=api.url, timeout=60) as two,
        ):
            answers = await asyncio.gather(
                send(one, api.headers[PRODUCTION], "produceSerials", {"batchId": "B-1", **given}),
                send(two, api.headers[PRODUCTION], "produceSerials", {"batchId": "B-2", **given}),
            )
        assert sorted(a["__typename"] for a in answers) == ["SerialsProduced", "SerialsTaken"]
        taken = next(a for a in answers if a["__typename"] == "SerialsTaken")
        assert taken["count"] == 30
    counts = await api.query(
        ADMIN,
        '{ b1: batch(id: "B-1") { ... on Batch { serials { serialNumber } } }'
        ' b2: batch(id: "B-2") { ... on Batch { serials { serialNumber } } } }',
    )
    assert len(counts["b1"]["serials"]) + len(counts["b2"]["serials"]) == 90


async def _lot_hold(api: Api, operation: str, lot: str, **given: str) -> None:
    answer = await api.query(
        QUALITY,
        f"mutation($input: {operation[0].upper()}{operation[1:]}Input!) {{"
        f" {operation}(input: $input) {{ __typename }} }}",
        input={"lotNumber": lot, **given},
    )
    assert answer[operation]["__typename"] == "LotQuarantineChanged", answer


async def test_a_batch_under_a_quarantined_lot_is_neither_consumed_nor_given_serials(
    graph: Database, api: Api
) -> None:
    """Issue 13 §1: holds block consuming a held batch and producing serials into it; the
    refusal names the hold, writes nothing, and the same requests pass once it is released."""
    drawn = await api.call(
        PRODUCTION, "consume", {"batchId": "B-1", "lotNumber": "LOT-OK", "quantity": 10}
    )
    assert drawn["__typename"] == "Consumed", drawn
    await _lot_hold(api, "quarantineLot", "LOT-OK", reason="cracked sheets")
    before = await snapshot(graph)

    draw = {"batchId": "B-2", "inputBatchId": "B-1", "quantity": 1}
    refused = await api.call(PRODUCTION, "consume", draw)
    assert (refused["__typename"], refused["reason"], refused["input"]) == (
        "InputRefused",
        "ON_HOLD",
        "B-1",
    ), refused
    assert "LOT-OK" in refused["message"]
    assert "cracked sheets" in refused["message"]
    serials = {"batchId": "B-1", "serialNumbers": ["SN-HELD-1"]}
    held = await api.call(PRODUCTION, "produceSerials", serials)
    assert held["__typename"] == "InvalidTransition", held
    assert "LOT-OK" in held["message"]
    assert await snapshot(graph) == before

    await _lot_hold(api, "releaseLot", "LOT-OK", note="sheets re-inspected")
    assert (await api.call(PRODUCTION, "consume", draw))["__typename"] == "Consumed"
    assert (await api.call(PRODUCTION, "produceSerials", serials))["__typename"] == (
        "SerialsProduced"
    )

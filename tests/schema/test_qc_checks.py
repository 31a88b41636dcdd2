"""QC checks against a real Neo4j: plans from the standard's tables on the check, verdicts at Ac
and Re, the switching state per supplier and part number (and its race), a failed final QC
sending the order back, roles, validation, idempotency, scope, and the ``samplingPlan`` query."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graph import qc_checks, queries, sampling
from graph.database import Database
from graph.writes import Actor, WriteRequest
from resolvers.context import Caller, Context
from schema.root import build_schema
from tests.ingest_support import QUERIES
from tests.support import load_fixture_graph
from tracegraph.access import Role

SCHEMA = build_schema()
QUALITY = Caller(role=Role.QUALITY, user_id="U-Q")
PRODUCTION = Caller(role=Role.PRODUCTION, user_id="U-P")
ADMIN = Caller(role=Role.ADMIN, user_id="U-ADMIN")
BUYER = Caller(role=Role.BUYER, customer_id="CUST-001", user_id="U-BUYER")
OTHER_BUYER = Caller(role=Role.BUYER, customer_id="CUST-002", user_id="U-BUYER-2")
SUPPLIER = Caller(role=Role.SUPPLIER, supplier_id="SUP-001", user_id="U-SUP")
OTHER_SUPPLIER = Caller(role=Role.SUPPLIER, supplier_id="SUP-002", user_id="U-SUP-2")
ANALYST = Caller(role=Role.ANALYST, user_id="U-A")

PLAN_FIELDS = """lotSize inspectionLevel aql severity codeLetter codeLetterUsed movedByArrow arrow
  sampleSize unitsToInspect fullInspection acceptanceNumber rejectionNumber"""
RESULT = f"""__typename
  ... on QcCheckRecorded {{
    check {{ id result aqlLevel sampleSize defectsFound notes photoUrls checkedAt lotSize
      inspectionLevel severity severityAfter codeLetter codeLetterUsed acceptanceNumber
      rejectionNumber resubmitted checkedBy stage {{ name sequence }} }}
    plan {{ {PLAN_FIELDS} }}
    inspectionState {{ id supplierId partNumber severity switchingScore normalRecent
      tightenedAcceptedRun tightenedNotAccepted lotsInspected }}
    order {{ orderNumber workflowStatus version }}
    orderMovedBack }}
  ... on InvalidTransition {{ message from to allowed }}
  ... on Forbidden {{ message operation role }}
  ... on ValidationFailed {{ message errors {{ path message }} }}
  ... on Conflict {{ message currentVersion }}
  ... on NotFound {{ message key }}"""
MUTATION = (
    f"mutation($input: RecordQcCheckInput!) {{ recordQcCheck(input: $input) {{ {RESULT} }} }}"
)


def check_input(order: str = "ORD-Q1", **extra: Any) -> dict[str, Any]:
    """Lot 1,200 at level II, AQL 2.5 (J, n 80, Ac 5, Re 6) at final_qc, unless ``extra`` says."""
    return {
        "orderNumber": order,
        "lotSize": 1200,
        "inspectionLevel": "II",
        "aql": "2.5",
        "defectsFound": 0,
        **extra,
    }


async def record(db: Database, caller: Caller, given: dict[str, Any]) -> Any:
    result = await SCHEMA.execute(
        MUTATION, variable_values={"input": given}, context_value=Context(db=db, principal=caller)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data["recordQcCheck"]


async def query(db: Database, caller: Caller, text: str, **variables: Any) -> Any:
    return await SCHEMA.execute(
        text, variable_values=variables, context_value=Context(db=db, principal=caller)
    )


async def trail(db: Database) -> dict[str, Any]:
    async def work(tx: Any) -> dict[str, Any]:
        (row,) = await queries.read(tx, QUERIES["qc_trail"])
        return dict(row)

    return await db.read(work)


async def set_state(db: Database, part_number: str = "PN-100", **state: Any) -> None:
    full = {**sampling.initial_state(), **state}

    async def work(tx: Any) -> None:
        await queries.write(
            tx,
            QUERIES["set_inspection_state"],
            supplier_id="SUP-001",
            part_number=part_number,
            state=full,
        )

    await db.write(work)


def plan_as_graphql(plan: sampling.SamplingPlan) -> dict[str, Any]:
    """What the API must answer for ``plan`` (graph.sampling's own figures)."""
    return {
        "lotSize": plan.lot_size,
        "inspectionLevel": plan.level.name,
        "aql": str(plan.aql),
        "severity": plan.severity.name,
        "codeLetter": plan.code_letter,
        "codeLetterUsed": plan.code_letter_used,
        "movedByArrow": plan.code_letter_used != plan.code_letter,
        "sampleSize": plan.sample_size,
        "unitsToInspect": plan.units_to_inspect,
        "fullInspection": plan.full_inspection,
        "acceptanceNumber": plan.acceptance_number,
        "rejectionNumber": plan.rejection_number,
    }


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "qc_orders")
    return db


# Published points (ISO 2859-1 / Z1.4 tables as printed): lot, level, AQL, severity -> code
# letter, letter used, n, Ac, Re, arrow.
PUBLISHED = [
    (1200, "II", "2.5", "NORMAL", "J", "J", 80, 5, 6, None),
    (2000, "II", "0.65", "NORMAL", "K", "K", 125, 2, 3, None),
    (2000, "II", "0.65", "TIGHTENED", "K", "K", 125, 1, 2, None),
    (2000, "II", "0.65", "REDUCED", "K", "K", 50, 1, 3, None),
    (1200, "II", "0.40", "NORMAL", "J", "K", 125, 1, 2, "down"),  # arrow down a row
    (1200, "II", "25", "NORMAL", "J", "H", 50, 21, 22, "up"),  # arrow up a row
    (8, "II", "1.0", "NORMAL", "A", "E", 13, 0, 1, "down"),  # to n 13 >= 8: 100 % inspection
    (500, "S3", "4.0", "NORMAL", "D", "E", 13, 1, 2, "down"),  # special level
]


@pytest.mark.parametrize("point", PUBLISHED, ids=lambda p: "-".join(map(str, p[:4])))
async def test_sampling_plan_query_answers_the_published_tables(
    db: Database, point: tuple[Any, ...]
) -> None:
    lot, level, aql, severity, letter, used, n, ac, re, arrow = point
    answer = await query(
        db,
        QUALITY,
        "query($lot: Int!, $level: InspectionLevel!, $aql: String!,"
        " $severity: InspectionSeverity!) { samplingPlan(lotSize: $lot, inspectionLevel: $level,"
        f" aql: $aql, severity: $severity) {{ {PLAN_FIELDS} }} }}",
        lot=lot,
        level=level,
        aql=aql,
        severity=severity,
    )
    assert answer.errors is None, answer.errors
    got = answer.data["samplingPlan"]
    expected = plan_as_graphql(sampling.plan(lot, level, aql, severity.lower()))
    assert {k: v for k, v in got.items() if k != "arrow"} == expected
    assert (got["codeLetter"], got["codeLetterUsed"], got["sampleSize"]) == (letter, used, n)
    assert (got["acceptanceNumber"], got["rejectionNumber"], got["arrow"]) == (ac, re, arrow)
    assert got["fullInspection"] is (n >= lot)


async def test_sampling_plan_defaults_to_normal_and_reads_aql_as_the_standard_writes_it(
    db: Database,
) -> None:
    answer = await query(
        db,
        BUYER,
        '{ samplingPlan(lotSize: 1200, inspectionLevel: II, aql: "2.50") { severity aql } }',
    )
    assert answer.errors is None
    assert answer.data == {"samplingPlan": {"severity": "NORMAL", "aql": "2.5"}}


@pytest.mark.parametrize(
    ("arguments", "code", "named"),
    [
        ('lotSize: 0, inspectionLevel: II, aql: "2.5"', "INVALID_INPUT", "lotSize"),
        ('lotSize: 1, inspectionLevel: II, aql: "2.5"', "INVALID_INPUT", "lotSize"),
        ('lotSize: 1200, inspectionLevel: II, aql: "3.3"', "INVALID_INPUT", "aql"),
        ('lotSize: 1200, inspectionLevel: II, aql: "abc"', "INVALID_INPUT", "aql"),
        ('lotSize: 1200, inspectionLevel: II, aql: "NaN"', "INVALID_INPUT", "aql"),
        ('lotSize: 1200, inspectionLevel: IV, aql: "2.5"', "GRAPHQL_VALIDATION_FAILED", "IV"),
        ("lotSize: 1200, inspectionLevel: II, aql: 2.5", "GRAPHQL_VALIDATION_FAILED", "2.5"),
    ],
)
async def test_sampling_plan_bad_input_is_a_client_error_naming_it(
    db: Database, arguments: str, code: str, named: str
) -> None:
    answer = await query(db, QUALITY, f"{{ samplingPlan({arguments}) {{ sampleSize }} }}")
    assert answer.errors is not None
    assert len(answer.errors) == 1
    error = answer.errors[0]
    assert (error.extensions or {}).get("code") == code, error
    assert named in error.message
    if code == "INVALID_INPUT":
        assert error.message.startswith(named), error.message


async def test_sampling_plan_variable_of_the_wrong_type_is_bad_user_input(db: Database) -> None:
    answer = await query(
        db,
        QUALITY,
        'query($lot: Int!) { samplingPlan(lotSize: $lot, inspectionLevel: II, aql: "2.5")'
        " { sampleSize } }",
        lot="many",
    )
    assert answer.errors is not None
    assert answer.errors[0].extensions == {"code": "BAD_USER_INPUT"}


@pytest.mark.parametrize("point", [p for p in PUBLISHED if p[3] == "NORMAL"], ids=str)
async def test_a_check_carries_the_plan_of_the_tables(
    graph: Database, point: tuple[Any, ...]
) -> None:
    lot, level, aql, *_ = point
    answer = await record(
        graph, QUALITY, check_input(lotSize=lot, inspectionLevel=level, aql=aql, notes="ok")
    )
    assert answer["__typename"] == "QcCheckRecorded", answer
    plan = sampling.plan(lot, level, aql)
    assert {k: v for k, v in answer["plan"].items() if k != "arrow"} == plan_as_graphql(plan)
    check = answer["check"]
    assert check["codeLetter"] == plan.code_letter
    assert check["codeLetterUsed"] == plan.code_letter_used
    assert check["sampleSize"] == plan.units_to_inspect
    assert (check["acceptanceNumber"], check["rejectionNumber"]) == (
        plan.acceptance_number,
        plan.rejection_number,
    )
    assert check["aqlLevel"] == str(plan.aql)
    assert (check["lotSize"], check["inspectionLevel"]) == (lot, plan.level.name)
    assert (check["severity"], check["severityAfter"]) == ("NORMAL", "normal")
    assert check["result"] == "pass"
    assert check["checkedBy"] == "U-Q"
    assert check["stage"] == {"name": "final_qc", "sequence": 5}
    assert check["id"] == "ORD-Q1/QC-1"


async def test_verdicts_at_ac_and_re_and_the_checks_are_the_orders(graph: Database) -> None:
    # J, n 80, Ac 5, Re 6; at knitting (stage 2, by sequence), so no order moves.
    at_ac = await record(graph, PRODUCTION, check_input(defectsFound=5, stage="2"))
    at_re = await record(graph, PRODUCTION, check_input(defectsFound=6, stage="knitting"))
    assert (at_ac["check"]["result"], at_re["check"]["result"]) == ("pass", "fail")
    assert at_re["check"]["stage"] == {"name": "knitting", "sequence": 2}
    assert at_re["orderMovedBack"] is False
    assert at_re["order"]["workflowStatus"] == "quality_check"
    # One lot not accepted on normal: still normal, remembered in the recent lots.
    assert at_re["inspectionState"]["normalRecent"] == "AN"
    assert at_re["inspectionState"]["lotsInspected"] == 2
    # The existing read of an order shows them, oldest first, with their stage.
    read = await query(
        graph,
        QUALITY,
        '{ order(orderNumber: "ORD-Q1") { ... on Order { qcChecks { id result defectsFound'
        " acceptanceNumber stage { sequence } } } } }",
    )
    assert read.errors is None
    assert read.data["order"]["qcChecks"] == [
        {
            "id": "ORD-Q1/QC-1",
            "result": "pass",
            "defectsFound": 5,
            "acceptanceNumber": 5,
            "stage": {"sequence": 2},
        },
        {
            "id": "ORD-Q1/QC-2",
            "result": "fail",
            "defectsFound": 6,
            "acceptanceNumber": 5,
            "stage": {"sequence": 2},
        },
    ]
    events = (await trail(graph))["events"]
    assert ["QCCheck", "ORD-Q1/QC-2", None, "fail", "U-P", "production"] in events
    assert ["InspectionState", "SUP-001/PN-100", "normal", "normal", "U-P", "production"] in events


async def test_two_lots_rejected_in_five_tighten_inspection_of_that_supplier_and_part(
    graph: Database,
) -> None:
    # Accepted, rejected, accepted, rejected: the second rejection within five lots (9.3.1).
    outcomes = []
    for order, defects in [("ORD-Q1", 0), ("ORD-Q2", 6), ("ORD-Q3", 1), ("ORD-Q4", 9)]:
        answer = await record(graph, QUALITY, check_input(order, defectsFound=defects))
        outcomes.append((answer["check"]["severity"], answer["check"]["severityAfter"]))
    assert outcomes == [
        ("NORMAL", "normal"),
        ("NORMAL", "normal"),
        ("NORMAL", "normal"),
        ("NORMAL", "tightened"),
    ]
    # The next lot of that supplier and part is read from the tightened table.
    fifth = await record(graph, QUALITY, check_input("ORD-Q5", defectsFound=4))
    tightened = sampling.plan(1200, "II", "2.5", "tightened")
    assert fifth["check"]["severity"] == "TIGHTENED"
    assert (fifth["check"]["acceptanceNumber"], fifth["check"]["rejectionNumber"]) == (
        tightened.acceptance_number,
        tightened.rejection_number,
    )
    assert fifth["check"]["result"] == "fail"  # 4 defects pass on normal (Ac 5), not tightened
    assert fifth["inspectionState"]["tightenedNotAccepted"] == 1
    # Another part of the same supplier, and the same part of another supplier, stay normal.
    other_part = await record(graph, QUALITY, check_input("ORD-R1", defectsFound=0))
    other_supplier = await record(graph, QUALITY, check_input("ORD-X1", defectsFound=0))
    assert other_part["check"]["severity"] == other_supplier["check"]["severity"] == "NORMAL"
    # The severity per supplier and part, as its supplier and buyers read it.
    states = (
        '{ supplier(id: "SUP-001") { ... on Supplier {'
        " inspectionStates { partNumber severity lotsInspected } } } }"
    )
    expected = [
        {"partNumber": "PN-100", "severity": "tightened", "lotsInspected": 5},
        {"partNumber": "PN-200", "severity": "normal", "lotsInspected": 1},
    ]
    for caller in (QUALITY, SUPPLIER, ANALYST):
        read = await query(graph, caller, states)
        assert read.errors is None
        assert read.data["supplier"]["inspectionStates"] == expected, caller
    # A buyer sees the parts of its own orders only; another supplier does not see SUP-001.
    for caller, seen in ((BUYER, expected), (OTHER_BUYER, [])):
        read = await query(graph, caller, states)
        assert read.errors is None
        assert read.data["supplier"]["inspectionStates"] == seen, caller
    hidden = await query(graph, OTHER_SUPPLIER, states)
    assert hidden.data["supplier"] == {}  # NotFound: no fields of Supplier
    own = await query(
        graph,
        OTHER_BUYER,
        '{ supplier(id: "SUP-002") { ... on Supplier { inspectionStates { partNumber } } } }',
    )
    assert own.data["supplier"]["inspectionStates"] == [{"partNumber": "PN-100"}]


async def test_a_failed_final_qc_sends_the_order_back_to_production_once(graph: Database) -> None:
    before = await trail(graph)
    passed = await record(graph, QUALITY, check_input("ORD-Q1", defectsFound=5))
    assert passed["orderMovedBack"] is False
    assert passed["order"]["workflowStatus"] == "quality_check"
    failed = await record(graph, PRODUCTION, check_input("ORD-Q2", defectsFound=6, notes="seams"))
    assert failed["check"]["result"] == "fail"
    assert failed["orderMovedBack"] is True
    assert failed["order"] == {
        "orderNumber": "ORD-Q2",
        "workflowStatus": "in_production",
        "version": 1,
    }
    after = await trail(graph)
    orders_before = {o[0]: o for o in before["orders"]}
    orders_after = {o[0]: o for o in after["orders"]}
    assert orders_after["ORD-Q2"] == ["ORD-Q2", "in_production", 1, 1]  # one status change
    assert orders_after["ORD-Q1"] == orders_before["ORD-Q1"]
    history = await query(
        graph,
        ADMIN,
        '{ order(orderNumber: "ORD-Q2") { ... on Order { status productionStatus'
        " statusHistory { fromStatus toStatus note changedBy { id } } } } }",
    )
    assert history.data["order"]["status"] == "in_production"
    assert history.data["order"]["productionStatus"] == "in_progress"
    (change,) = history.data["order"]["statusHistory"]
    assert (change["fromStatus"], change["toStatus"], change["changedBy"]) == (
        "quality_check",
        "in_production",
        {"id": "U-P"},
    )
    assert "ORD-Q2/QC-1 failed" in change["note"]
    assert ["Order", "ORD-Q2", "quality_check", "in_production", "U-P", "production"] in after[
        "events"
    ]
    # Back in production it takes checks, but a failure there moves nothing.
    again = await record(graph, QUALITY, check_input("ORD-Q2", defectsFound=9))
    assert again["orderMovedBack"] is False
    assert again["order"]["workflowStatus"] == "in_production"
    # Nor does a failure at another stage of an order at quality_check.
    elsewhere = await record(graph, QUALITY, check_input("ORD-Q3", defectsFound=9, stage="linking"))
    assert elsewhere["orderMovedBack"] is False
    assert elsewhere["order"]["workflowStatus"] == "quality_check"


async def test_roles_that_may_not_record_a_check_are_refused_and_nothing_is_written(
    graph: Database,
) -> None:
    before = await trail(graph)
    for caller in (BUYER, SUPPLIER, ANALYST):
        answer = await record(graph, caller, check_input(defectsFound=9))
        assert answer["__typename"] == "Forbidden", caller
        assert (answer["operation"], answer["role"]) == ("recordQcCheck", caller.role.value)
    assert await trail(graph) == before
    for caller in (QUALITY, PRODUCTION, ADMIN):
        answer = await record(graph, caller, check_input())
        assert answer["__typename"] == "QcCheckRecorded", caller


@pytest.mark.parametrize(
    ("given", "paths"),
    [
        ({"lotSize": 0}, [["input", "lotSize"]]),
        ({"aql": "3.3"}, [["input", "aql"]]),
        ({"aql": "2.5", "defectsFound": -1}, [["input", "defectsFound"]]),
        # Nonconforming units (AQL <= 10) cannot outnumber the lot.
        ({"lotSize": 50, "defectsFound": 51}, [["input", "defectsFound"]]),
        (
            {"stage": "painting", "photoUrls": ["ftp://x/1.jpg"]},
            [["input", "stage"], ["input", "photoUrls", "0"]],
        ),
        ({"orderNumber": " ", "notes": "x" * 3000}, [["input", "orderNumber"], ["input", "notes"]]),
    ],
)
async def test_bad_input_names_each_field_and_writes_nothing(
    graph: Database, given: dict[str, Any], paths: list[list[str]]
) -> None:
    before = await trail(graph)
    answer = await record(graph, QUALITY, check_input(**given))
    assert answer["__typename"] == "ValidationFailed", answer
    assert sorted(e["path"] for e in answer["errors"]) == sorted(paths)
    assert await trail(graph) == before


async def test_defects_above_the_sample_are_refused_once_the_sample_is_known(
    graph: Database,
) -> None:
    # 81 defects fit a lot of 1,200 but not the 80 units sampled (J on normal).
    answer = await record(graph, QUALITY, check_input(defectsFound=81))
    assert answer["__typename"] == "ValidationFailed"
    assert [e["path"] for e in answer["errors"]] == [["input", "defectsFound"]]
    assert "80 inspected on normal" in answer["errors"][0]["message"]
    after = await trail(graph)
    assert (after["checks"], after["events"]) == ([], [])
    # Above AQL 10 defects are nonconformities: more than the units sampled is a count.
    many = await record(graph, QUALITY, check_input(aql="25", defectsFound=60))
    assert many["check"]["result"] == "fail"
    assert many["check"]["sampleSize"] == 50


async def test_idempotency_key_records_one_check(graph: Database) -> None:
    first = await record(graph, QUALITY, check_input(idempotencyKey="qc-1", defectsFound=2))
    again = await record(graph, QUALITY, check_input(idempotencyKey="qc-1", defectsFound=2))
    assert first["__typename"] == "QcCheckRecorded"
    assert again == first
    state = (await trail(graph))["states"]
    assert [s["lots_inspected"] for s in state] == [1]
    assert len((await trail(graph))["checks"]) == 1
    other = await record(graph, QUALITY, check_input(idempotencyKey="qc-1", defectsFound=3))
    assert other["__typename"] == "Conflict"
    assert len((await trail(graph))["checks"]) == 1


async def test_orders_that_take_no_check(graph: Database) -> None:
    missing = await record(graph, QUALITY, check_input("ORD-NOPE"))
    assert missing == {
        "__typename": "NotFound",
        "message": "no order 'ORD-NOPE'",
        "key": "ORD-NOPE",
    }
    quote = await record(graph, QUALITY, check_input("ORD-NEW"))
    assert quote["__typename"] == "InvalidTransition"
    assert (quote["from"], quote["allowed"]) == ("quote_requested", ["provideQuote", "cancelOrder"])
    assert "in_production, delayed or quality_check" in quote["message"]
    assert (await trail(graph))["checks"] == []


async def test_a_check_touches_only_orders_in_the_callers_scope(graph: Database) -> None:
    """The roles that may record checks read every order; the write's Cypher is scoped anyway
    (cypher/qc/checks.cypher, orders.lock_order), so a scoped caller finds no other order."""

    async def as_scoped(caller: Caller, order: str) -> dict[str, Any]:
        request = WriteRequest(
            operation="recordQcCheck",
            actor=Actor(user_id=caller.user_id or "", role=caller.role.value, scope=caller.scope()),
            client_key=f"scope-{order}",
        )
        check = qc_checks.QcCheck(
            order_number=order,
            stage_sequence=5,
            lot_size=1200,
            inspection_level=sampling.InspectionLevel.II,
            aql=sampling.aql_value("2.5"),
            defects_found=0,
            notes=None,
            photo_urls=[],
        )
        return await graph.write(qc_checks.record_qc_check, request, check)

    assert (await as_scoped(OTHER_SUPPLIER, "ORD-Q1"))["kind"] == "not_found"
    assert (await as_scoped(OTHER_BUYER, "ORD-Q1"))["kind"] == "not_found"
    assert (await trail(graph))["checks"] == []
    assert (await as_scoped(SUPPLIER, "ORD-Q1"))["kind"] == "recorded"


async def test_discontinued_inspection_takes_no_check(graph: Database) -> None:
    await set_state(graph, severity="tightened", tightened_not_accepted=4)
    fifth = await record(graph, QUALITY, check_input("ORD-P1", defectsFound=9))
    assert fifth["check"]["severityAfter"] == "discontinued"
    assert fifth["inspectionState"]["severity"] == "discontinued"
    refused = await record(graph, QUALITY, check_input("ORD-P1", defectsFound=0))
    assert refused["__typename"] == "InvalidTransition"
    assert refused["from"] == "discontinued"
    assert "discontinued" in refused["message"]
    assert len((await trail(graph))["checks"]) == 1


async def test_reduced_inspection_needs_approval_and_a_resubmitted_lot_is_not_counted(
    graph: Database,
) -> None:
    # Switching score 27 on normal; an accepted lot with Ac >= 2 that passes one AQL step
    # tighter adds 3: 30 reaches reduced only with the authority's approval (9.3.3).
    await set_state(graph, switching_score=27)
    kept = await record(graph, QUALITY, check_input("ORD-P1"))
    assert kept["inspectionState"]["severity"] == "normal"
    assert kept["inspectionState"]["switchingScore"] == 30
    reduced = await record(graph, QUALITY, check_input("ORD-P1", reducedInspectionApproved=True))
    assert reduced["check"]["severityAfter"] == "reduced"
    # On reduced: J, n 32, Ac 2, Re 5; a resubmitted lot is judged but does not count.
    again = await record(graph, QUALITY, check_input("ORD-P1", defectsFound=9, resubmitted=True))
    assert again["check"]["severity"] == "REDUCED"
    assert again["check"]["sampleSize"] == 32
    assert (again["check"]["result"], again["check"]["resubmitted"]) == ("fail", True)
    assert again["inspectionState"]["severity"] == "reduced"
    assert again["inspectionState"]["lotsInspected"] == reduced["inspectionState"]["lotsInspected"]
    # Between Ac and Re on reduced: accepted, and normal inspection is back (9.3.4).
    between = await record(graph, QUALITY, check_input("ORD-P1", defectsFound=3))
    assert between["check"]["result"] == "pass"
    assert between["check"]["severityAfter"] == "normal"


async def test_concurrent_checks_of_one_supplier_and_part_count_every_lot(
    graph: Database,
) -> None:
    orders = [f"ORD-Q{i}" for i in range(1, 7)]
    answers = await asyncio.gather(*(record(graph, QUALITY, check_input(o)) for o in orders))
    assert [a["__typename"] for a in answers] == ["QcCheckRecorded"] * 6
    (state,) = (await trail(graph))["states"]
    assert state["lots_inspected"] == 6
    # Each lot (Ac 5, 0 defects, also accepted at AQL 1.5) adds 3 to the switching score.
    assert state["switching_score"] == 18
    assert state["normal_recent"] == "AAAA"
    assert sorted(a["inspectionState"]["lotsInspected"] for a in answers) == [1, 2, 3, 4, 5, 6]


async def test_concurrent_checks_of_one_order_number_their_checks(graph: Database) -> None:
    answers = await asyncio.gather(*(record(graph, PRODUCTION, check_input()) for _ in range(4)))
    assert sorted(a["check"]["id"] for a in answers) == [f"ORD-Q1/QC-{n}" for n in range(1, 5)]

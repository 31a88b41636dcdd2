"""Stage progress against a real Neo4j (issue 11 §3): percentages, timestamps, the sequence, the
reopening rule, the order following its stages, computed delays, the dashboard, roles, scope."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from graph import order_workflow, stages
from graph.database import Database
from resolvers.context import Caller, Context
from tests.schema.workflow_support import (
    CALLERS,
    SCHEMA,
    order_trail,
    run,
    set_stage,
    set_state,
)
from tests.support import load_fixture_graph
from tracegraph.access import Role

ADMIN, SUPPLIER = CALLERS[Role.ADMIN], CALLERS[Role.SUPPLIER]


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "api_entities")
    return db


async def _assigned_order(db: Database, number: str = "ORD-S") -> str:
    """A new order of CUST-001 assigned to SUP-001, through the API: eight pending stages."""
    created = await run(
        db,
        ADMIN,
        "createOrder",
        {
            "customerId": "CUST-001",
            "orderNumber": number,
            "partNumber": "PN-100",
            "quantity": 5,
            "dueDate": "2026-12-01",
        },
    )
    assert created["__typename"] == "OrderChanged", created
    steps: list[tuple[str, dict[str, Any]]] = [
        ("provideQuote", {"buyerPrice": 10.0}),
        ("acceptQuote", {}),
        ("assignSupplier", {"supplierId": "SUP-001"}),
    ]
    for operation, extra in steps:
        moved = await run(db, ADMIN, operation, {"orderNumber": number, **extra})
        assert moved["__typename"] == "OrderChanged", moved
    return number


async def _progress(
    db: Database, caller: Caller, order: str, sequence: int, percentage: int, **extra: Any
) -> Any:
    given = {"orderNumber": order, "sequence": sequence, "completionPercentage": percentage}
    return await run(db, caller, "updateStageProgress", {**given, **extra})


async def test_percentage_sets_status_and_timestamps_and_starts_production(
    graph: Database,
) -> None:
    order = await _assigned_order(graph)
    started = await _progress(graph, SUPPLIER, order, 1, 30, note="yarn in")
    assert started["__typename"] == "StageChanged", started
    stage = started["stage"]
    assert (stage["status"], stage["completionPercentage"]) == ("in_progress", 30)
    assert stage["startedAt"] is not None
    assert stage["completedAt"] is None
    assert stage["notes"] == "yarn in"
    # Stage 1 leaving 0 starts production, through the workflow's own step.
    assert (started["orderFrom"], started["orderTo"]) == ("assigned_to_supplier", "in_production")
    assert started["order"]["workflowStatus"] == "in_production"

    done = await _progress(graph, SUPPLIER, order, 1, 100)
    assert done["stage"]["status"] == "completed"
    assert done["stage"]["startedAt"] == stage["startedAt"]  # set once, kept
    assert done["stage"]["completedAt"] >= done["stage"]["startedAt"]
    assert done["orderTo"] is None
    assert done["order"]["currentStage"] == 2

    # A jump from 0 to 100 sets both at once.
    jump = await _progress(graph, SUPPLIER, order, 2, 100)
    assert jump["stage"]["startedAt"] == jump["stage"]["completedAt"]

    back = await _progress(graph, SUPPLIER, order, 3, 20)
    corrected = await _progress(graph, SUPPLIER, order, 3, 0)
    assert corrected["stage"]["status"] == "pending"
    assert corrected["stage"]["startedAt"] == back["stage"]["startedAt"]


async def test_a_stage_cannot_start_before_the_one_before_is_completed(graph: Database) -> None:
    order = await _assigned_order(graph)
    await _progress(graph, SUPPLIER, order, 1, 100)
    before = await order_trail(graph, order)
    early = await _progress(graph, SUPPLIER, order, 3, 10)
    assert early["__typename"] == "InvalidTransition"
    assert "stage 2 (knitting)" in early["message"]
    assert await order_trail(graph, order) == before
    # Staying at 0 is no start.
    assert (await _progress(graph, SUPPLIER, order, 3, 0))["__typename"] == "StageChanged"
    # The last stage cannot complete out of sequence either (its completion is shipping).
    assert (await _progress(graph, SUPPLIER, order, 8, 100))["__typename"] == "InvalidTransition"


async def test_a_completed_stage_is_reopened_only_by_admin_and_recorded(graph: Database) -> None:
    order = await _assigned_order(graph)
    await _progress(graph, SUPPLIER, order, 1, 100)
    for role in (Role.SUPPLIER, Role.PRODUCTION):
        refused = await _progress(graph, CALLERS[role], order, 1, 60)
        assert refused["__typename"] == "InvalidTransition", role
        assert "only admin reopens" in refused["message"]
    reopened = await _progress(graph, ADMIN, order, 1, 60, note="rework")
    assert reopened["__typename"] == "StageChanged"
    assert reopened["reopened"] is True
    assert reopened["stage"]["status"] == "in_progress"
    assert reopened["stage"]["completedAt"] is None
    trail = await order_trail(graph, order)
    assert ["reopenStage", "completed 100%", "in_progress 60%", "U-ADMIN", "admin"] in trail[
        "events"
    ]


async def test_the_order_follows_its_stages_to_quality_and_shipping(graph: Database) -> None:
    order = await _assigned_order(graph)
    for sequence in (1, 2, 3):
        await _progress(graph, SUPPLIER, order, sequence, 100)
    handed = await _progress(graph, SUPPLIER, order, 4, 100)
    # Stages 1-4 done: the current stage is final_qc, and the order goes to quality.
    assert handed["order"]["currentStage"] == stages.FINAL_QC
    assert (handed["orderFrom"], handed["orderTo"]) == ("in_production", "quality_check")
    await _progress(graph, SUPPLIER, order, 5, 100)
    # Shipping waits for every stage before it, and says which.
    early = await run(graph, SUPPLIER, "ship", {"orderNumber": order})
    assert early["__typename"] == "InvalidTransition"
    assert "stages 6, 7" in early["message"]
    for sequence in (6, 7):
        await _progress(graph, SUPPLIER, order, sequence, 100)
    shipped = await _progress(graph, SUPPLIER, order, 8, 100)
    assert (shipped["orderFrom"], shipped["orderTo"]) == ("quality_check", "shipped")
    trail = await order_trail(graph, order)
    assert trail["state"] == "shipped"
    assert [s[1] for s in trail["stage_states"]] == ["completed"] * 8
    moves = [c[:2] for c in trail["changes"]]
    assert moves.count(["in_production", "quality_check"]) == 1
    assert moves.count(["quality_check", "shipped"]) == 1


async def test_shipping_completes_the_last_stage(graph: Database) -> None:
    order = await _assigned_order(graph)
    for sequence in range(1, 8):
        await _progress(graph, SUPPLIER, order, sequence, 100)
    assert (await order_trail(graph, order))["state"] == "quality_check"
    shipped = await run(graph, SUPPLIER, "ship", {"orderNumber": order})
    assert shipped["__typename"] == "OrderChanged", shipped
    last = (await order_trail(graph, order))["stage_states"][-1]
    assert last[:3] == [8, "completed", 100]
    assert last[3] is not None
    assert last[3] <= last[4]


async def test_late_stages_read_as_delayed_and_count_on_the_dashboard(graph: Database) -> None:
    order = await _assigned_order(graph)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    summary = "{ orderSummary { total inProgress completed delayed byStatus { status count } } }"

    async def dashboard(caller: Caller) -> dict[str, Any]:
        result = await SCHEMA.execute(summary, context_value=Context(db=graph, principal=caller))
        assert result.errors is None, result.errors
        assert result.data is not None
        return dict(result.data["orderSummary"])

    before = await dashboard(ADMIN)
    await set_stage(graph, order, 2, 0, target_date=yesterday)
    after = await dashboard(ADMIN)
    assert after["delayed"] == before["delayed"] + 1
    read = await SCHEMA.execute(
        f'{{ order(orderNumber: "{order}") {{ ... on Order {{ stages {{ sequence status delayed }}'
        " } } }",
        context_value=Context(db=graph, principal=ADMIN),
    )
    assert read.data is not None
    stage_2 = read.data["order"]["stages"][1]
    assert stage_2 == {"sequence": 2, "status": "delayed", "delayed": True}
    await _progress(graph, SUPPLIER, order, 1, 100)
    done = await _progress(graph, SUPPLIER, order, 2, 100)
    assert (done["stage"]["status"], done["stage"]["delayed"]) == ("completed", False)
    assert (await dashboard(ADMIN))["delayed"] == before["delayed"]

    # Counted within the caller's scope: CUST-002's buyer does not count CUST-001's orders.
    other = Caller(role=Role.BUYER, customer_id="CUST-002", user_id="U-B2")
    mine, theirs = await dashboard(CALLERS[Role.BUYER]), await dashboard(other)
    assert mine["total"] + theirs["total"] <= after["total"]
    assert mine["total"] >= 2  # ORD-1 and the new order
    assert sum(s["count"] for s in mine["byStatus"]) == mine["total"]
    assert mine["inProgress"] == sum(
        s["count"] for s in mine["byStatus"] if s["status"] in stages.WORKING
    )


async def test_roles_scope_and_missing_stages(graph: Database) -> None:
    order = await _assigned_order(graph)
    before = await order_trail(graph, order)
    for role in (Role.BUYER, Role.QUALITY, Role.ANALYST):
        refused = await _progress(graph, CALLERS[role], order, 1, 10)
        assert refused["__typename"] == "Forbidden", role
    other_supplier = Caller(role=Role.SUPPLIER, supplier_id="SUP-002", user_id="U-S2")
    hidden = await _progress(graph, other_supplier, order, 1, 10)
    assert hidden["__typename"] == "NotFound"
    assert hidden["key"] == order
    assert await order_trail(graph, order) == before
    production = await _progress(graph, CALLERS[Role.PRODUCTION], order, 1, 10)
    assert production["__typename"] == "StageChanged"
    # The fixture's ORD-1 has two stages: a third is not there.
    missing = await _progress(graph, ADMIN, "ORD-1", 3, 10)
    assert (missing["__typename"], missing["key"]) == ("NotFound", "ORD-1/3")
    # Stages of a shipped order stay as they are.
    await set_state(graph, "shipped", order)
    late = await _progress(graph, ADMIN, order, 1, 20)
    assert late["__typename"] == "InvalidTransition"
    assert late["from"] == "shipped"


async def test_bad_input_names_each_field_and_writes_nothing(graph: Database) -> None:
    order = await _assigned_order(graph)
    before = await order_trail(graph, order)
    answer = await _progress(
        graph, SUPPLIER, order, 9, 101, photoUrls=["https://ok/1.jpg", "not a link"]
    )
    assert answer["__typename"] == "ValidationFailed"
    paths = {tuple(e["path"]) for e in answer["errors"]}
    assert paths == {
        ("input", "sequence"),
        ("input", "completionPercentage"),
        ("input", "photoUrls", "1"),
    }
    assert await order_trail(graph, order) == before
    photos = await _progress(graph, SUPPLIER, order, 1, 10, photoUrls=["https://ok/1.jpg"])
    again = await _progress(graph, SUPPLIER, order, 1, 20, photoUrls=["https://ok/1.jpg"])
    assert photos["stage"]["photoUrls"] == again["stage"]["photoUrls"] == ["https://ok/1.jpg"]


async def test_a_resent_update_writes_once(graph: Database) -> None:
    order = await _assigned_order(graph)
    first = await _progress(graph, SUPPLIER, order, 1, 40, idempotencyKey="p-1")
    again = await _progress(graph, SUPPLIER, order, 1, 40, idempotencyKey="p-1")
    assert again == first
    events = [
        e for e in (await order_trail(graph, order))["events"] if e[0] == "updateStageProgress"
    ]
    assert len(events) == 1
    other = await _progress(graph, SUPPLIER, order, 1, 50, idempotencyKey="p-1")
    assert other["__typename"] == "Conflict"


async def test_racing_completions_move_the_order_once(graph: Database) -> None:
    order = await _assigned_order(graph)
    for sequence in (1, 2, 3):
        await _progress(graph, SUPPLIER, order, sequence, 100)
    callers = [SUPPLIER, CALLERS[Role.PRODUCTION]] * 4
    answers = await asyncio.gather(*(_progress(graph, c, order, 4, 100) for c in callers))
    assert all(a["__typename"] == "StageChanged" for a in answers), answers
    assert [a["orderTo"] for a in answers].count("quality_check") == 1
    trail = await order_trail(graph, order)
    assert [c[:2] for c in trail["changes"]].count(["in_production", "quality_check"]) == 1


def test_plan_progress_rules_without_a_database() -> None:
    def layout(*percentages: int) -> dict[int, dict[str, Any]]:
        return {
            i: {"status": stages.stage_status(p), "completion_percentage": p}
            for i, p in enumerate(percentages, start=1)
        }

    eight = layout(100, 100, 100, 40, 0, 0, 0, 0)
    planned = stages.plan_progress(
        state="in_production", stages=eight, sequence=4, percentage=100, role="supplier"
    )
    assert isinstance(planned, stages.Progress)
    assert (planned.current_stage, planned.order_step) == (5, "requestQc")
    # The same completion while delayed: the order stays delayed (no workflow edge from there).
    stays = stages.plan_progress(
        state="delayed", stages=eight, sequence=4, percentage=100, role="supplier"
    )
    assert isinstance(stays, stages.Progress)
    assert stays.order_step is None
    assert stages.current_stage({1: True, 2: True}) == 2
    assert order_workflow.unfinished_before_shipping(layout(100, 50, 0, 100, 100, 100, 100, 0)) == [
        2,
        3,
    ]

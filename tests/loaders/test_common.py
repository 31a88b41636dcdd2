"""What a load checks against the graph before writing, and how it writes (loaders/common.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import loaders.common
from graph.database import Database
from graph.ingest import graph_counts, ingest
from graph.records.supply import MaterialLot
from loaders.common import GraphState, Unit
from loaders.json_store import load_json_store
from loaders.loads import LoadError, list_loads
from tests.admin import delete_all_data
from tests.ingest_support import fetch, snapshot
from tracegraph.errors import InvalidInputError

DATA = Path(__file__).resolve().parent.parent / "data"
V2: dict[str, Any] = json.loads((DATA / "store_v2.json").read_text())


def store(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def edited(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(V2)
    for key, value in changes.items():
        data[key] = value
    return data


async def test_a_key_with_other_facts_is_a_conflict_unless_update(
    db: Database, tmp_path: Path
) -> None:
    await load_json_store(db, DATA / "store_v2.json", progress=None)
    before = await snapshot(db)
    data = copy.deepcopy(V2)
    data["suppliers"][0]["name"] = "Alpine Yarns S.p.A."
    path = store(tmp_path, "renamed.json", data)
    with pytest.raises(InvalidInputError) as e:
        await load_json_store(db, path, progress=None)
    message = str(e.value)
    assert "suppliers[0], field name: Supplier 'SUP-001' is already in the graph" in message
    assert "'Alpine Yarns' in the graph, 'Alpine Yarns S.p.A.' here" in message
    assert await snapshot(db) == before
    result = await load_json_store(db, path, update=True, progress=None)
    assert result.updated == 1
    rows = await fetch(db, "snapshot")
    names = {r["props"]["id"]: r["props"]["name"] for r in rows if r["labels"] == ["Supplier"]}
    assert names == {"SUP-001": "Alpine Yarns S.p.A.", "SUP-002": "Eastern Wool"}


async def test_a_serial_of_another_batch_is_refused_even_with_update(
    db: Database, tmp_path: Path
) -> None:
    await load_json_store(db, DATA / "store_v2.json", progress=None)
    before = await snapshot(db)
    data = copy.deepcopy(V2)
    day = data["production"]["2025-03-03"]["M-01"]
    day["quality_issues"] = []
    batch = day["batches"][1]
    batch["batch_id"] = "BATCH-OTHER"
    batch["batches_consumed"] = []
    day["batches"] = [batch]
    path = store(tmp_path, "other.json", data)
    for update in (False, True):
        with pytest.raises(InvalidInputError) as e:
            await load_json_store(db, path, update=update, progress=None)
        assert (
            "Serial 'SN-000001001' already has a PRODUCED from a Batch ('BATCH-2025-1001-002')"
            " in the graph, and has only one: 'BATCH-OTHER' is refused"
        ) in str(e.value)
    assert await snapshot(db) == before


async def test_an_order_of_another_customer_is_refused(db: Database, tmp_path: Path) -> None:
    # The class of the serial's rule: an order has one customer, whichever load says so.
    await load_json_store(db, DATA / "store_v2.json", progress=None)
    data = copy.deepcopy(V2)
    data["orders"][0].update(customer_id="CUST-002", customer_name="Urban Knit")
    with pytest.raises(InvalidInputError) as e:
        await load_json_store(db, store(tmp_path, "moved.json", data), update=True, progress=None)
    assert (
        "orders[0], field from: Order 'ORD-1001' already has a PLACED from a Customer"
        " ('CUST-001') in the graph"
    ) in str(e.value)


async def test_a_consumed_link_closing_a_cycle_through_the_graph_is_refused(
    db: Database, tmp_path: Path
) -> None:
    await load_json_store(db, DATA / "store_v2.json", progress=None)
    data = copy.deepcopy(V2)
    first = data["production"]["2025-03-03"]["M-01"]["batches"][0]
    # Batch 002 consumes batch 001 in the graph; now 001 would consume 002.
    first["batches_consumed"] = [{"batch_id": "BATCH-2025-1001-002"}]
    data["production"]["2025-03-03"]["M-01"]["batches"] = [first]
    data["production"]["2025-03-03"]["M-01"]["quality_issues"] = []
    with pytest.raises(InvalidInputError, match="closes a CONSUMED cycle"):
        await load_json_store(db, store(tmp_path, "loop.json", data), progress=None)


async def test_a_change_between_reading_and_writing_fails_the_load_and_resume_completes_it(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Someone writes lot LOT-2025-0003 after the loader read that it is absent: the write
    # guard stops the load there; the load is marked failed; once the two agree, running the
    # same command again completes it under the same id.
    real = loaders.common.read_graph_state

    async def then_someone_writes(db_: Database, units: list[Unit]) -> GraphState:
        state = await real(db_, units)
        theirs = MaterialLot(lot_number="LOT-2025-0003", quantity=1.0, received_date="2025-01-01")
        await ingest(db_, [theirs])
        return state

    monkeypatch.setattr(loaders.common, "read_graph_state", then_someone_writes)
    with pytest.raises(LoadError) as e:
        await load_json_store(db, DATA / "store_v2.json", batch_size=1, progress=None)
    message = str(e.value)
    assert "changed while loading" in message
    assert "Run the same command again to resume it" in message
    [load] = await list_loads(db)
    assert load.status == "failed"
    assert load.counts["nodes_created"] > 0  # the batches before the conflict committed
    monkeypatch.undo()
    # Their lot has other facts than the store's: the re-run reports it as a conflict...
    with pytest.raises(InvalidInputError, match="LOT-2025-0003"):
        await load_json_store(db, DATA / "store_v2.json", progress=None)
    # ... and with --update (the user's call) completes the same load.
    result = await load_json_store(db, DATA / "store_v2.json", update=True, progress=None)
    assert result.load_id == load.id
    [done] = await list_loads(db)
    assert (done.id, done.status, done.resumed) == (load.id, "complete", 1)
    resumed = await snapshot(db)
    await delete_all_data(db)
    await load_json_store(db, DATA / "store_v2.json", progress=None)
    assert resumed == await snapshot(db)


async def test_every_load_is_recorded_and_rerunning_a_complete_one_writes_nothing(
    db: Database,
) -> None:
    first = await load_json_store(db, DATA / "store_v2.json", progress=None)
    [load] = await list_loads(db)
    assert (load.id, load.status, load.kind) == (first.load_id, "complete", "json")
    assert load.counts["nodes_created"] == 26
    assert load.source.endswith("store_v2.json")
    again = await load_json_store(db, DATA / "store_v2.json", progress=None)
    assert again.load_id != first.load_id
    assert (again.summary.nodes_created, again.summary.relationships_created) == (0, 0)
    assert [x.status for x in await list_loads(db)] == ["complete", "complete"]
    nodes, _ = await graph_counts(db)
    assert "Load" not in nodes

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.database import Database
from graph.ingest import graph_counts
from loaders.json_store import load_json_store
from tests.ingest_support import fetch, snapshot
from tracegraph.errors import InvalidInputError

DATA = Path(__file__).resolve().parent.parent / "data"
V1 = DATA / "store_v1.json"
V2 = DATA / "store_v2.json"

# Hand-counted from tests/data/store_v1.json and the migration rules in loaders/json_store.py.
V1_NODES = {
    "Machine": 2,
    "Shift": 2,
    "Material": 1,
    "Supplier": 3,
    "Customer": 5,
    "Order": 2,  # ORD-V1-202503-M-01 (300 + 250 parts), ORD-V1-202503-M-02 (150)
    "MaterialLot": 3,  # one per machine and day
    "Batch": 4,  # 03-01 M-01 shifts A and B, 03-01 M-02 (no shifts: one), 03-02 M-01 shift A
    "QualityIssue": 2,
    "Serial": 5,  # the affected parts: 3 + 2
    "DowntimeEvent": 1,
}
V1_RELS = {
    "PLACED": 2,
    "OF_MATERIAL": 3,
    "SUPPLIED": 3,
    "FOR_ORDER": 4,
    "RUN_ON": 4,
    "CONSUMED": 4,
    "DURING_SHIFT": 3,
    "FOUND_IN": 2,
    "PRODUCED": 5,
    "AFFECTS": 5,
    "ON_MACHINE": 1,
}
V2_NODES = {
    "Machine": 1,
    "Shift": 1,
    "Supplier": 2,
    "Material": 2,
    "MaterialLot": 3,
    "Customer": 1,
    "Order": 2,
    "Operator": 1,
    "Batch": 2,
    "Serial": 5,
    "QualityIssue": 1,
    "Investigation": 1,
    "VerificationTest": 1,
    "Action": 2,
    "SupplierNotification": 1,
}
V2_RELS = {
    "PREFERRED_SUPPLIER": 3,
    "OF_MATERIAL": 3,
    "SUPPLIED": 3,
    "PLACED": 2,
    "ASSIGNED_TO": 1,
    "RUN_ON": 2,
    "FOR_ORDER": 2,
    "DURING_SHIFT": 2,
    "OPERATED_BY": 1,
    "CONSUMED": 4,  # batch 1: two lots; batch 2: batch 1 and one lot
    "PRODUCED": 5,
    "FOUND_IN": 1,
    "AFFECTS": 2,
    "HAS_INVESTIGATION": 1,
    "SUSPECTS": 1,
    "VERIFIED_BY": 1,
    "HAS_ACTION": 2,
    "NOTIFIED": 1,
    "TO_SUPPLIER": 1,
}


async def test_v1_migrates_with_hand_checked_counts(db: Database) -> None:
    result = await load_json_store(db, V1, progress=None)
    assert result.rejected == 0
    assert result.summary.nodes_created == sum(V1_NODES.values())
    assert result.summary.relationships_created == sum(V1_RELS.values())
    assert await graph_counts(db) == (V1_NODES, V1_RELS)


async def test_v1_issue_is_linked_to_its_shift_batch_order_and_lot(db: Database) -> None:
    await load_json_store(db, V1, progress=None)
    [row] = await fetch(db, "issue_links", issue_id="QI-V1-2025-03-01-M-01-001")
    assert row["batch"] == "BATCH-2025-03-01-M-01-B"  # the issue says shift B
    assert row["orders"] == ["ORD-V1-202503-M-01"]
    assert row["lots"] == ["LOT-V1-2025-03-01-M-01"]
    assert len(row["suppliers"]) == 1
    assert sorted(row["serials"]) == [f"SN-V1-2025-03-01-M-01-B-{n:05d}" for n in (1, 2, 3)]
    assert row["severity"] == "high"  # "High" in v1, lower-case in the model
    assert row["detected_at"].iso_format().startswith("2025-03-01T14:00:00")  # shift B start
    # No shift on the second issue: batch k mod n, here the day's only batch.
    [other] = await fetch(db, "issue_links", issue_id="QI-V1-2025-03-02-M-01-001")
    assert other["batch"] == "BATCH-2025-03-02-M-01-A"


async def test_v2_imports_with_hand_checked_counts_and_links(db: Database) -> None:
    result = await load_json_store(db, V2, progress=None)
    assert result.rejected == 0
    assert await graph_counts(db) == (V2_NODES, V2_RELS)
    [row] = await fetch(db, "issue_links", issue_id="QI-2025-1001-001")
    assert row["batch"] == "BATCH-2025-1001-002"
    assert row["orders"] == ["ORD-1001"]
    # Through the sub-assembly batch 001: its two lots, plus the top batch's own lot.
    assert sorted(row["lots"]) == ["LOT-2025-0001", "LOT-2025-0002", "LOT-2025-0003"]
    assert sorted(row["suppliers"]) == ["SUP-001", "SUP-002"]
    assert sorted(row["serials"]) == ["SN-000001002", "SN-000001004"]


@pytest.mark.parametrize("path", [V1, V2], ids=["v1", "v2"])
async def test_reimport_is_idempotent(db: Database, path: Path) -> None:
    await load_json_store(db, path, progress=None)
    before = await snapshot(db)
    again = await load_json_store(db, path, progress=None)
    assert (again.summary.nodes_created, again.summary.relationships_created) == (0, 0)
    assert await snapshot(db) == before


def _broken(tmp_path: Path, source: Path, edit: str) -> Path:
    data = json.loads(source.read_text())
    if edit == "v1":
        data["production"]["2025-03-01"]["M-01"]["quality_issues"][0]["severity"] = "urgent"
    else:
        data["material_lots"][1]["inspection_result"] = "maybe"
    target = tmp_path / source.name
    target.write_text(json.dumps(data))
    return target


@pytest.mark.parametrize(
    ("source", "location", "field"),
    [
        (V1, "production.2025-03-01.M-01.quality_issues[0]", "severity"),
        (V2, "material_lots[1]", "inspection_result"),
    ],
    ids=["v1", "v2"],
)
async def test_malformed_record_is_located_and_nothing_is_written(
    db: Database, tmp_path: Path, source: Path, location: str, field: str
) -> None:
    path = _broken(tmp_path, source, "v1" if source == V1 else "v2")
    with pytest.raises(InvalidInputError) as e:
        await load_json_store(db, path, progress=None)
    message = str(e.value)
    assert str(path) in message
    assert f"{location}, field {field}" in message
    assert await graph_counts(db) == ({}, {})


async def test_skip_invalid_writes_the_rest_and_a_rejects_file(
    db: Database, tmp_path: Path
) -> None:
    path = _broken(tmp_path, V2, "v2")
    result = await load_json_store(db, path, skip_invalid=True, progress=None)
    assert result.rejected >= 1
    assert result.rejects_file is not None
    rejects = [json.loads(line) for line in result.rejects_file.read_text().splitlines()]
    assert rejects[0]["location"] == "material_lots[1]"
    # The lot is gone, and so is everything downstream whose reference would dangle: batch 001
    # consumed it, batch 002 consumed batch 001, the issue was found in batch 002.
    assert [r["location"] for r in rejects] == [
        "material_lots[1]",
        "production.2025-03-03.M-01.batches[0]",
        "production.2025-03-03.M-01.batches[1]",
        "production.2025-03-03.M-01.quality_issues[0]",
    ]
    nodes, _ = await graph_counts(db)
    assert nodes["MaterialLot"] == 2
    assert nodes["Order"] == 2
    assert "Batch" not in nodes
    assert "QualityIssue" not in nodes


async def test_dangling_reference_is_reported(db: Database, tmp_path: Path) -> None:
    data = json.loads(V2.read_text())
    data["orders"][0]["supplier_id"] = "SUP-404"
    path = tmp_path / "store.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InvalidInputError, match=r"orders\[0\], field to: ASSIGNED_TO refers to"):
        await load_json_store(db, path, progress=None)
    assert await graph_counts(db) == ({}, {})


async def test_not_json_is_reported_with_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    shutil.copy(V1, path)
    path.write_text(path.read_text()[:200])
    with pytest.raises(InvalidInputError, match=r"bad\.json:\d+:\d+: not valid JSON"):
        await load_json_store(db, path, progress=None)

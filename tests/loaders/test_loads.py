"""Loads as the graph records them: status, interrupted loads, removal (loaders/loads.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from graph.database import Database
from graph.ingest import graph_counts
from loaders.csv_dir import load_csv_dir
from loaders.loads import _run, get_load, list_loads, remove_load
from tests.ingest_support import snapshot
from tracegraph.errors import InvalidInputError

FIRST = {
    "Supplier.csv": "id,name\nSUP-1,Alpine\n",
    "MaterialLot.csv": "lot_number,quantity,received_date\nLOT-1,500,2025-02-20\n",
    "SUPPLIED.csv": "src,dst\nSUP-1,LOT-1\n",
}
# Builds on the first: a new material joined to the first load's lot, a new supplier.
SECOND = {
    "Material.csv": "id,name\nMAT-1,Merino\n",
    "Supplier.csv": "id,name\nSUP-1,Alpine\nSUP-2,Baltic\n",
    "OF_MATERIAL.csv": "src,dst\nLOT-1,MAT-1\n",
    "PREFERRED_SUPPLIER.csv": "src,dst,rank\nMAT-1,SUP-1,1\nMAT-1,SUP-2,2\n",
}


def _dir(root: Path, name: str, files: dict[str, str]) -> Path:
    directory = root / name
    directory.mkdir()
    for file, text in files.items():
        (directory / file).write_text(text)
    return directory


async def test_remove_deletes_exactly_what_the_load_created(db: Database, tmp_path: Path) -> None:
    first = await load_csv_dir(db, _dir(tmp_path, "first", FIRST), progress=None)
    after_first = await snapshot(db)
    second = await load_csv_dir(db, _dir(tmp_path, "second", SECOND), progress=None)
    assert await graph_counts(db) == (
        {"Supplier": 2, "MaterialLot": 1, "Material": 1},
        {"SUPPLIED": 1, "OF_MATERIAL": 1, "PREFERRED_SUPPLIER": 2},
    )
    # The second load's relationships hang on the first load's nodes: those stay first.
    with pytest.raises(
        InvalidInputError, match=r"2 relationship\(s\) \(OF_MATERIAL, PREFERRED_SUPPLIER\)"
    ):
        await remove_load(db, first.load_id)
    removal = await remove_load(db, second.load_id)
    assert (removal.nodes, removal.relationships) == (2, 3)  # MAT-1, SUP-2; 3 links
    assert await snapshot(db) == after_first
    load = await get_load(db, second.load_id)
    assert load is not None
    assert load.status == "removed"
    with pytest.raises(InvalidInputError, match="removed already"):
        await remove_load(db, second.load_id)
    await remove_load(db, first.load_id)
    assert await graph_counts(db) == ({}, {})


async def test_remove_of_an_unknown_load_is_an_error(db: Database) -> None:
    with pytest.raises(InvalidInputError, match="no load 'L-404'"):
        await remove_load(db, "L-404")


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


async def test_a_running_load_whose_process_is_gone_is_listed_interrupted(db: Database) -> None:
    props = {
        "kind": "json",
        "source": "/data/store.json",
        "fingerprint": "f",
        "host": socket.gethostname(),
        "pid": _dead_pid(),
    }
    await db.write(_run, query="ingest.load_start", id="L-1", props=props)
    [load] = await list_loads(db)
    assert load.status == "running"  # as stored: the process could not say otherwise
    assert load.effective_status == "interrupted"
    assert "L-1  interrupted" in load.describe()

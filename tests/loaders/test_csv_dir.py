from __future__ import annotations

from pathlib import Path

import pytest

from graph.database import Database
from graph.ingest import graph_counts
from loaders.csv_dir import load_csv_dir
from tests.ingest_support import snapshot
from tracegraph.errors import InvalidInputError


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


GOOD = {
    "Supplier.csv": "id,name,certifications,status\nSUP-1,Alpine,ISO9001;OEKO-TEX,active\n",
    "Material.csv": "id,name,unit\nMAT-1,Merino,kg\n",
    "MaterialLot.csv": "lot_number,quantity,unit,received_date\nLOT-1,500,kg,2025-02-20\n",
    "SUPPLIED.csv": "src,dst,delivered_at,quantity\nSUP-1,LOT-1,2025-02-20,500\n",
    "OF_MATERIAL.csv": "src,dst\nLOT-1,MAT-1\n",
}


async def test_loads_nodes_and_relationships_idempotently(db: Database, tmp_path: Path) -> None:
    result = await load_csv_dir(db, _write(tmp_path, GOOD), progress=None)
    assert result.accepted == 5
    assert await graph_counts(db) == (
        {"Supplier": 1, "Material": 1, "MaterialLot": 1},
        {"SUPPLIED": 1, "OF_MATERIAL": 1},
    )
    before = await snapshot(db)
    await load_csv_dir(db, tmp_path, progress=None)
    assert await snapshot(db) == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id,name,colour", "unknown column(s) colour"),
        ("id,status", "missing required column(s) name"),
    ],
)
async def test_bad_headers_are_rejected(
    db: Database, tmp_path: Path, header: str, message: str
) -> None:
    _write(tmp_path, {"Supplier.csv": f"{header}\nSUP-1,x,y\n"})
    with pytest.raises(InvalidInputError, match=r"Supplier\.csv:1: bad header") as e:
        await load_csv_dir(db, tmp_path, progress=None)
    assert message in str(e.value)
    assert await graph_counts(db) == ({}, {})


async def test_unknown_file_is_rejected(db: Database, tmp_path: Path) -> None:
    _write(tmp_path, {"Suppliers.csv": "id,name\n"})
    with pytest.raises(InvalidInputError, match=r"Suppliers\.csv match no node label"):
        await load_csv_dir(db, tmp_path, progress=None)


async def test_bad_row_is_located_and_nothing_written(db: Database, tmp_path: Path) -> None:
    files = dict(GOOD)
    files["MaterialLot.csv"] += "LOT-2,lots,kg,2025-02-21\n"
    _write(tmp_path, files)
    with pytest.raises(InvalidInputError, match=r"MaterialLot\.csv line 3, field quantity"):
        await load_csv_dir(db, tmp_path, progress=None)
    assert await graph_counts(db) == ({}, {})

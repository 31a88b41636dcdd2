from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from graph.database import Database
from graph.ingest import graph_counts
from tracegraph.cli import main
from tracegraph.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def cli_env(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.neo4j_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.neo4j_password.get_secret_value())


@pytest.mark.usefixtures("cli_env")
def test_load_json_prints_progress_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", "json", str(DATA / "store_v2.json")]) == 0
    out, err = capsys.readouterr()
    assert "rows/s" in err
    assert "26 node rows" in out
    assert main(["load", "json", str(DATA / "store_v2.json"), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "26 node rows (0 created, 26 already present)" in out
    assert err == ""


@pytest.mark.usefixtures("cli_env")
def test_load_errors_exit_2_with_the_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Supplier.csv").write_text("id,name,colour\n")
    assert main(["load", "csv", str(tmp_path)]) == 2
    assert "Supplier.csv:1: bad header" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_env")
async def test_status_lists_loads_and_remove_deletes_one(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    async def cli(*args: str) -> int:
        return await asyncio.to_thread(main, list(args))

    assert await cli("load", "json", str(DATA / "store_v2.json"), "--quiet") == 0
    out, _ = capsys.readouterr()
    load_id = out.split("load ", 1)[1].split()[0]
    assert await cli("load", "--status") == 0
    out, _ = capsys.readouterr()
    assert f"{load_id}  complete" in out
    assert "store_v2.json" in out
    assert await cli("load", "--remove", load_id) == 0
    out, _ = capsys.readouterr()
    assert f"removed load {load_id}" in out
    assert "26 nodes" in out
    assert await graph_counts(db) == ({}, {})
    assert await cli("load", "--status") == 0
    assert f"{load_id}  removed" in capsys.readouterr().out


@pytest.mark.usefixtures("cli_env")
def test_load_without_a_source_or_action_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load"]) == 2
    assert "load what?" in capsys.readouterr().err

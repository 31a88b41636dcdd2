from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from graph.database import Database
from graph.ingest import graph_counts
from graph.migrations import load_migrations, migration_status
from tests.admin import forget_migrations
from tracegraph.cli import main
from tracegraph.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def cli_env(neo4j_settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # db: an empty graph, so what a load finds there is only what the test put in.
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


@pytest.mark.parametrize("size", ["0", "-1", "ten", "1.5"])
def test_a_bad_batch_size_is_refused_before_anything_runs(
    size: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["load", "json", str(DATA / "store_v2.json"), "--batch-size", size])
    assert refused.value.code == 2
    assert "--batch-size" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"suppliers": [], "suppliers": []}', "field suppliers: given twice in one object"),
        ('{"_meta": {"x": NaN}}', "NaN is not a finite number"),
        ('{"_meta": {"x": Infinity}}', "Infinity is not a finite number"),
        ('{"_meta": {"x": -Infinity}}', "-Infinity is not a finite number"),
    ],
)
def test_json_a_store_may_not_hold_is_refused_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    store = tmp_path / "store.json"
    store.write_text(text)
    assert main(["load", "json", str(store)]) == 2
    err = capsys.readouterr().err
    assert str(store) in err
    assert message in err


@pytest.mark.usefixtures("cli_env")
def test_files_that_are_not_utf8_or_not_files_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store.json"
    store.write_bytes(b'{"_meta": "caf\xe9"}')
    assert main(["load", "json", str(store)]) == 2
    assert "store.json:1: not UTF-8 (byte 0xe9" in capsys.readouterr().err
    (tmp_path / "Supplier.csv").write_bytes(b"id,name\nSUP-1,caf\xe9\n")
    assert main(["load", "csv", str(tmp_path)]) == 2
    assert "Supplier.csv:2: not UTF-8 (byte 0xe9" in capsys.readouterr().err
    assert main(["load", "json", str(tmp_path)]) == 2
    assert "is a directory; a JSON data store is one file" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "SUP-1,Acme\nSUP-1,Acme\n",
            "Supplier 'SUP-1' is given twice (also at Supplier.csv line 2)",
        ),
        (
            "SUP-1,Acme\nSUP-1,Bolt\n",
            "Supplier 'SUP-1' is also given at Supplier.csv line 2, with other facts",
        ),
    ],
)
def test_a_csv_key_twice_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str, message: str
) -> None:
    (tmp_path / "Supplier.csv").write_text("id,name\n" + rows)
    assert main(["load", "csv", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "nothing written" in err


@pytest.mark.usefixtures("cli_env")
def test_a_json_key_twice_with_other_facts_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = json.loads((DATA / "store_v2.json").read_text())
    store["suppliers"].append({**store["suppliers"][0], "name": "Someone Else"})
    path = tmp_path / "store.json"
    path.write_text(json.dumps(store))
    assert main(["load", "json", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Supplier 'SUP-001' is also given at suppliers[0], with other facts" in err


@pytest.mark.usefixtures("cli_env")
def test_an_unclosed_csv_quote_is_an_error_where_it_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Supplier.csv").write_text('id,name\nSUP-1,Acme\nSUP-2,"Bolt\nSUP-3,Cog\n')
    assert main(["load", "csv", str(tmp_path)]) == 2
    assert "Supplier.csv:3:" in capsys.readouterr().err


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


@pytest.mark.usefixtures("cli_env")
async def test_a_load_applies_pending_migrations_first(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    await forget_migrations(db, min_version=load_migrations()[-1].version)
    assert (await migration_status(db)).pending
    load = ["load", "json", str(DATA / "store_v2.json"), "--quiet"]
    assert await asyncio.to_thread(main, load) == 0
    assert "1 pending migration(s) applied first" in capsys.readouterr().err
    assert not (await migration_status(db)).pending

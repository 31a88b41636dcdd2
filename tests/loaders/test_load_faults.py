"""Neo4j killed while a load runs: the command says what it wrote and how to resume, the load is
listed as interrupted, and running it again ends in exactly the graph a clean load makes.

It kills a throwaway local server (its own data dir and ports), never the session's."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from graph import queries
from graph.database import Database
from graph.ingest import graph_counts
from graph.migrations import migrate
from graph.server import LocalNeo4j
from loaders.loads import list_loads
from tests.admin import delete_all_data
from tests.conftest import local_test_settings
from tests.ingest_support import snapshot
from tracegraph.settings import Settings

FAULT_BOLT_PORT = int(os.environ.get("TRACEGRAPH_TEST_FAULT_BOLT_PORT", "18141"))
FAULT_HTTP_PORT = int(os.environ.get("TRACEGRAPH_TEST_FAULT_HTTP_PORT", "18142"))
LOAD = ["load", "demo", "--scale", "20000", "--seed", "5", "--batch-size", "500"]


@pytest.fixture
def throwaway(server_mode: str, tmp_path: Path) -> Settings:
    if server_mode != "local":
        pytest.skip(f"the session uses a {server_mode} Neo4j, not the project-local server")
    return local_test_settings(
        tracegraph_data_dir=tmp_path / "data",
        neo4j_bolt_port=FAULT_BOLT_PORT,
        neo4j_http_port=FAULT_HTTP_PORT,
        neo4j_heap_size="512m",
        neo4j_pagecache_size="256m",
    )


@pytest_asyncio.fixture
async def server(throwaway: Settings) -> AsyncIterator[LocalNeo4j]:
    neo4j = LocalNeo4j(throwaway)
    await asyncio.to_thread(neo4j.start)
    try:
        yield neo4j
    finally:
        await asyncio.to_thread(neo4j.stop)


def tracegraph(settings: Settings, cwd: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tracegraph", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = await asyncio.to_thread(proc.communicate, timeout=300)
    return proc.returncode, out, err


async def wait_for_nodes(db: Database, at_least: int, proc: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the load ended before it could be interrupted"
        nodes, _ = await graph_counts(db)
        if sum(nodes.values()) >= at_least:
            return sum(nodes.values())
        await asyncio.sleep(0.2)
    raise AssertionError("the load wrote nothing in 2 minutes")


def kill(server: LocalNeo4j) -> None:
    pid = server.status().pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)  # the server is this process's child: reap it, or it lingers as a zombie


@pytest.mark.slow
async def test_a_load_interrupted_by_neo4j_dying_resumes_to_the_clean_graph(
    server: LocalNeo4j, throwaway: Settings, tmp_path: Path
) -> None:
    queries.registry()
    db = Database.from_settings(throwaway)
    try:
        await migrate(db)
        loader = tracegraph(throwaway, tmp_path, *LOAD)
        written = await wait_for_nodes(db, 2_000, loader)
        kill(server)
        status, _, err = await finish(loader)
        assert status == 2, err
        assert "stopped part-way" in err
        assert "it had written" in err
        assert "Run the same command again to resume it" in err
        assert "tracegraph load --remove L" in err
        assert "Traceback" not in err

        await asyncio.to_thread(server.start)
        nodes, _ = await graph_counts(db)
        assert written <= sum(nodes.values()) < 20_000  # part of the load, and it is marked:
        [load] = await list_loads(db)
        assert load.effective_status == "interrupted"
        listed = tracegraph(throwaway, tmp_path, "load", "--status")
        status, out, err = await finish(listed)
        assert status == 0, err
        assert f"{load.id}  interrupted" in out
        assert "did not finish" in out

        status, out, err = await finish(tracegraph(throwaway, tmp_path, *LOAD))
        assert status == 0, err
        [done] = await list_loads(db)
        assert (done.id, done.status, done.resumed) == (load.id, "complete", 1)
        resumed = (await graph_counts(db), await snapshot(db))

        await delete_all_data(db)
        status, out, err = await finish(tracegraph(throwaway, tmp_path, *LOAD))
        assert status == 0, err
        assert (await graph_counts(db), await snapshot(db)) == resumed
    finally:
        await db.close()

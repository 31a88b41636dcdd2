"""graph.database: reads run as auto-commit statements and are retried on transient errors; Neo4j
killed while serving: requests fail fast while it is down, and recover by themselves."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction
from neo4j.exceptions import SessionExpired

from graph import queries
from graph.database import Database
from graph.server import LocalNeo4j
from tests.graph.test_server import _second_server_settings
from tests.ingest_support import QUERIES, fetch
from tests.support import bearer, serve_app
from tracegraph.app import create_app
from tracegraph.errors import DatabaseError
from tracegraph.settings import Settings


@pytest.fixture
def killable(tmp_path: Path, server_mode: str) -> Iterator[tuple[LocalNeo4j, Settings]]:
    if server_mode != "local":
        pytest.skip("starts a project-local Neo4j of its own")
    settings = _second_server_settings(tmp_path, neo4j_retry_seconds=1.0)
    server = LocalNeo4j(settings)
    server.start()
    yield server, settings
    server.stop()


def _get(url: str) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            status, body = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    return status, json.loads(body), time.monotonic() - started


def _query(url: str, settings: Settings) -> tuple[list[str], float]:
    request = urllib.request.Request(  # noqa: S310 - a loopback URL of ours
        url + "/graphql",
        data=b'{"query": "{ about { nodeCount } }"}',
        headers={"content-type": "application/json", **bearer(settings)},
    )
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        body = json.loads(response.read())
    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
    return codes, time.monotonic() - started


@pytest.mark.slow
def test_killed_database_fails_fast_then_recovers(
    killable: tuple[LocalNeo4j, Settings],
) -> None:
    server, settings = killable
    with serve_app(create_app(settings)) as url:
        assert _query(url, settings)[0] == []
        pid = server.status().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        while server.status().running:
            time.sleep(0.1)
        first, _ = _query(url, settings)  # this one finds out (the driver's own timeouts)
        assert first == ["DATABASE_UNAVAILABLE"]
        timings = [_query(url, settings) for _ in range(5)]
        assert all(codes == ["DATABASE_UNAVAILABLE"] for codes, _ in timings)
        assert max(elapsed for _, elapsed in timings) < 0.1, timings
        status, body, _ = _get(url + "/readyz")
        assert status == 503
        assert "bolt://" not in json.dumps(body)
        server.start()
        deadline = time.monotonic() + 30
        while _query(url, settings)[0] != []:
            assert time.monotonic() < deadline, "the API did not recover by itself"
            time.sleep(0.5)
        assert _get(url + "/readyz")[0] == 200


# --- reads as auto-commit statements -------------------------------------------------------


async def test_a_read_function_runs_each_statement_and_sees_the_graph(db: Database) -> None:
    await fetch(db, "count_label", label="Supplier")  # warm: the session pool is shared

    async def two_statements(tx: AsyncManagedTransaction) -> tuple[int, int]:
        first = await queries.read(tx, QUERIES["count_label"], label="Supplier")
        second = await queries.read(tx, QUERIES["count_label"], label="IdempotencyKey")
        return first[0]["n"], second[0]["n"]

    async def add(tx: AsyncManagedTransaction) -> None:
        await queries.write(
            tx,
            "writes.keep_answer",
            key="k",
            operation="x",
            input_hash="h",
            answer="{}",
            attempt="a",
        )

    assert await db.read(two_statements) == (0, 0)
    await db.write(add)
    assert await db.read(two_statements) == (0, 1)


async def test_a_read_is_retried_after_a_transient_failure(db: Database) -> None:
    calls: list[int] = []

    async def flaky(tx: AsyncManagedTransaction) -> int:
        calls.append(1)
        if len(calls) == 1:  # the connection dropped under the first attempt
            raise SessionExpired("connection lost")
        rows = await queries.read(tx, QUERIES["count_label"], label="Supplier")
        return int(rows[0]["n"])

    fast = Database(db.driver, uri=db.uri, database=db.database, retry_seconds=5.0)
    assert await fast.read(flaky) == 0
    assert len(calls) == 2


async def test_a_read_that_fails_for_good_is_not_retried(db: Database) -> None:
    calls: list[int] = []

    async def broken(tx: AsyncManagedTransaction) -> None:
        calls.append(1)
        await (await tx.run("RETURN 1/0 AS x")).consume()

    with pytest.raises(DatabaseError):
        await db.read(broken)
    assert len(calls) == 1

"""The real Neo4j every test talks to, chosen once per session.

``NEO4J_URI`` set -> that server. Else a Docker engine that answers -> a testcontainers Neo4j of the
pinned version with APOC. Else the project-local server (``graph.server.LocalNeo4j``) in
``.tracegraph/test`` on its own ports, started if needed and stopped at the end if this session
started it. Each test that asks for ``db`` starts from an empty graph (schema kept).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from graph.database import Database
from graph.migrations import migrate
from graph.server import NEO4J_VERSION, LocalNeo4j
from tests.admin import delete_all_data
from tracegraph.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
TEST_PASSWORD = "tracegraph-test"
TESTCONTAINERS_IMAGE = f"neo4j:{NEO4J_VERSION}-community"


def _docker_engine_answers() -> bool:
    if not os.environ.get("DOCKER_HOST") and not Path("/var/run/docker.sock").exists():
        return False
    try:
        import docker

        client = docker.from_env(timeout=3)
    except Exception:
        return False
    try:
        return bool(client.ping())
    except Exception:
        return False
    finally:
        client.close()


def local_test_settings(**overrides: object) -> Settings:
    """Settings of the local test server; ports and dir can be moved by TRACEGRAPH_TEST_* env."""
    base: dict[str, object] = {
        "tracegraph_data_dir": Path(
            os.environ.get("TRACEGRAPH_TEST_DATA_DIR", str(ROOT / ".tracegraph" / "test"))
        ),
        "neo4j_bolt_port": int(os.environ.get("TRACEGRAPH_TEST_BOLT_PORT", "17687")),
        "neo4j_http_port": int(os.environ.get("TRACEGRAPH_TEST_HTTP_PORT", "17474")),
        "neo4j_password": TEST_PASSWORD,
        "neo4j_heap_size": "1g",
        "neo4j_pagecache_size": "512m",
        "neo4j_tx_timeout_seconds": 30.0,
    }
    base.update(overrides)
    base.setdefault("neo4j_uri", f"bolt://127.0.0.1:{base['neo4j_bolt_port']}")
    return load_settings(env_file=None, **base)


@pytest.fixture(scope="session")
def server_mode() -> str:
    if os.environ.get("NEO4J_URI"):
        return "external"
    if _docker_engine_answers():
        return "testcontainers"
    return "local"


@pytest.fixture(scope="session")
def neo4j_settings(server_mode: str) -> Iterator[Settings]:
    if server_mode == "external":
        yield load_settings(env_file=None)
        return
    if server_mode == "testcontainers":
        from testcontainers.community.neo4j import Neo4jContainer

        container = Neo4jContainer(image=TESTCONTAINERS_IMAGE, password=TEST_PASSWORD)
        container.with_env("NEO4J_PLUGINS", '["apoc"]')
        container.with_env("NEO4J_dbms_security_procedures_unrestricted", "apoc.*")
        with container:
            yield load_settings(
                env_file=None,
                neo4j_uri=container.get_connection_url(),
                neo4j_password=TEST_PASSWORD,
            )
        return
    settings = local_test_settings()
    server = LocalNeo4j(settings)
    started = server.start()
    try:
        yield settings
    finally:
        if not started.already_running and not os.environ.get("TRACEGRAPH_TEST_KEEP_SERVER"):
            server.stop()


@pytest_asyncio.fixture(scope="session")
async def session_db(neo4j_settings: Settings) -> AsyncIterator[Database]:
    database = Database.from_settings(neo4j_settings)
    await database.verify()
    await migrate(database)
    yield database
    await database.close()


@pytest_asyncio.fixture
async def db(session_db: Database) -> Database:
    """The session's database, emptied of data (constraints, indexes and migrations kept)."""
    await delete_all_data(session_db)
    return session_db

"""Hand-built test graphs: ``tests/data/graphs/<file>.cypher`` blocks run against the test Neo4j.

Fixture graphs are Cypher ``CREATE`` scripts in the same ``// name:`` format as ``cypher/``
(readable, pasteable into Browser), parsed by the same loader; they take no parameters.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from unittest.mock import patch

import httpx2
import uvicorn
from neo4j import AsyncManagedTransaction
from starlette.types import ASGIApp

from graph import queries
from graph.analytics import refresh_upstream_suppliers
from graph.database import Database
from graph.queries import NamedQuery, load_queries
from tracegraph.access import Role
from tracegraph.auth import mint_token
from tracegraph.serving import uvicorn_config
from tracegraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

GRAPHS = Path(__file__).resolve().parent / "data" / "graphs"


def fixture_graph(name: str) -> NamedQuery:
    """The block ``name`` of the fixture graphs (files directly in ``GRAPHS`` have no namespace)."""
    return load_queries(GRAPHS, label="tests/data/graphs")[name]


async def load_fixture_graph(db: Database, name: str) -> None:
    query = fixture_graph(name)

    async def create(tx: AsyncManagedTransaction) -> None:
        result = await tx.run(query.text, query.bind({}))
        await result.consume()

    await db.write(create)
    # As a load does: the suppliers upstream of each batch, which the analytics keep on it.
    await refresh_upstream_suppliers(db)


@contextmanager
def count_statements() -> Iterator[list[int]]:
    """Count the statements the query runners send to Neo4j while the block runs."""
    counter = [0]
    send = queries._send

    async def counting(tx: AsyncManagedTransaction, query: NamedQuery, params: Any) -> Any:
        counter[0] += 1
        return await send(tx, query, params)

    with patch.object(queries, "_send", counting):
        yield counter


@contextmanager
def serve_app(
    app: ASGIApp, *, lifespan: Literal["on", "off"] = "on", settings: Settings | None = None
) -> Iterator[str]:
    """``app`` on a real uvicorn on 127.0.0.1 (a free port) in a thread, configured as
    ``tracegraph serve`` configures it (``settings``: its defaults); yields its URL."""
    config = uvicorn_config(
        app,
        settings or Settings.model_construct(),
        host="127.0.0.1",
        port=0,
        lifespan=lifespan,
        loop="asyncio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    # Start-up runs the app's lifespan (driver, readiness): slow on a loaded machine, not a fault.
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def bearer(
    settings: Settings,
    role: Role = Role.ADMIN,
    *,
    customer: str | None = None,
    supplier: str | None = None,
) -> dict[str, str]:
    """An ``Authorization`` header of a fresh embedded token of ``role``."""
    token = mint_token(
        settings,
        role=role,
        user=f"test-{role.value}",
        customer=customer,
        supplier=supplier,
        ttl=timedelta(hours=1),
    )
    return {"authorization": f"Bearer {token}"}


@contextmanager
def http_client(app: ASGIApp, headers: dict[str, str] | None = None) -> Iterator[httpx2.Client]:
    """A client of ``app`` served by a real uvicorn (real sockets, real HTTP parsing)."""
    with (
        serve_app(app) as url,
        httpx2.Client(base_url=url, headers=headers or {}, timeout=30) as client,
    ):
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@contextmanager
def tracegraph_process(
    settings: Settings, *args: str, seconds: float = 60.0
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``tracegraph <args>`` as a real process against ``settings``' Neo4j on a free loopback
    port; yields it and its URL once ``/healthz`` answers, and kills it after."""
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "TRACEGRAPH_HOST": "127.0.0.1",
        "TRACEGRAPH_PORT": str(port),
        "TRACEGRAPH_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tracegraph", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, f"tracegraph {' '.join(args)} exited while starting"
        try:
            return httpx2.get(f"{url}/healthz", timeout=2).status_code == 200
        except httpx2.TransportError:
            return False

    try:
        wait_until(answers, f"tracegraph {' '.join(args)} to answer", seconds)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)

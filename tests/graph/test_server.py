"""The project-local server: these run only where the session uses it (no NEO4J_URI, no Docker)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from graph.server import LocalNeo4j
from tests.conftest import TEST_PASSWORD, local_test_settings
from tests.support import free_port
from tracegraph.errors import LocalServerError
from tracegraph.settings import Settings


@pytest.fixture
def local_only(server_mode: str, neo4j_settings: Settings) -> Settings:
    if server_mode != "local":
        pytest.skip(f"the session uses a {server_mode} Neo4j, not the project-local server")
    return neo4j_settings


def test_status_reports_the_running_server(local_only: Settings) -> None:
    status = LocalNeo4j(local_only).status()
    assert status.running
    assert status.pid is not None
    assert f":{local_only.neo4j_bolt_port}" in status.bolt_uri
    assert "Browser: http://127.0.0.1:" in status.describe()


def test_start_twice_is_a_no_op(local_only: Settings) -> None:
    server = LocalNeo4j(local_only)
    pid = server.status().pid
    result = server.start()
    assert result.already_running
    assert result.status.pid == pid


def test_provisioning_downloads_nothing_the_second_time(local_only: Settings) -> None:
    server = LocalNeo4j(local_only)
    marker = server.dist / ".complete"
    before = marker.stat().st_mtime_ns
    assert server.provision() == server.dist
    assert marker.stat().st_mtime_ns == before


def test_missing_java_is_a_one_line_error(
    local_only: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(LocalServerError, match="no 'java' on PATH"):
        LocalNeo4j(local_only).java()


def test_missing_maven_is_a_one_line_error(
    local_only: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    fresh_cache = local_only.model_copy(update={"tracegraph_cache_dir": tmp_path})
    with pytest.raises(LocalServerError, match="no 'mvn' on PATH"):
        LocalNeo4j(fresh_cache).provision()


def test_port_taken_is_named(local_only: Settings, tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        settings = local_test_settings(
            tracegraph_data_dir=tmp_path, neo4j_bolt_port=port, neo4j_http_port=port + 1
        )
        with pytest.raises(
            LocalServerError, match=rf"port {port} is already in use.*NEO4J_BOLT_PORT"
        ):
            LocalNeo4j(settings).start()


@cache
def _second_ports() -> tuple[int, int]:
    # Free ports, chosen once per session: fixed offsets collided with other servers on the machine.
    return free_port(), free_port()


def _second_server_settings(data_dir: Path, **overrides: object) -> Settings:
    bolt, http = _second_ports()
    return local_test_settings(
        tracegraph_data_dir=data_dir,
        neo4j_bolt_port=bolt,
        neo4j_http_port=http,
        neo4j_heap_size="512m",
        neo4j_pagecache_size="128m",
        **overrides,
    )


@pytest.fixture
def second_server(local_only: Settings, tmp_path: Path) -> Iterator[LocalNeo4j]:
    server = LocalNeo4j(_second_server_settings(tmp_path))
    yield server
    server.stop()


@pytest.mark.slow
def test_stop_start_and_wrong_password(tmp_path: Path, second_server: LocalNeo4j) -> None:
    assert not second_server.status().running
    assert second_server.stop() is False
    started = second_server.start()
    assert not started.already_running
    assert started.status.running
    assert second_server.stop() is True
    assert not second_server.status().running
    other = LocalNeo4j(_second_server_settings(tmp_path, neo4j_password="not-" + TEST_PASSWORD))
    with pytest.raises(LocalServerError, match="rejected NEO4J_PASSWORD"):
        other.start()

"""`tracegraph serve --workers N`: N forked processes answer on one port, a dead one is replaced,
and SIGTERM stops them all (a real subprocess, real HTTP, the test Neo4j)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from graph.database import Database
from tests.support import bearer, tracegraph_process, wait_until
from tracegraph.settings import Settings


def _children(pid: int) -> set[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(p) for p in text.split()}


@pytest.fixture
def served(neo4j_settings: Settings, db: Database) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    with tracegraph_process(neo4j_settings, "serve", "--workers", "2") as served:
        yield served


def _graphql_answers(url: str, settings: Settings) -> None:
    response = httpx2.post(
        f"{url}/graphql",
        json={"query": "{ about { neo4jVersion } }"},
        headers=bearer(settings),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["about"]["neo4jVersion"]


def test_two_workers_share_the_port_and_a_dead_one_is_replaced(
    served: tuple[subprocess.Popen[bytes], str], neo4j_settings: Settings
) -> None:
    process, url = served
    wait_until(lambda: len(_children(process.pid)) == 2, "two workers")
    workers = _children(process.pid)
    for _ in range(10):  # fresh connections: the kernel hands them to either worker
        _graphql_answers(url, neo4j_settings)

    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    wait_until(
        lambda: len(_children(process.pid)) == 2 and victim not in _children(process.pid),
        "a replacement worker",
    )
    wait_until(lambda: httpx2.get(f"{url}/healthz", timeout=2).status_code == 200, "answers again")
    for _ in range(10):
        _graphql_answers(url, neo4j_settings)


def test_sigterm_stops_every_worker(served: tuple[subprocess.Popen[bytes], str]) -> None:
    process, _ = served
    wait_until(lambda: len(_children(process.pid)) == 2, "two workers")
    workers = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    # Gracefully: well before the parent's 30 s deadline, after which it would kill them.
    assert process.wait(20) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in _state(pid), f"worker {pid} still runs"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except FileNotFoundError:
        return "Z"


def test_workers_stop_when_their_parent_is_killed(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    """A parent killed outright cannot stop its workers; they must not go on holding the port."""
    process, _ = served
    wait_until(lambda: len(_children(process.pid)) == 2, "two workers")
    workers = _children(process.pid)
    process.kill()
    process.wait(10)
    wait_until(
        lambda: all(_state(pid) == "Z" for pid in workers), "the orphaned workers to stop", 30
    )

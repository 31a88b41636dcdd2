"""Clients that send half a request head are dropped: the first request and every later one on a
kept-alive connection must have their headers in within the bound."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support import free_port, serve_app, wait_until
from tracegraph.settings import Settings

BOUND = 0.5
SETTINGS = Settings.model_construct(tracegraph_header_timeout_seconds=BOUND)


async def _ok(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


APP = Starlette(routes=[Route("/healthz", _ok)])


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return parts.hostname, parts.port


def _read_until_closed(raw: socket.socket, limit: float) -> tuple[bytes, float]:
    started = time.monotonic()
    answer = b""
    raw.settimeout(limit)
    while chunk := raw.recv(4096):
        answer += chunk
    return answer, time.monotonic() - started


def test_a_half_sent_head_gets_408_and_is_closed() -> None:
    with serve_app(APP, settings=SETTINGS) as url:
        address = _address(url)
        silent = socket.create_connection(address, timeout=10)
        partial = socket.create_connection(address, timeout=10)
        partial.sendall(b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: ")
        for raw in (silent, partial):
            answer, waited = _read_until_closed(raw, limit=BOUND * 10)
            assert answer.startswith(b"HTTP/1.1 408"), answer
            assert b"REQUEST_TIMEOUT" in answer
            assert waited < BOUND * 4
            raw.close()


def test_complete_requests_and_kept_alive_connections_have_their_own_deadline() -> None:
    with serve_app(APP, settings=SETTINGS) as url:
        raw = socket.create_connection(_address(url), timeout=10)
        raw.sendall(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        time.sleep(BOUND * 2)  # the answer waits in the socket; the deadline was met
        first = raw.recv(4096)
        assert first.startswith(b"HTTP/1.1 200"), first
        # Slow head of the next request on the same connection: dropped like the first would be.
        raw.sendall(b"GET /healthz HTTP/1.1\r\n")
        answer, _ = _read_until_closed(raw, limit=BOUND * 10)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        raw.close()


def test_many_stalled_clients_do_not_stop_the_others() -> None:
    with serve_app(APP, settings=SETTINGS) as url:
        address = _address(url)
        stalled = [socket.create_connection(address, timeout=10) for _ in range(200)]
        for raw in stalled:
            raw.sendall(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(BOUND * 3)
        closed = 0
        for raw in stalled:
            answer, _ = _read_until_closed(raw, limit=BOUND * 10)
            closed += answer.startswith(b"HTTP/1.1 408")
            raw.close()
        assert closed == len(stalled)
        fresh = socket.create_connection(address, timeout=10)
        fresh.sendall(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        assert _read_until_closed(fresh, limit=5)[0].startswith(b"HTTP/1.1 200")
        fresh.close()


# A process served by tracegraph.serving.serve, answering how many objects are frozen.
FREEZE_PROBE = """
import gc, sys
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from tracegraph.serving import serve
from tracegraph.settings import load_settings

async def frozen(request):
    return JSONResponse(gc.get_freeze_count())

def build(settings):
    return Starlette(routes=[Route("/frozen", frozen)])

port, workers = int(sys.argv[1]), int(sys.argv[2])
serve(load_settings(env_file=None, tracegraph_host="127.0.0.1", tracegraph_port=port,
                    tracegraph_workers=workers, tracegraph_migrate_on_serve=False), build)
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_a_served_process_keeps_start_up_objects_out_of_collection(workers: int) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", FREEZE_PROBE, str(port), str(workers)])
    answered: list[int] = []

    def answers() -> bool:
        assert process.poll() is None, "the probe exited"
        try:
            answered.append(httpx2.get(f"http://127.0.0.1:{port}/frozen", timeout=5).json())
        except httpx2.TransportError:
            return False
        return True

    try:
        wait_until(answers, "the probe to answer", seconds=30)
        (frozen,) = answered
        # Start-up's objects (modules, the app) are tens of thousands; unfrozen this is 0.
        assert frozen > 10_000
    finally:
        process.terminate()
        process.wait(timeout=30)

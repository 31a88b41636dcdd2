"""How the app is served: uvicorn, with a bound on the time a request's head may take.

uvicorn drops an idle keep-alive connection after ``timeout_keep_alive``, but only once a first
response has been sent: a client that connects and then sends nothing, or its headers a byte at
a time, holds a connection (and a file descriptor) for as long as it likes. 1,000 such clients
were held open. :class:`HeadTimeoutProtocol` gives the head of every request (request line and
headers, the first one and each one after it on a kept-alive connection)
``TRACEGRAPH_HEADER_TIMEOUT_SECONDS`` (from the connection's opening for the first request, from
its first byte for later ones); a request whose head is not complete by then gets a 408 and the
connection is closed. The body has its own bound (tracegraph.http, HTTP 408 too).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import multiprocessing.process
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from graph.database import Database
from tracegraph.app import migrate_at_start
from tracegraph.http import error_body
from tracegraph.settings import Settings

log = logging.getLogger("tracegraph.serving")


class HeadTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline on each request head."""

    head_timeout_seconds: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_timeout_seconds, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._head_timer is None:
            # A later request on a kept-alive connection: its deadline runs from its first byte
            # (the wait before it is uvicorn's keep-alive timeout's to bound).
            self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        body = error_body(
            f"the request's headers did not arrive within {self.head_timeout_seconds:g} s",
            "REQUEST_TIMEOUT",
        )
        self.transport.write(
            b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
            + body
        )
        self.transport.close()


def head_timeout_protocol(seconds: float) -> type[HeadTimeoutProtocol]:
    """The protocol class uvicorn instantiates per connection, with this deadline."""
    return type("HeadTimeoutProtocol", (HeadTimeoutProtocol,), {"head_timeout_seconds": seconds})


def uvicorn_config(app: ASGIApp, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """The uvicorn configuration ``tracegraph serve`` runs with (tests serve through it too)."""
    options: dict[str, Any] = {
        "host": settings.tracegraph_host,
        "port": settings.tracegraph_port,
        "log_config": None,
        "access_log": False,
        "http": head_timeout_protocol(settings.tracegraph_header_timeout_seconds),
        **overrides,
    }
    return uvicorn.Config(app, **options)


def serve(settings: Settings, app_factory: Callable[[Settings], ASGIApp]) -> None:
    """Serve until told to stop: in this process, or in ``TRACEGRAPH_WORKERS`` forked ones.

    One process runs one event loop on one core, so a second core only helps through a second
    process; the workers share one listening socket and the kernel spreads connections over them.
    """
    if settings.tracegraph_workers == 1:
        config = uvicorn_config(app_factory(settings), settings)
        freeze_heap()
        uvicorn.Server(config).run()
        return
    Workers(settings, app_factory).run()


def freeze_heap() -> None:
    """Keep what start-up built (the schemas, parsed Cypher, modules) out of garbage collection.

    Python's full collection walks every live object: with the app built that is ~150,000 of
    them and 70-85 ms with the event loop stopped, every few seconds under load, so it made the
    slowest 5 % of requests (a mutation bench at 16 clients: p95 116 ms, 60 ms frozen). Frozen,
    a collection walks only what requests made since. Forked workers inherit the frozen heap,
    which also keeps its pages shared (a collection no longer writes to them).
    """
    gc.collect()
    gc.freeze()


class Workers:
    """A parent that binds the port, migrates once, forks the workers and keeps them running.

    Forked, not spawned: a worker inherits the built app (parsed Cypher, schema) and the socket,
    and nothing has to be pickled. The driver is made by each worker's lifespan, after the fork,
    as a driver must not cross one. A worker that dies is replaced; SIGTERM or SIGINT stops all.
    """

    def __init__(self, settings: Settings, app_factory: Callable[[Settings], ASGIApp]) -> None:
        self.settings = settings
        # Migrations run once, here: workers racing the same schema change would fail.
        self.worker_settings = settings.model_copy(update={"tracegraph_migrate_on_serve": False})
        self.app_factory = app_factory
        self.stopping = threading.Event()
        self.processes: list[multiprocessing.process.BaseProcess] = []

    def run(self) -> None:
        if self.settings.tracegraph_migrate_on_serve:
            asyncio.run(_migrate_once(self.settings))
        config = uvicorn_config(self.app_factory(self.worker_settings), self.worker_settings)
        sock = config.bind_socket()
        freeze_heap()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stopping.set())
        context = multiprocessing.get_context("fork")
        try:
            self.processes = [self._start(context, config, sock, i) for i in range(self._count)]
            while not self.stopping.wait(0.5):
                for i, process in enumerate(self.processes):
                    if not process.is_alive():
                        log.error(
                            "worker exited; starting another",
                            extra={"pid": process.pid, "exitcode": process.exitcode},
                        )
                        self.processes[i] = self._start(context, config, sock, i)
        finally:
            self._stop_all()
            sock.close()

    @property
    def _count(self) -> int:
        return self.settings.tracegraph_workers

    @staticmethod
    def _start(
        context: Any, config: uvicorn.Config, sock: socket.socket, index: int
    ) -> multiprocessing.process.BaseProcess:
        process: multiprocessing.process.BaseProcess = context.Process(
            target=_work, args=(config, sock, os.getpid()), name=f"tracegraph-worker-{index}"
        )
        process.start()
        return process

    def _stop_all(self) -> None:
        for process in self.processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        # uvicorn's own graceful shutdown finishes open requests; a worker stuck past it is killed.
        deadline = time.monotonic() + 30.0
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()


def _work(config: uvicorn.Config, sock: socket.socket, parent: int) -> None:
    # The parent's handlers only set its flag; uvicorn installs its own while it serves.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_stop_without, args=(parent,), daemon=True).start()
    uvicorn.Server(config).run(sockets=[sock])


def _stop_without(parent: int) -> None:
    """Stop this worker (gracefully, as SIGTERM does) once its parent is gone.

    A parent killed outright (SIGKILL, OOM) cannot stop its workers, which would go on holding
    the port; the kernel gives an orphan another parent, so a changed parent id tells.
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


async def _migrate_once(settings: Settings) -> None:
    db = Database.from_settings(settings)
    try:
        await migrate_at_start(db)
    finally:
        await db.close()

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
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tracegraph.http import error_body
from tracegraph.settings import Settings


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

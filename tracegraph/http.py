"""The HTTP edge of ``/graphql``: what a request must be before GraphQL sees it.

Every malformed request is answered here, as JSON in the GraphQL error shape, with a 4xx status:
a body over ``GRAPHQL_MAX_BODY_BYTES`` (413, read no further than the limit, whatever
Content-Length claims), a query text over ``GRAPHQL_MAX_QUERY_CHARS`` (413), a body that is not a
JSON object (400), a media type other than JSON or a multipart upload (415; media types compare
case-insensitively; a multipart body may be ``max_upload_body_bytes`` long),
and strawberry's own plain-text refusals (re-shaped as JSON). A body that does not arrive within
``TRACEGRAPH_BODY_TIMEOUT_SECONDS`` is a 408, so a client sending half a request does not keep
its place; past ``TRACEGRAPH_MAX_CONCURRENT_REQUESTS`` requests in flight in this worker, the
next ones get 503 with ``Retry-After`` at once instead of queueing.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def error_body(message: str, code: str) -> bytes:
    return orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})


async def _answer(
    send: Send, status: int, message: str, code: str, *, retry_after: int | None = None
) -> None:
    body = error_body(message, code)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GraphQLRequestGuard:
    """ASGI middleware in front of the GraphQL app (see the module's doc)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_query_chars: int,
        max_upload_body_bytes: int | None = None,
        body_timeout: float = 10.0,
        max_concurrent: int = 64,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_body_bytes = max_upload_body_bytes
        self.max_query_chars = max_query_chars
        self.body_timeout = body_timeout
        self.max_concurrent = max_concurrent
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _json_refusals(send)
        if self.in_flight >= self.max_concurrent:
            await _answer(
                send, 503, "the service is busy; retry shortly", "SERVICE_BUSY", retry_after=1
            )
            return
        self.in_flight += 1
        try:
            await self._guarded(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == "multipart/form-data" and self.max_upload_body_bytes is not None:
            await self._multipart(scope, headers, receive, send)
            return
        if media_type != "application/json":
            await _answer(
                send, 415, "send the request as application/json", "UNSUPPORTED_MEDIA_TYPE"
            )
            return
        try:
            body = await asyncio.wait_for(self._body(headers, receive), self.body_timeout)
        except TimeoutError:
            await _answer(
                send,
                408,
                f"the request body did not arrive within {self.body_timeout:g} s",
                "REQUEST_TIMEOUT",
            )
            return
        if body is None:
            await _answer(
                send,
                413,
                f"the request body is larger than {self.max_body_bytes} bytes",
                "REQUEST_TOO_LARGE",
            )
            return
        problem = self._problem(body)
        if problem is not None:
            status, message, code = problem
            await _answer(send, status, message, code)
            return
        # Strawberry compares the media type exactly: hand it the normalised one.
        scope = dict(scope)
        scope["headers"] = [
            (k, b"application/json" if k == b"content-type" else v) for k, v in scope["headers"]
        ]
        await self.app(scope, _replay(body), send)

    async def _multipart(
        self, scope: Scope, headers: Headers, receive: Receive, send: Send
    ) -> None:
        """An upload (GraphQL multipart request): bounded and timed like any body, then handed
        on whole; strawberry checks its parts and answers their problems as 400s."""
        limit = self.max_upload_body_bytes
        assert limit is not None
        try:
            body = await asyncio.wait_for(self._body(headers, receive, limit), self.body_timeout)
        except TimeoutError:
            await _answer(
                send,
                408,
                f"the request body did not arrive within {self.body_timeout:g} s",
                "REQUEST_TIMEOUT",
            )
            return
        if body is None:
            await _answer(
                send, 413, f"the upload is larger than {limit} bytes", "REQUEST_TOO_LARGE"
            )
            return
        try:
            await self.app(scope, _replay(body), send)
        except HTTPException as e:  # a malformed form (no boundary, a broken part)
            await _answer(send, e.status_code, f"bad multipart request: {e.detail}", "BAD_REQUEST")

    async def _body(
        self, headers: Headers, receive: Receive, limit: int | None = None
    ) -> bytes | None:
        limit = self.max_body_bytes if limit is None else limit
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _problem(self, body: bytes) -> tuple[int, str, str] | None:
        try:
            data: Any = orjson.loads(body)
        except orjson.JSONDecodeError:
            return 400, "the request body is not valid JSON", "BAD_REQUEST"
        if not isinstance(data, dict):
            return 400, "the request body must be a JSON object with a query", "BAD_REQUEST"
        query = data.get("query")
        if isinstance(query, str) and len(query) > self.max_query_chars:
            return (
                413,
                f"the query is longer than {self.max_query_chars} characters",
                "QUERY_TOO_LONG",
            )
        return None


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _json_refusals(send: Send) -> Send:
    """Re-shape the GraphQL app's plain-text 4xx answers as JSON errors."""
    held: Message | None = None

    async def wrapped(message: Message) -> None:
        nonlocal held
        if message["type"] == "http.response.start":
            headers = Headers(raw=message.get("headers", []))
            if 400 <= message["status"] < 500 and headers.get("content-type", "").startswith(
                "text/plain"
            ):
                held = message
                return
        elif message["type"] == "http.response.body" and held is not None:
            text = message.get("body", b"").decode("utf-8", "replace").strip()
            body = error_body(text or "bad request", "BAD_REQUEST")
            start = dict(held)
            start["headers"] = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
            held = None
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await send(message)

    return wrapped

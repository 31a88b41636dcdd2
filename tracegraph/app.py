"""The Starlette application: ``/graphql``, ``/healthz``, ``/readyz``."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from graph import about as about_tx
from graph import migrations, queries
from graph.database import Database
from resolvers.context import Context
from schema.root import build_schema
from tracegraph.auth import (
    AuthError,
    AuthMiddleware,
    KeysUnavailableError,
    TokenVerifier,
    check_auth_settings,
    log_auth_failure,
    protects,
    request_caller,
)
from tracegraph.blobs import BlobStore, UploadPolicy
from tracegraph.downloads import download_endpoint
from tracegraph.errors import ConfigError, TracegraphError
from tracegraph.exports import export_endpoint
from tracegraph.http import GraphQLRequestGuard
from tracegraph.ide import ide_endpoint
from tracegraph.logs import request_id_var
from tracegraph.reports import report_endpoint
from tracegraph.settings import Settings

log = logging.getLogger("tracegraph.app")


async def migrate_at_start(db: Database) -> None:
    """Apply pending migrations; when the database is away, log why and serve anyway."""
    try:
        await db.verify()
        applied = await migrations.migrate(db)
        if applied:
            log.info("migrations applied", extra={"versions": [m.version for m in applied]})
    except TracegraphError as e:
        # /readyz reports the reason until the database is back.
        log.error(
            "migrations not applied at start-up", extra={"reason": str(e), "detail": e.detail}
        )


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with tracegraph's context and error shape."""

    def __init__(self, settings: Settings, verifier: TokenVerifier) -> None:
        # No IDE on /graphql itself: that path needs a token, the page does not (see /graphiql).
        # Multipart (uploads) is safe from CSRF here: a caller is a bearer token in a header,
        # which no cross-site form can send; cookies carry nothing.
        super().__init__(build_schema(settings), graphql_ide=None, multipart_uploads_enabled=True)
        self.max_page_size = settings.graphql_max_page_size
        self.mass_balance_tolerance = settings.tracegraph_mass_balance_tolerance_percent
        self.uploads = upload_policy(settings)
        self.rating_thresholds = settings.rating_thresholds
        self.verifier = verifier

    # orjson: a 10,000-string answer encodes in a tenth of the time json.dumps takes.
    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)  # its JSONDecodeError is json's, which strawberry answers

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        # The lifespan put the process's one Database (one AsyncDriver) on the app state.
        db: Database = request.app.state.db
        return Context(
            db=db,
            # HTTP: the caller AuthMiddleware verified (None if it did not run: no data then).
            # A websocket has none until its connection_init payload carries a token.
            principal=request_caller(request.scope) if isinstance(request, Request) else None,
            max_page_size=self.max_page_size,
            mass_balance_tolerance_percent=self.mass_balance_tolerance,
            uploads=self.uploads,
            rating_thresholds=self.rating_thresholds,
        )

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        """graphql-transport-ws: the token travels in connection_init's payload (browsers cannot
        set headers on a websocket), as ``{"Authorization": "Bearer <token>"}``."""
        params = context.connection_params or {}
        header = params.get("Authorization", params.get("authorization"))
        try:
            context.principal = await self.verifier.verify_header(
                header if isinstance(header, str) else None
            )
        except AuthError as e:
            log_auth_failure(e, path="/graphql (websocket)", client=None)
            raise ConnectionRejectionError({"message": str(e), "reason": e.reason}) from e
        except KeysUnavailableError as e:
            log.error("websocket refused: %s", e, extra={"event": "jwks_unavailable"})
            raise ConnectionRejectionError({"message": "sign-in is unavailable"}) from e
        return None

    async def process_result(
        self, request: Request | WebSocket, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            # Already shaped by the schema (schema.errors): each carries its extensions.code.
            data["errors"] = [e.formatted for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data


class RequestIdMiddleware:
    """Tags each HTTP request with an id (``x-request-id`` in, or a new one) and logs one line.

    A plain ASGI middleware rather than ``BaseHTTPMiddleware``: that one runs the endpoint in a
    task group behind memory streams, which cost about 0.2 ms per request (a fifth of an empty
    GraphQL round trip).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = Headers(scope=scope).get("x-request-id") or uuid.uuid4().hex[:16]
        status = 500  # what the log says if the app fails before it starts a response
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["x-request-id"] = request_id
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    db: Database = request.app.state.db
    try:
        await db.verify()  # no retries: a probe must answer now, not after the retry window
        await db.read(about_tx.ping)
        status = await migrations.migration_status(db)
    except TracegraphError as e:
        return JSONResponse({"status": "unavailable", "reason": str(e)}, status_code=503)
    if status.pending:
        names = ", ".join(f"{m.version:03d}_{m.name}" for m in status.pending)
        return JSONResponse(
            {"status": "unavailable", "reason": f"migrations not applied: {names}"},
            status_code=503,
        )
    return JSONResponse({"status": "ready", "migrations": len(status.applied)})


def upload_policy(settings: Settings) -> UploadPolicy:
    return UploadPolicy(
        store=BlobStore(settings.documents_dir),
        max_bytes=settings.tracegraph_max_upload_bytes,
        allowed=settings.tracegraph_upload_types,
    )


def create_app(settings: Settings) -> Starlette:
    """Build the app; the driver is created and closed by the lifespan, once per process."""
    queries.registry()  # parse every .cypher file now: a bad one stops start-up here
    migrations.load_migrations()
    check_auth_settings(settings)  # prod without a secret stops here, with what to set
    for served in ("/graphql", "/exports", "/reports"):
        if not protects(settings.tracegraph_auth_paths, served):
            raise ConfigError(f"TRACEGRAPH_AUTH_PATHS must include {served}: it serves data")
    verifier = TokenVerifier(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = Database.from_settings(settings)
        app.state.db = db
        try:
            if settings.tracegraph_migrate_on_serve:
                await migrate_at_start(db)
            yield
        finally:
            await db.close()

    graphql = GraphQLApp(settings, verifier)
    ide = (
        [Route("/graphiql", ide_endpoint(settings), methods=["GET"])]
        if settings.tracegraph_env == "dev"
        else []
    )
    # Outermost first: every answer (401s and CORS preflights included) gets a request id, and a
    # preflight is answered before auth (browsers send no Authorization header with it).
    middleware = [Middleware(RequestIdMiddleware)]
    if settings.tracegraph_cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.tracegraph_cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "x-request-id"],
                expose_headers=["x-request-id"],
                max_age=600,
            )
        )
    middleware.append(Middleware(AuthMiddleware, verifier=verifier))
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *ide,
            Route(
                "/graphql",
                GraphQLRequestGuard(
                    graphql,
                    max_body_bytes=settings.graphql_max_body_bytes,
                    # A multipart request carries one file and its small operations part.
                    max_upload_body_bytes=settings.tracegraph_max_upload_bytes + 64 * 1024,
                    max_query_chars=settings.graphql_max_query_chars,
                    body_timeout=settings.tracegraph_body_timeout_seconds,
                    max_concurrent=settings.tracegraph_max_concurrent_requests,
                ),
                methods=["GET", "POST"],
            ),
            Route(
                "/documents/{document_id}",
                download_endpoint(graphql.uploads.store),
                methods=["GET"],
            ),
            Route("/exports/fsma204.csv", export_endpoint("csv"), methods=["GET"]),
            Route("/exports/fsma204.xlsx", export_endpoint("xlsx"), methods=["GET"]),
            Route("/reports/mock-recall.json", report_endpoint("json"), methods=["GET"]),
            Route("/reports/mock-recall.html", report_endpoint("html"), methods=["GET"]),
            # The same app speaks graphql-transport-ws (strawberry): errors are shaped alike.
            WebSocketRoute("/graphql", graphql),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app

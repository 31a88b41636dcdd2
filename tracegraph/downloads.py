"""``GET /documents/{id}``: an uploaded file, to callers who may see what it belongs to.

Behind the same bearer token as ``/graphql`` (``/documents`` is in TRACEGRAPH_AUTH_PATHS by
default). Whether the caller may read it is decided in Cypher (documents.visible: the order the
document belongs to is in the caller's scope); a document the caller may not see answers 404,
exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from graph import documents
from graph.database import Database
from tracegraph.auth import request_caller
from tracegraph.blobs import BlobStore
from tracegraph.http import error_body


def _refusal(status: int, message: str, code: str) -> Response:
    return Response(error_body(message, code), status_code=status, media_type="application/json")


def download_endpoint(store: BlobStore) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        caller = request_caller(request.scope)
        if caller is None:  # the middleware lets no request here without one; fail closed
            return _refusal(401, "sign in first", "UNAUTHENTICATED")
        db: Database = request.app.state.db
        document_id = request.path_params["document_id"]
        found = await db.read(documents.visible, document_id, caller.scope())
        if found is None:
            return _refusal(404, f"no document {document_id!r}", "NOT_FOUND")
        path = store.path(found["sha256"])
        if not path.exists():
            return JSONResponse(
                {"errors": [{"message": "the file is missing", "extensions": {"code": "GONE"}}]},
                status_code=410,
            )
        return FileResponse(
            path,
            media_type=found["content_type"],
            filename=found["name"],
            content_disposition_type="attachment",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
        )

    return download

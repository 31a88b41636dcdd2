"""``GET /exports/fsma204.csv`` and ``.xlsx``: the FSMA 204 sortable spreadsheet (graph.fsma).

Behind the same bearer token as ``/graphql`` (``/exports`` is in TRACEGRAPH_AUTH_PATHS by
default, and the app refuses to start without it). Query parameters: ``lot`` (a lot number),
``from`` and ``to`` (ISO dates, inclusive), at least one of them; ``sort``: a column, ``-column``
for descending (default ``date``). A parameter that is wrong answers 400 with a JSON error naming
it (``extensions.parameter``); a lot the caller may not read answers 404, exactly as one that
does not exist; a date range answers only the rows in the caller's scope (possibly none).

CSV is streamed as the rows come. XLSX (openpyxl, write_only: rows go to a temporary file, not
to memory) is written to a temporary file first, as the format is a zip whose directory comes
last, then streamed from it and deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, Literal

import orjson
from openpyxl import Workbook
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from graph import fsma
from graph.database import Database
from tracegraph.auth import request_caller
from tracegraph.errors import TracegraphError
from tracegraph.http import error_body

PARAMETERS = ("lot", "from", "to", "sort")
MAX_LOT_CHARS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
# A cell starting with one of these is a formula to a spreadsheet (CSV injection): such text is
# written behind an apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class BadParameterError(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def refusal(status: int, message: str, code: str) -> Response:
    return Response(error_body(message, code), status_code=status, media_type="application/json")


def bad_parameter(e: BadParameterError) -> Response:
    body = {
        "errors": [
            {"message": str(e), "extensions": {"code": "BAD_REQUEST", "parameter": e.parameter}}
        ]
    }
    return Response(orjson.dumps(body), status_code=400, media_type="application/json")


def _date(request: Request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameterError(
            name, f"{name}: expected a date as YYYY-MM-DD, got {value!r}"
        ) from None


def check_parameters(request: Request, known: tuple[str, ...]) -> QueryParams:
    """The query parameters, or :class:`BadParameterError` naming one unknown or repeated."""
    params = request.query_params
    for name in params:
        if name not in known:
            raise BadParameterError(name, f"{name}: unknown parameter; expected {', '.join(known)}")
        if len(params.getlist(name)) > 1:
            raise BadParameterError(name, f"{name}: given more than once")
    return params


def lot_parameter(lot: str | None) -> str | None:
    """``lot`` as given (None: not given), or :class:`BadParameterError` when blank or too long."""
    if lot is not None and not (0 < len(lot.strip()) <= MAX_LOT_CHARS):
        raise BadParameterError(
            "lot", f"lot: expected a lot number of 1 to {MAX_LOT_CHARS} characters"
        )
    return lot


def selection(request: Request) -> fsma.Selection:
    """The export asked for, or :class:`BadParameterError` naming the first wrong parameter."""
    params = check_parameters(request, PARAMETERS)
    lot = lot_parameter(params.get("lot"))
    start, end = _date(request, "from"), _date(request, "to")
    if lot is None and start is None and end is None:
        raise BadParameterError("lot", "lot: give a lot, or a date range with from and/or to")
    if start is not None and end is not None and start > end:
        raise BadParameterError("to", f"to: {end} is before from ({start})")
    sort = params.get("sort", fsma.DEFAULT_SORT)
    column = sort.removeprefix("-")
    if column not in fsma.COLUMNS:
        raise BadParameterError(
            "sort",
            f"sort: expected one of {', '.join(fsma.COLUMNS)} (- first: descending), got {sort!r}",
        )
    return fsma.Selection(
        lot_number=lot.strip() if lot is not None else None,
        start=start,
        end=end,
        sort=column,
        descending=sort.startswith("-"),
    )


def _text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: Iterable[fsma.Row]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([_text(v) for v in row] for row in rows)
    return out.getvalue().encode()


DATE_COLUMN = fsma.COLUMNS.index("date")


def _cells(row: fsma.Row) -> list[Any]:
    # A real date, so that a spreadsheet sorts and filters it as one.
    return [
        dt.date.fromisoformat(v) if i == DATE_COLUMN and v is not None else _text(v)
        for i, v in enumerate(row)
    ]


def export_endpoint(kind: Literal["csv", "xlsx"]) -> Callable[[Request], Awaitable[Response]]:
    async def export(request: Request) -> Response:
        caller = request_caller(request.scope)
        if caller is None:  # the middleware lets no request here without one; fail closed
            return refusal(401, "sign in first", "UNAUTHENTICATED")
        try:
            chosen = selection(request)
        except BadParameterError as e:
            return bad_parameter(e)
        db: Database = request.app.state.db
        scope = caller.scope()
        try:
            if chosen.lot_number is not None and not await db.read(
                fsma.lot_visible, chosen.lot_number, scope
            ):
                return refusal(404, f"no lot {chosen.lot_number!r}", "NOT_FOUND")
            if kind == "csv":
                return await _csv_response(db, chosen, scope)
            return await _xlsx_response(db, chosen, scope)
        except TracegraphError as e:
            return refusal(503, str(e), e.code)

    return export


async def _csv_response(db: Database, chosen: fsma.Selection, scope: dict[str, Any]) -> Response:
    chunks = fsma.rows(db, chosen, scope)
    # The first chunk before the answer starts: a database that fails now still gets a status.
    first: list[fsma.Row] = await anext(chunks, [])

    async def body() -> AsyncIterator[bytes]:
        try:
            yield _csv([fsma.COLUMNS, *first])
            async for chunk in chunks:
                yield _csv(chunk)
        finally:
            await chunks.aclose()

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": 'attachment; filename="fsma204.csv"'},
    )


async def _xlsx_response(db: Database, chosen: fsma.Selection, scope: dict[str, Any]) -> Response:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("FSMA 204")
    sheet.append(list(fsma.COLUMNS))

    def append(chunk: list[fsma.Row]) -> None:
        for row in chunk:
            sheet.append(_cells(row))

    handle, name = tempfile.mkstemp(prefix="tracegraph-fsma-", suffix=".xlsx")
    os.close(handle)
    try:
        chunks = fsma.rows(db, chosen, scope)
        try:
            async for chunk in chunks:
                # openpyxl is synchronous: a thread, so that other requests are served meanwhile.
                await run_in_threadpool(append, chunk)
        finally:
            await chunks.aclose()
        await run_in_threadpool(book.save, name)
    except BaseException:
        os.unlink(name)
        raise
    return FileResponse(
        name,
        media_type=XLSX,
        filename="fsma204.xlsx",
        content_disposition_type="attachment",
        headers=HEADERS,
        background=BackgroundTask(os.unlink, name),
    )

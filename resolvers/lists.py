"""Glue for list fields: page size, opaque keyset cursors, one page query and a lazy count."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graph import entities
from graph.entities import ReadModel
from resolvers.context import Info
from tracegraph.errors import InvalidCursorError, InvalidInputError, PageSizeExceededError

M = TypeVar("M", bound=ReadModel)


def encode_cursor(sort: str, sort_key: Any, key: str) -> str:
    raw = json.dumps({"s": sort, "sk": sort_key, "k": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str, sort: str) -> dict[str, Any]:
    """``{sk, key}`` for the page query; a cursor of another sort order is refused."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(data, dict) or not isinstance(data.get("k"), str):
            raise ValueError("not a cursor")
    except (ValueError, binascii.Error, UnicodeDecodeError) as e:
        raise InvalidCursorError(f"cursor {cursor!r} is not one this API issued") from e
    if data.get("s") != sort:
        raise InvalidCursorError(
            f"cursor was issued for sort {data.get('s')!r}, not {sort!r}: start again without it"
        )
    return {"sk": data.get("sk"), "key": data["k"]}


def check_page_size(info: Info, first: int) -> None:
    """Refuse a page size below 0 or above the API's maximum."""
    if first < 0:
        raise InvalidInputError(f"first must be 0 or more, got {first}")
    if first > info.context.max_page_size:
        raise PageSizeExceededError(
            f"first is {first} but a page holds at most {info.context.max_page_size} items:"
            " page with the after cursor"
        )


@dataclass
class Page(Generic[M]):
    """One page: (cursor, record) pairs, whether more follow, and how to count the whole list."""

    items: list[tuple[str, M]]
    has_next_page: bool
    count: Callable[[], Awaitable[int]]


async def page(
    info: Info,
    name: str,
    model: type[M],
    key_of: Callable[[M], str],
    *,
    filter: dict[str, Any],
    sort: str,
    first: int,
    after: str | None,
) -> Page[M]:
    """Run ``api.<name>_page`` for ``first`` items after ``after``; the count runs only if asked."""
    ctx = info.context
    check_page_size(info, first)
    scope = ctx.caller.scope()
    cursor = decode_cursor(after, sort) if after is not None else None
    rows = await ctx.db.read(
        entities.page,
        f"api.{name}_page",
        model,
        filter=filter,
        scope=scope,
        sort=sort,
        after=cursor,
        rows=first + 1,
    )

    async def count() -> int:
        return await ctx.db.read(entities.count, f"api.{name}_count", filter=filter, scope=scope)

    items = [(encode_cursor(sort, sk, key_of(rec)), rec) for sk, rec in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, count=count)

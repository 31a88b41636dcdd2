"""Relay-style connections shared by every list: edges with opaque cursors, page info, count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type(description="Where this page sits in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="True when more items follow; pass endCursor as `after` to get them."
    )
    end_cursor: str | None = strawberry.field(
        description="Opaque cursor of the last item of this page (null on an empty page)."
    )


@strawberry.type(description="One item of a page with its opaque, stable cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list, filtered and sorted in the database (at most the API's "
    "maximum page size per page)."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page with cursors.")
    page_info: PageInfo = strawberry.field(description="Whether more items follow.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The items of this page without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description="How many items the filter selects in all (one extra query, only when asked)."
    )
    async def total_count(self) -> int:
        return await self.count()


def connection(
    items: list[tuple[str, T]], has_next_page: bool, count: Callable[[], Awaitable[int]]
) -> Connection[T]:
    """Build a connection from (cursor, node) pairs."""
    edges = [Edge(cursor=cursor, node=node) for cursor, node in items]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next_page, end_cursor=edges[-1].cursor if edges else None
        ),
        count=count,
    )

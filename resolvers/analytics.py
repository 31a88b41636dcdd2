"""Glue for the analytics fields: scope, settings and cursors around graph/analytics.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from graph import analytics
from graph.analytics import (
    CostRowModel,
    ParetoEntryModel,
    RootCauseRankingModel,
    SupplierScorecardModel,
)
from resolvers.context import Info
from resolvers.lists import Page, check_page_size, decode_cursor, encode_cursor
from tracegraph.errors import InvalidInputError

MAX_TOP = 100


async def scorecards(
    info: Info,
    *,
    supplier_id: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    sort: str,
    first: int,
    after: str | None,
) -> Page[SupplierScorecardModel]:
    ctx = info.context
    check_page_size(info, first)
    scope = ctx.caller.scope()
    rows = await ctx.db.read(
        analytics.scorecard_page,
        supplier_id=supplier_id,
        date_from=date_from,
        date_to=date_to,
        scope=scope,
        ratings=ctx.rating_thresholds,
        sort=sort,
        after=decode_cursor(after, sort) if after is not None else None,
        rows=first + 1,
    )

    async def count() -> int:
        return await ctx.db.read(analytics.scorecard_count, supplier_id=supplier_id, scope=scope)

    items = [(encode_cursor(sort, sk, card.supplier_id), card) for sk, card in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, count=count)


async def pareto(
    info: Info, *, filter: dict[str, Any], measure: str
) -> dict[str, list[ParetoEntryModel]]:
    """Every dimension's top ``MAX_TOP`` entries (each list field takes its own first few)."""
    ctx = info.context
    return await ctx.db.read(
        analytics.pareto, filter=filter, scope=ctx.caller.scope(), measure=measure, top=MAX_TOP
    )


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_TOP:
        raise InvalidInputError(f"limit must be between 1 and {MAX_TOP}, got {limit}")


async def issue_totals(info: Info, *, filter: dict[str, Any]) -> CostRowModel:
    ctx = info.context
    return await ctx.db.read(analytics.issue_totals, filter=filter, scope=ctx.caller.scope())


async def cost_groups(
    info: Info, *, filter: dict[str, Any], group: str, sort: str, first: int, after: str | None
) -> Page[CostRowModel]:
    ctx = info.context
    check_page_size(info, first)
    scope = ctx.caller.scope()
    cursor_sort = f"{group}:{sort}"
    rows = await ctx.db.read(
        analytics.cost_page,
        filter=filter,
        scope=scope,
        group=group,
        sort=sort,
        after=decode_cursor(after, cursor_sort) if after is not None else None,
        rows=first + 1,
    )

    async def count() -> int:
        return await ctx.db.read(analytics.cost_count, filter=filter, scope=scope, group=group)

    items = [(encode_cursor(cursor_sort, sk, str(row.key)), row) for sk, row in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, count=count)


async def ranking(
    info: Info,
    *,
    serials: Sequence[str] | None,
    issue_id: str | None,
    defective_status: bool,
    date_from: dt.date | None,
    date_to: dt.date | None,
    first: int,
) -> RootCauseRankingModel:
    given = [serials is not None, issue_id is not None, defective_status]
    if sum(given) != 1:
        raise InvalidInputError(
            "name the defective serials one way: serials, issueId, or defectiveStatus: true"
        )
    check_limit(first)
    ctx = info.context
    scope = ctx.caller.scope()
    if serials is None:
        serials = await ctx.db.read(
            analytics.defective_serials,
            issue_id=issue_id,
            date_from=date_from,
            date_to=date_to,
            scope=scope,
        )
    if len(serials) > analytics.MAX_DEFECTIVE:
        raise InvalidInputError(
            f"at most {analytics.MAX_DEFECTIVE} defective serials, got {len(serials)}"
        )
    return await ctx.db.read(
        analytics.root_cause_ranking,
        serials=serials,
        date_from=date_from,
        date_to=date_to,
        scope=scope,
        first=first,
    )

"""Resolvers for the traces: caller scope in, ``graph.traces`` transaction functions out.

They return the pydantic records of :mod:`graph.traces`; ``schema.traces`` converts them into the
GraphQL types (so this module never imports the schema and the types can call back into it).
"""

from __future__ import annotations

from graph import traces as traces_tx
from resolvers.context import Info


async def forward_trace(
    info: Info,
    *,
    lot_number: str | None,
    batch_id: str | None,
    supplier_id: str | None,
    max_depth: int,
    first: int,
    after: str | None,
) -> traces_tx.ForwardTrace:
    ctx = info.context
    return await ctx.db.read(
        traces_tx.forward_trace,
        lot_number=lot_number,
        batch_id=batch_id,
        supplier_id=supplier_id,
        max_depth=max_depth,
        scope=ctx.caller.scope(),
        first=first,
        after=after,
    )


async def forward_serial_numbers(
    info: Info,
    *,
    lot_number: str | None,
    batch_id: str | None,
    supplier_id: str | None,
    max_depth: int,
) -> list[str]:
    ctx = info.context
    return await ctx.db.read(
        traces_tx.forward_serial_numbers,
        lot_number=lot_number,
        batch_id=batch_id,
        supplier_id=supplier_id,
        max_depth=max_depth,
        scope=ctx.caller.scope(),
    )


async def forward_subgraph(
    info: Info,
    *,
    lot_number: str | None,
    batch_id: str | None,
    supplier_id: str | None,
    max_depth: int,
    limit: int,
) -> traces_tx.Subgraph:
    ctx = info.context
    return await ctx.db.read(
        traces_tx.forward_subgraph,
        lot_number=lot_number,
        batch_id=batch_id,
        supplier_id=supplier_id,
        max_depth=max_depth,
        scope=ctx.caller.scope(),
        max_nodes=limit,
    )


async def backward_trace(
    info: Info,
    *,
    serial_number: str | None,
    batch_id: str | None,
    issue_id: str | None,
    max_depth: int,
) -> traces_tx.BackwardTrace:
    ctx = info.context
    return await ctx.db.read(
        traces_tx.backward_trace,
        serial_number=serial_number,
        batch_id=batch_id,
        issue_id=issue_id,
        max_depth=max_depth,
        scope=ctx.caller.scope(),
    )


async def backward_subgraph(
    info: Info,
    *,
    serial_number: str | None,
    batch_id: str | None,
    issue_id: str | None,
    max_depth: int,
    limit: int,
) -> traces_tx.Subgraph:
    ctx = info.context
    return await ctx.db.read(
        traces_tx.backward_subgraph,
        serial_number=serial_number,
        batch_id=batch_id,
        issue_id=issue_id,
        max_depth=max_depth,
        scope=ctx.caller.scope(),
        max_nodes=limit,
    )


async def impact(info: Info, *, lot_number: str) -> traces_tx.Impact:
    ctx = info.context
    return await ctx.db.read(traces_tx.impact, lot_number=lot_number, scope=ctx.caller.scope())

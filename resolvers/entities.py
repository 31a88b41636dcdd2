"""Glue for entity fields: relationship and key lookups through the request's DataLoaders."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from graph import entities
from graph.entities import Record, SupplierQualityMetricsRecord
from resolvers.context import Info
from resolvers.loaders import related

M = TypeVar("M", bound=Record)


async def many(info: Info, name: str, model: type[M], key: str) -> list[M]:
    """Records related to ``key`` by the relationship query ``name`` (batched per request)."""
    return await related(info.context, name, model).load(key)


async def one(info: Info, name: str, model: type[M], key: str) -> M | None:
    """The first (usually only) record related to ``key`` by ``name``, or ``None``."""
    items = await many(info, name, model, key)
    return items[0] if items else None


async def supplier_quality_metrics(
    info: Info, supplier_id: str, date_from: dt.date | None, date_to: dt.date | None
) -> SupplierQualityMetricsRecord:
    ctx = info.context
    return await ctx.db.read(
        entities.supplier_quality_metrics, supplier_id, ctx.caller.scope(), date_from, date_to
    )

"""Glue for entity fields: relationship and key lookups through the request's DataLoaders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graph import entities
from graph.entities import Entity, ReadModel, SupplierQualityMetricsModel
from resolvers.context import Info
from resolvers.loaders import related

M = TypeVar("M", bound=ReadModel)


async def many(info: Info, name: str, model: type[M], key: str) -> list[M]:
    """Records related to ``key`` by the relationship query ``name`` (batched per request)."""
    return await related(info.context, name, model).load(key)


async def one(info: Info, name: str, model: type[M], key: str) -> M | None:
    """The first (usually only) record related to ``key`` by ``name``, or ``None``."""
    items = await many(info, name, model, key)
    return items[0] if items else None


def relation(
    name: str, model: type[M], *, single: bool, keep: Callable[[M], bool] | None = None
) -> Callable[[Entity, Info], Awaitable[Any]]:
    """The resolver of a relationship field: the query ``name`` from the parent's key.

    It returns the related read models as they are (the field's GraphQL type is derived from
    them); ``keep`` filters them, ``single`` answers the first one or null.
    """

    async def resolve(root: Entity, info: Info) -> Any:
        items = await many(info, name, model, root.key)
        if keep is not None:
            items = [item for item in items if keep(item)]
        if single:
            return items[0] if items else None
        return items

    return resolve


async def supplier_quality_metrics(
    info: Info, supplier_id: str, date_from: dt.date | None, date_to: dt.date | None
) -> SupplierQualityMetricsModel:
    ctx = info.context
    return await ctx.db.read(
        entities.supplier_quality_metrics, supplier_id, ctx.caller.scope(), date_from, date_to
    )

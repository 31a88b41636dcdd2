"""Per-request DataLoaders: one per named relationship query, batching every key of a request.

Loaders live in ``Context.loaders`` (created per request with the context), keyed by query name,
so a relationship field costs one Cypher round trip per request level, whatever the list size.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader

from graph import entities
from graph.entities import ReadModel
from resolvers.context import Context

M = TypeVar("M", bound=ReadModel)


def related(ctx: Context, name: str, model: type[M]) -> DataLoader[str, list[M]]:
    """The request's loader for the relationship query ``name`` (parent key -> related records)."""
    existing: Any = ctx.loaders.get(name)
    if existing is not None:
        return cast(DataLoader[str, list[M]], existing)
    scope = ctx.caller.scope()

    async def load(keys: list[str]) -> list[list[M]]:
        found = await ctx.db.read(entities.related, name, model, keys, scope)
        return [found.get(key, []) for key in keys]

    loader: DataLoader[str, list[M]] = DataLoader(load_fn=load)
    ctx.loaders[name] = loader
    return loader

"""What every root lookup and list shares: the key check, the page arguments, the filter path.

A list's filter is a Strawberry input whose fields are exactly the ``$filter.<key>`` entries its
Cypher reads (``api.<list>_page`` and ``api.<list>_count``); :func:`filter_params` turns an input
into that map by the input's own fields, and :func:`check_filter` (run when the schema is built)
refuses a field the Cypher does not read, or a key it reads that the input does not have, so a
typo can never silently turn a filter off.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

import strawberry

from graph import queries
from graph.entities import Entity
from resolvers import entities as r
from resolvers import lists
from resolvers.context import Info
from schema.derive import model_of
from schema.pagination import Connection, connection
from schema.results import InvalidArgument, NotFound, key_problem

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20

FirstArg = Annotated[
    int,
    strawberry.argument(description="Page size (at most the API's maximum, 100 by default)."),
]
AfterArg = Annotated[str | None, strawberry.argument(description="endCursor of the previous page.")]
FILTER_HELP = "Only items matching all given fields."
SORT_HELP = "Order of the items."

_FILTER_KEY = re.compile(r"\$filter\.([A-Za-z_][A-Za-z0-9_]*)")


def _entity_model(entity_type: type) -> type[Entity]:
    model = model_of(entity_type)
    if not issubclass(model, Entity):
        raise TypeError(f"{entity_type.__name__} is not derived from an entity")
    return model


async def lookup(
    info: Info, entity_type: type[T], *, argument: str, key: str, query: str, what: str
) -> T | NotFound | InvalidArgument:
    """A root lookup by key: the key checked, the entity fetched through the request's
    DataLoader, or ``NotFound`` (missing, or outside the caller's scope: the two look alike)."""
    problem = key_problem(argument, key)
    if problem:
        return problem
    found = await r.one(info, query, _entity_model(entity_type), key)
    if found is None:
        return NotFound(message=f"no {what} {key}", key=key)
    # The read model answers for the type derived from it (schema.derive).
    return cast(T, found)


def _param(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_param(item) for item in value]
    return value


def filter_params(value: object | None, filter_type: type) -> dict[str, Any]:
    """The ``$filter`` map of a list: every field of the filter input, null when not given."""
    fields = dataclasses.fields(filter_type)
    return {f.name: _param(getattr(value, f.name)) if value else None for f in fields}


_FILTERS: dict[str, type] = {}
C = TypeVar("C", bound=type)


def filters(list_name: str) -> Callable[[C], C]:
    """Class decorator: this input is the filter of the list ``list_name`` (``api.<list>_page``)."""

    def register(filter_type: C) -> C:
        _FILTERS[list_name] = filter_type
        return filter_type

    return register


def check_filters() -> None:
    """Start-up check: each list has a filter input naming exactly the keys its Cypher reads."""
    registry = queries.registry()
    lists_in_cypher = {
        name.removeprefix("api.").removesuffix("_page")
        for name in registry.names()
        if name.startswith("api.") and name.endswith("_page")
    }
    if lists_in_cypher != set(_FILTERS):
        raise TypeError(
            f"lists without a filter input: {sorted(lists_in_cypher - set(_FILTERS))}; "
            f"filter inputs without a list query: {sorted(set(_FILTERS) - lists_in_cypher)}"
        )
    for list_name, filter_type in _FILTERS.items():
        fields = {f.name for f in dataclasses.fields(filter_type)}
        for suffix in ("page", "count"):
            query = registry[f"api.{list_name}_{suffix}"]
            used = set(_FILTER_KEY.findall(query.text))
            if used != fields:
                raise TypeError(
                    f"{filter_type.__name__} and {query.name} ({query.source}) disagree: "
                    f"fields the Cypher never reads {sorted(fields - used)}, "
                    f"keys it reads that the input lacks {sorted(used - fields)}"
                )


async def page(
    info: Info,
    list_name: str,
    entity_type: type[T],
    *,
    filter: object | None,
    sort: enum.Enum,
    first: int,
    after: str | None,
) -> Connection[T]:
    """One page of the list ``list_name`` as a connection of read models."""
    found = await lists.page(
        info,
        list_name,
        _entity_model(entity_type),
        lambda entity: entity.key,
        filter=filter_params(filter, _FILTERS[list_name]),
        sort=sort.value,
        first=first,
        after=after,
    )
    items = cast(list[tuple[str, T]], found.items)  # read models answer for derived types
    return connection(items, found.has_next_page, found.count)

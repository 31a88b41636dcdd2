"""The schema object, its extensions (limits, caches) and the SDL export."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.config import StrawberryConfig

from schema.cost import CostLimit
from schema.errors import ErrorShape, Schema
from schema.execution import execution_context_class
from schema.limits import document_limits
from schema.listing import check_filters
from schema.mutation import Mutation
from schema.operation_cache import Lru, OperationCache, PreparedOperations
from schema.query import Query
from tracegraph.access import Role
from tracegraph.settings import Settings


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with the limits of ``settings`` (their defaults when none are given).

    Every error leaves with its ``extensions.code`` (schema.errors); the limits' own codes are
    QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_TOKENS and QUERY_TOO_COSTLY.
    """
    limits = settings if settings is not None else Settings.model_construct()
    prepared = PreparedOperations(
        max_tokens=limits.graphql_max_tokens,
        rules=[
            document_limits(
                max_depth=limits.graphql_max_depth, max_aliases=limits.graphql_max_aliases
            ),
            # What strawberry's DisableIntrospection adds, validated (and cached) with the
            # limits: one extension fewer whose hooks every request runs.
            *([] if limits.introspection else [NoSchemaIntrospectionCustomRule]),
        ],
        maxsize=limits.graphql_cache_size,
    )
    check_filters()  # a list filter's fields and its Cypher's $filter keys must agree
    return Schema(
        query=Query,
        mutation=Mutation,
        execution_context_class=execution_context_class(),
        # A factory: a fresh extension per request, sharing this schema's cache.
        extensions=[
            ErrorShape,
            partial(OperationCache, prepared=prepared),
            partial(
                CostLimit,
                default_limit=limits.graphql_max_cost,
                role_limits={Role(r): n for r, n in limits.graphql_max_cost_by_role.items()},
                list_size=limits.graphql_cost_list_size,
                known=Lru(limits.graphql_cache_size),
            ),
        ],
        config=StrawberryConfig(disable_field_suggestions=not limits.introspection),
    )


def export_sdl(path: Path) -> None:
    path.write_text(build_schema().as_str() + "\n", encoding="utf-8")

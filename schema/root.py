"""The schema object, its extensions (limits, caches) and the SDL export."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import strawberry
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from schema.execution import ExecutionContext
from schema.listing import check_filters
from schema.operation_cache import OperationCache, PreparedOperations
from schema.query import Query
from tracegraph.settings import Settings


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with the limits of ``settings`` (their defaults when none are given).

    Errors are shaped and masked in the HTTP view (tracegraph.app), which needs the originals;
    it maps the limits' errors to QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_TOKENS.
    """
    limits = settings if settings is not None else Settings.model_construct()
    prepared = PreparedOperations(
        max_tokens=limits.graphql_max_tokens,
        rules=[
            *QueryDepthLimiter(max_depth=limits.graphql_max_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=limits.graphql_max_aliases).validation_rules,
        ],
        maxsize=limits.graphql_cache_size,
    )
    check_filters()  # a list filter's fields and its Cypher's $filter keys must agree
    return strawberry.Schema(
        query=Query,
        execution_context_class=ExecutionContext,
        # A factory: a fresh extension per request, sharing this schema's cache.
        extensions=[partial(OperationCache, prepared=prepared)],
    )


def export_sdl(path: Path) -> None:
    path.write_text(build_schema().as_str() + "\n", encoding="utf-8")

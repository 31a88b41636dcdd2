"""The schema object, its extensions (limits, caches) and the SDL export."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from schema.execution import ExecutionContext
from schema.query import Query
from tracegraph.settings import Settings


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with the limits of ``settings`` (their defaults when none are given).

    Errors are shaped and masked in the HTTP view (tracegraph.app), which needs the originals;
    it maps the limit extensions' errors to QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_TOKENS.
    """
    limits = settings if settings is not None else Settings.model_construct()
    rules = [
        *QueryDepthLimiter(max_depth=limits.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.graphql_max_aliases).validation_rules,
    ]
    return strawberry.Schema(
        query=Query,
        execution_context_class=ExecutionContext,
        # Factories: a fresh extension per request. The limit rules are built once so the
        # validation cache (keyed by schema, document and rules) hits across requests.
        extensions=[
            partial(MaxTokensLimiter, max_token_count=limits.graphql_max_tokens),
            partial(AddValidationRules, rules),
            partial(ParserCache, maxsize=limits.graphql_cache_size),
            partial(ValidationCache, maxsize=limits.graphql_cache_size),
        ],
    )


def export_sdl(path: Path) -> None:
    path.write_text(build_schema().as_str() + "\n", encoding="utf-8")

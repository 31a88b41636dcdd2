"""The operation cache parses and validates each query text once, under the schema's limits."""

from __future__ import annotations

import pytest
from graphql import GraphQLError, specified_rules
from strawberry.extensions import QueryDepthLimiter

from schema.operation_cache import PreparedOperations
from schema.root import build_schema


def _prepared(maxsize: int = 8) -> PreparedOperations:
    return PreparedOperations(
        max_tokens=20, rules=QueryDepthLimiter(max_depth=2).validation_rules, maxsize=maxsize
    )


def test_a_text_is_parsed_once() -> None:
    prepared = _prepared()
    query = "{ about { version } }"
    assert prepared.document(query) is prepared.document(query)


def test_validation_is_kept_per_text_and_applies_the_limit_rules() -> None:
    prepared = _prepared()
    schema = build_schema()._schema
    rules = tuple(specified_rules) + prepared.rules
    shallow, deep = "{ about { version } }", "{ orders { nodes { batches { batchId } } } }"
    assert prepared.errors(schema, shallow, prepared.document(shallow), rules) == []
    errors = prepared.errors(schema, deep, prepared.document(deep), rules)
    assert "exceeds maximum operation depth" in errors[0].message
    assert prepared.errors(schema, deep, prepared.document(deep), rules) is errors


def test_a_text_over_the_token_limit_is_refused_and_not_kept() -> None:
    prepared = _prepared()
    query = "{ " + " ".join(["a"] * 30) + " }"
    with pytest.raises(GraphQLError, match="tokens"):
        prepared.document(query)
    assert prepared.documents.get(query) is None


def test_the_least_recently_used_text_is_forgotten_first() -> None:
    prepared = _prepared(maxsize=2)
    first, second, third = "{ a }", "{ b }", "{ c }"
    kept = prepared.document(first)
    prepared.document(second)
    prepared.document(first)  # used again: now the second is the oldest
    prepared.document(third)
    assert prepared.documents.get(second) is None
    assert prepared.document(first) is kept

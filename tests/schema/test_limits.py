"""Depth and alias limits: the same verdicts as strawberry's rules, in time linear in the text."""

from __future__ import annotations

import time

import pytest
from graphql import parse, validate
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from schema.limits import document_limits
from schema.root import build_schema

SCHEMA = build_schema()._schema


def _doubling(fragments: int, *, alias: bool = False) -> str:
    """Fragment n spreads fragment n-1 twice: 2^n paths through a ~40-byte-per-line text."""
    field = "a: __typename" if alias else "__typename"
    lines = [f"fragment F0 on Query {{ {field} }}"]
    lines += [f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}" for n in range(1, fragments)]
    return f"{{ ...F{fragments - 1} }}\n" + "\n".join(lines)


def _codes(query: str, *, depth: int = 12, aliases: int = 30) -> list[str]:
    rule = document_limits(max_depth=depth, max_aliases=aliases)
    return [str((e.extensions or {}).get("code")) for e in validate(SCHEMA, parse(query), [rule])]


def _strawberry_refuses(query: str, *, depth: int = 12, aliases: int = 30) -> bool:
    rules = [
        *QueryDepthLimiter(max_depth=depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=aliases).validation_rules,
    ]
    return bool(validate(SCHEMA, parse(query), rules))


DOCUMENTS = [
    "{ orders { nodes { orderNumber } } }",
    "{ orders { nodes { batches { inputLots { supplier { lots { lotNumber } } } } } } }",
    "query Q { a: orders { nodes { b: orderNumber c: orderNumber } } d: suppliers { totalCount } }",
    "{ ...O } fragment O on Query { orders { nodes { ...N } } } fragment N on Order"
    " { x: orderNumber batches { inputLots { supplier { lots { lotNumber } } } } }",
    "{ orders { nodes { ... on Order { batches { ... on Batch {"
    " inputLots { lotNumber } } } } } } }",
    "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }",
    _doubling(6, alias=True),
]


@pytest.mark.parametrize("query", DOCUMENTS)
@pytest.mark.parametrize(("depth", "aliases"), [(12, 30), (4, 3), (3, 1), (2, 63), (5, 64)])
def test_same_verdict_as_strawberrys_rules(query: str, depth: int, aliases: int) -> None:
    ours = bool(_codes(query, depth=depth, aliases=aliases))
    assert ours == _strawberry_refuses(query, depth=depth, aliases=aliases)


def test_the_codes_name_the_limit() -> None:
    deep = "{ orders { nodes { batches { inputLots { supplier { lots { lotNumber } } } } } } }"
    assert _codes(deep, depth=5) == ["QUERY_TOO_DEEP"]
    assert _codes("{ a: __typename b: __typename }", aliases=1) == ["TOO_MANY_ALIASES"]


# Walking 2^39 aliases would take hours; counting them takes milliseconds. The bound only tells
# the two apart, so it is wide enough that a machine busy with other work never trips it.
LINEAR = 10.0


@pytest.mark.parametrize("fragments", [23, 24, 40])
def test_a_doubling_document_is_measured_in_linear_time(fragments: int) -> None:
    query = _doubling(fragments, alias=True)
    started = time.perf_counter()
    codes = _codes(query)
    elapsed = time.perf_counter() - started
    assert codes == ["TOO_MANY_ALIASES"]  # 2^(n-1) aliases, counted without walking them
    assert elapsed < LINEAR, f"{fragments} fragments took {elapsed:.2f}s"


@pytest.mark.parametrize("alias", [True, False])
async def test_the_whole_pipeline_refuses_or_answers_a_doubling_document_at_once(
    alias: bool,
) -> None:
    # Parsing, every validation rule (graphql-core's own included) and execution.
    query = _doubling(40, alias=alias)
    started = time.perf_counter()
    result = await build_schema().execute(query)
    elapsed = time.perf_counter() - started
    assert elapsed < LINEAR, f"took {elapsed:.2f}s"
    if alias:
        assert result.errors is not None
        assert [e.extensions for e in result.errors] == [{"code": "TOO_MANY_ALIASES"}]
    else:
        assert result.errors is None
        assert result.data == {"__typename": "Query"}

"""The examples of docs/api.md run without errors against the API fixture graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.database import Database
from resolvers.context import Caller, Context, Role
from schema.root import build_schema
from tests.support import load_fixture_graph

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_guide_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("example", EXAMPLES)
async def test_example_runs(db: Database, example: str) -> None:
    await load_fixture_graph(db, "api_entities")
    result = await build_schema().execute(
        example, context_value=Context(db=db, principal=Caller(role=Role.ADMIN))
    )
    assert result.errors is None, result.errors
    assert result.data
    # What a reader of the guide sees: every field of the example answers with real data, not
    # a NotFound (which a fragment on the entity would render as an empty object) or nothing.
    for field, value in result.data.items():
        assert value not in (None, {}, []), f"{field} answered {value!r}"
        assert value.get("__typename") not in ("NotFound", "InvalidArgument"), (field, value)
        if "nodes" in value:
            assert value["nodes"], f"{field} has no nodes"

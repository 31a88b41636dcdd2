"""The fast paths of schema.execution answer exactly what graphql-core's general path answers.

Each query runs twice, through tracegraph's execution context and through strawberry's own, and
the two results (data and errors, with their messages, paths and locations) must be equal: first
on a small schema over Python objects holding every kind of awkward value, then on the real
schema over the fixture graphs in Neo4j.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import strawberry
from graphql import GraphQLField, GraphQLObjectType
from strawberry.extensions import SchemaExtension
from strawberry.scalars import JSON
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import ExecutionResult

from graph.database import Database
from resolvers.context import Caller, Context, Role
from schema import execution
from schema.execution import ExecutionContext, leaf_field
from schema.query import Query
from schema.root import build_schema
from tests.support import load_fixture_graph


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    count: int
    ratio: float
    flag: bool
    key: strawberry.ID
    colour: Colour
    note: str | None
    day: dt.date | None
    # Its output coercion takes any value as it is: only the type check stops an error here.
    extra: JSON | None = None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


def _item(**changes: Any) -> Item:
    values: dict[str, Any] = {
        "name": "a",
        "count": 1,
        "ratio": 0.5,
        "flag": True,
        "key": "K1",
        "colour": Colour.RED,
        "note": None,
        "day": dt.date(2025, 1, 2),
    }
    values.update(changes)
    return Item(**values)


# Each list holds one awkward value among good ones; Python does not check dataclass types.
LISTS: dict[str, list[Any]] = {
    "good": [_item(), _item(name="b", note="n", day=None, colour=Colour.BLUE)],
    "coerced": [_item(name=5, count=2.0, ratio=3, key=7, flag=True)],  # String from int, ...
    "int_too_big": [_item(), _item(count=2**40)],
    "nan": [_item(ratio=float("nan"))],
    "null_in_non_null": [_item(), _item(name=None)],
    "wrong_enum": [_item(colour="green")],
    "builtin_as_string": [_item(name=[1, 2])],
    "null_item": [_item(), None],
    # A resolver may hand back an error as a value or as an item: graphql-core reports it.
    "error_value": [_item(), _item(note=ValueError("bad note"))],
    "error_as_json": [_item(extra={"a": 1}), _item(extra=ValueError("bad extra"))],
    "error_item": [_item(), RuntimeError("bad item")],
}
STRINGS: dict[str, list[Any]] = {
    "good": ["x", "y", "z"],
    "mixed": ["x", 5, True],
    "null": ["x", None],
    "empty": [],
}


@strawberry.type
class SmallQuery:
    @strawberry.field
    def items(self, which: str) -> list[Item]:
        return LISTS[which]

    @strawberry.field
    def maybe_items(self, which: str) -> list[Item | None] | None:
        return LISTS[which]

    @strawberry.field
    def strings(self, which: str) -> list[str]:
        return STRINGS[which]

    @strawberry.field
    def maybe_strings(self, which: str) -> list[str | None]:
        return STRINGS[which]

    @strawberry.field
    def ids(self, which: str) -> list[strawberry.ID]:
        return STRINGS[which]

    @strawberry.field
    def one(self, which: str) -> Item:
        item: Item = LISTS[which][-1]
        return item


class Upper(SchemaExtension):
    """A resolve hook (graphql-core middleware): the fast paths must step aside for it."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value.upper() if isinstance(value, str) else value


def _pair(**options: Any) -> tuple[strawberry.Schema, strawberry.Schema]:
    ours = strawberry.Schema(query=SmallQuery, execution_context_class=ExecutionContext, **options)
    stock = strawberry.Schema(query=SmallQuery, **options)
    return ours, stock


def _comparable(result: ExecutionResult) -> tuple[Any, list[Any]]:
    return result.data, [e.formatted for e in result.errors or []]


# Only plain leaves: whole objects (and lists of them) take the fast path; with `shout`, a field
# with a resolver, each plain field takes it on its own.
LEAVES = "name count ratio flag key colour note day extra"
SMALL_QUERIES = (
    [
        f'{{ items(which: "{which}") {{ {fields} }} }}'
        for which in LISTS
        for fields in (LEAVES, LEAVES + " shout")
        if which != "null_item"
    ]
    + [
        f'{{ maybeItems(which: "{which}") {{ {fields} }} }}'
        for which in LISTS
        for fields in (LEAVES, LEAVES + " shout")
    ]
    + [f'{{ one(which: "{which}") {{ {LEAVES} }} }}' for which in LISTS if which != "null_item"]
    + [f'{{ strings(which: "{w}") maybeStrings(which: "{w}") ids(which: "{w}") }}' for w in STRINGS]
    + [
        # aliases, a field twice, __typename, fragments, @skip/@include among plain leaves
        """query($no: Boolean! = false) { items(which: "good") { n: name name __typename
       ...F count @include(if: $no) ratio @skip(if: $no) } }
       fragment F on Item { key flag }""",
    ]
)


@pytest.mark.parametrize("query", SMALL_QUERIES)
def test_answers_as_the_general_path_does(query: str) -> None:
    ours, stock = _pair()
    expected = _comparable(stock.execute_sync(query))
    assert _comparable(ours.execute_sync(query)) == expected


def test_errors_from_awkward_values_are_reported_not_swallowed() -> None:
    ours, _ = _pair()
    result = ours.execute_sync('{ maybeItems(which: "int_too_big") { name count } }')
    assert result.data == {"maybeItems": [{"name": "a", "count": 1}, None]}
    assert result.errors is not None
    assert result.errors[0].path == ["maybeItems", 1, "count"]
    assert "32-bit" in result.errors[0].message


@pytest.mark.parametrize(
    ("query", "data"),
    [
        ('{ items(which: "good") { name } }', {"items": [{"name": "A"}, {"name": "B"}]}),
        # graphql-core runs middleware per field, not per list item: the list is left as it is.
        ('{ strings(which: "good") }', {"strings": ["x", "y", "z"]}),
    ],
)
def test_a_resolve_hook_turns_the_fast_paths_off(query: str, data: dict[str, Any]) -> None:
    ours, stock = _pair(extensions=[Upper])
    answer = ours.execute_sync(query)
    assert _comparable(answer) == _comparable(stock.execute_sync(query))
    assert answer.data == data


def _fields(schema: strawberry.Schema, type_name: str) -> dict[str, GraphQLField]:
    graphql_type = schema._schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    fields: dict[str, GraphQLField] = graphql_type.fields
    return fields


def test_plain_fields_have_a_plan_and_resolvers_do_not() -> None:
    fields = _fields(strawberry.Schema(query=SmallQuery), "Item")
    name = leaf_field(fields["name"])
    assert name is not None
    assert (name.attribute, name.leaf_type.name, name.non_null) == ("name", "String", True)
    note = leaf_field(fields["note"])
    assert note is not None
    assert not note.non_null
    assert leaf_field(fields["shout"]) is None


def test_the_trace_types_take_the_fast_path() -> None:
    # Guards against a strawberry upgrade quietly turning the fast path off for the bulk types.
    schema = build_schema()
    for type_name, field_name in (
        ("TraceSerial", "serialNumber"),
        ("TraceBatch", "batchId"),
        ("TraceBatch", "productionDate"),
        ("TimelineEvent", "kind"),
        ("TraceLot", "lotNumber"),
    ):
        assert leaf_field(_fields(schema, type_name)[field_name]) is not None, type_name


# --- the real schema, on the fixture graphs in Neo4j -----------------------------------------

TRACE_QUERIES = [
    """{ forwardTrace(from: {lotNumber: "LOT-A1"}) { root { label key } maxDepth
         batches { batchId depth productionDate level status quantity }
         orders { orderNumber status partNumber customerId } customers { id name }
         issues { issueId batchId severity status totalCost detectedAt }
         serialCount serialNumbers
         serials(first: 5) { totalCount hasNextPage endCursor
           items { serialNumber batchId status } }
         subgraph(limit: 50) { truncated nodes { id label key }
           edges { source target type } } } }""",
    """{ backwardTrace(from: {serialNumber: "SN-B5-1"}) { root { key } batches { batchId depth }
         lots { lotNumber depth quarantineStatus receivedDate quantity unit supplierId materialId }
         suppliers { id name status } materials { id name }
         timeline { at kind subject detail } } }""",
    """{ impact(lotNumber: "LOT-A1") { lotNumber quarantineStatus supplierId
         totals { batches serials orders customers openIssues costImpact }
         batches { batchId depth } orders { orderNumber } customers { id }
         issues { issueId } } }""",
]
ENTITY_QUERIES = [
    """{ order(orderNumber: "ORD-1") { ... on Order { orderNumber customer { name }
         batches { batchId inputBatches { batchId } inputLots { lotNumber supplier { id name } }
           machine { id } shift { id } operator { name } serials { serialNumber } }
         stages { sequence name } qcChecks { result stage { name } }
         statusHistory { toStatus changedBy { name } } issues { issueId } } } }""",
    """{ lots(first: 10) { totalCount pageInfo { hasNextPage endCursor }
         edges { cursor node { lotNumber receivedDate supplier { id } } } }
         suppliers { nodes { id name status lots { lotNumber } } } }""",
]


@pytest.fixture(scope="module")
def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    return build_schema(), strawberry.Schema(query=Query)


async def _both(
    db: Database, schemas: tuple[strawberry.Schema, strawberry.Schema], query: str
) -> tuple[Any, Any]:
    ours = await schemas[0].execute(
        query, context_value=Context(db=db, principal=Caller(role=Role.ADMIN))
    )
    stock = await schemas[1].execute(
        query, context_value=Context(db=db, principal=Caller(role=Role.ADMIN))
    )
    return _comparable(ours), _comparable(stock)


@pytest.mark.parametrize("query", TRACE_QUERIES)
async def test_traces_answer_as_the_general_path_does(
    db: Database, schemas: tuple[strawberry.Schema, strawberry.Schema], query: str
) -> None:
    await load_fixture_graph(db, "genealogy")
    ours, stock = await _both(db, schemas, query)
    assert ours == stock
    assert ours[0] is not None
    assert ours[1] == []


@pytest.mark.parametrize("query", ENTITY_QUERIES)
async def test_entities_answer_as_the_general_path_does(
    db: Database, schemas: tuple[strawberry.Schema, strawberry.Schema], query: str
) -> None:
    await load_fixture_graph(db, "api_entities")
    ours, stock = await _both(db, schemas, query)
    assert ours == stock
    assert ours[0] is not None
    assert ours[1] == []


@pytest.fixture
def forget_choice() -> Iterator[None]:
    execution._CHOSEN.clear()
    yield
    execution._CHOSEN.clear()


@pytest.mark.usefixtures("forget_choice")
def test_the_libraries_as_installed_give_the_fast_path() -> None:
    assert execution.missing_internals() == []
    assert execution.execution_context_class() is ExecutionContext


@pytest.mark.usefixtures("forget_choice")
@pytest.mark.parametrize(
    ("owner", "name"),
    [
        (GraphQLCoreConverter, "DEFINITION_BACKREF"),
        (StrawberryGraphQLCoreExecutionContext, "complete_iterable_value"),
    ],
)
async def test_a_changed_library_falls_back_to_the_stock_path_with_one_warning(
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    owner: type,
    name: str,
) -> None:
    # What an upgrade that renamed a private name would look like to the check.
    if name == "complete_iterable_value":

        def renamed(self: Any, item_type: Any, fields: Any, info: Any, *rest: Any) -> Any:
            raise AssertionError("never called")

        monkeypatch.setattr(owner, name, renamed)
    else:
        monkeypatch.delattr(owner, name)
    with caplog.at_level(logging.WARNING, logger="tracegraph.execution"):
        chosen = execution.execution_context_class()
        assert execution.execution_context_class() is chosen
    assert chosen is StrawberryGraphQLCoreExecutionContext
    warnings = [r for r in caplog.records if r.name == "tracegraph.execution"]
    assert len(warnings) == 1
    assert name in warnings[0].getMessage()
    monkeypatch.undo()  # the stock path must answer with the libraries as they really are
    await load_fixture_graph(db, "genealogy")
    fallback = strawberry.Schema(query=Query, execution_context_class=chosen)
    ours = build_schema()
    assert build_schema()._schema is not None
    for query in TRACE_QUERIES[:3]:
        a, b = await _both(db, (ours, fallback), query)
        assert a == b

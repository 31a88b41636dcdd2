"""The execution context: graphql-core's, with fast paths for what traces return in bulk.

A trace answers with hundreds of small objects (batches, serials, timeline events) whose fields
are plain attributes, and the recall export with a ``[String!]!`` of 10,000 serial numbers.
graphql-core spends about 3 µs on each such field (a resolve-info object, the resolver call,
awaitable checks, the recursive completion) and about 0.8 µs on each list item: as long as the
Cypher that produced them. The fast paths give exactly the answer of the general path:

- a field with no resolver of its own (strawberry's "basic" field: ``getattr`` on the source)
  and a scalar or enum type is read and coerced by that type's own ``coerce_output_value``,
  which is all the general path would do with it;
- an object whose selected fields are all such fields, alone or as the items of a list, is read
  field by field into its answer in one loop;
- a list whose item type is the built-in ``String`` or ``ID`` and whose items are all ``str`` is
  taken as it is, since those types' coercion returns a ``str`` unchanged.

The fast paths lean on names neither library promises (strawberry's ``_get_basic_result`` and
``DEFINITION_BACKREF``; graphql-core's execution-context methods and their parameters).
:func:`execution_context_class` checks each of them once per process: if any is missing or has
changed (a library upgrade), the schema runs on strawberry's stock execution path, with one
warning in the log, instead of failing or answering wrongly.

Whenever a value is not what the fast path expects (null in a non-null field, a coercion error,
an awaitable, a missing attribute), the field goes the general way, which raises or reports
exactly as it always does. Middleware (a schema extension with a ``resolve`` hook) turns the
fast paths off, as does a ``@stream``ed list.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Iterable
from decimal import Decimal
from types import CoroutineType, GeneratorType
from typing import Any, NamedTuple
from uuid import UUID

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
    UndefinedType,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

# Their output coercion returns a str unchanged (graphql.type.scalars: serialize_string/_id).
_IDENTITY_ON_STR = (GraphQLString, GraphQLID)
SLOW = object()  # read_leaf: "let the general path answer this one"
# Types whose values are neither exceptions nor awaitable: the common leaves from the start, the
# rest as _plain finds them (a process has few, so the set stays small).
_PLAIN_TYPES: set[type] = {str, int, float, bool, dt.date, dt.datetime, dt.time, Decimal, UUID}


def _plain(kind: type) -> bool:
    """Whether no value of ``kind`` is an exception or awaitable, decided once per type.

    Asking each value costs: graphql-core's check is ``hasattr(value, "__await__")``, which on a
    pydantic model (every read model) goes through ``__getattr__`` and raises, about 2 µs per
    object of a list. ``await`` looks ``__await__`` up on the type, so the type decides."""
    if kind in _PLAIN_TYPES:
        return True
    if issubclass(kind, BaseException | CoroutineType | GeneratorType) or hasattr(
        kind, "__await__"
    ):
        return False
    _PLAIN_TYPES.add(kind)
    return True


class LeafField(NamedTuple):
    """A field the fast path may answer: the attribute it reads and the type that coerces it."""

    attribute: str
    leaf_type: GraphQLScalarType | GraphQLEnumType
    non_null: bool
    # String or ID: a str is its own output value.
    str_is_output: bool


# id(field) -> (field, its plan): a schema's fields live as long as the process, and each entry
# keeps its field alive, so an id is never reused for another field while it is cached.
_LEAF_FIELDS: dict[int, tuple[GraphQLField, LeafField | None]] = {}


def leaf_field(field_def: GraphQLField) -> LeafField | None:
    """The fast-path plan of ``field_def``, or None when the general path must answer it."""
    entry = _LEAF_FIELDS.get(id(field_def))
    if entry is None:
        entry = _LEAF_FIELDS[id(field_def)] = (field_def, _plan_of(field_def))
    return entry[1]


def _plan_of(field_def: GraphQLField) -> LeafField | None:
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    # Strawberry marks the resolver it generates for a basic field; anything else (exception
    # handlers, permission classes, field extensions) must run as written.
    if getattr(field_def.resolve, "__name__", None) != "_get_basic_result":
        return None
    if definition.default_resolver is not getattr or field_def.args:
        return None
    field_type = field_def.type
    non_null = isinstance(field_type, GraphQLNonNull)
    named = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return None
    return LeafField(definition.python_name, named, non_null, named in _IDENTITY_ON_STR)


def read_leaf(source: Any, plan: LeafField) -> Any:
    """What the general path would answer for ``plan`` on ``source``, or ``SLOW`` to take it.

    Any surprise is left for the general path to report, located, as it always does.
    """
    try:
        return _coerce(getattr(source, plan.attribute), plan)
    except Exception:
        return SLOW


def read_row(source: Any, plans: list[tuple[str, LeafField]]) -> dict[str, Any] | None:
    """``read_leaf`` for every field of an object's plan, or None to take the object slowly."""
    row: dict[str, Any] = {}
    try:
        for response_name, plan in plans:
            value = _coerce(getattr(source, plan.attribute), plan)
            if value is SLOW:
                return None
            row[response_name] = value
    except Exception:
        return None
    return row


def _coerce(value: Any, plan: LeafField) -> Any:
    kind = type(value)
    if kind is str and plan.str_is_output:
        return value
    if value is None:
        return SLOW if plan.non_null else None
    if not _plain(kind):
        return SLOW
    coerced = plan.leaf_type.coerce_output_value(value)
    return SLOW if coerced is None or coerced is Undefined else coerced


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plans are made per request, once per selection: graphql-core reuses one field group
        # (and one grouped field set) for every item of a list. Keys are ids, so each value
        # keeps its group alive: an id cannot be reused while the request runs.
        self._field_plans: dict[tuple[int, int], tuple[FieldDetailsList, LeafField | None]] = {}
        self._object_plans: dict[
            tuple[int, int], tuple[GroupedFieldSet, list[tuple[str, LeafField]] | None]
        ] = {}

    def _has_middleware(self) -> bool:
        # Strawberry always passes a manager; it holds the extensions that hook ``resolve``.
        manager = self.middleware_manager
        return manager is not None and bool(manager.middlewares)

    def _field_plan(
        self, parent_type: GraphQLObjectType, fields: FieldDetailsList
    ) -> LeafField | None:
        key = (id(parent_type), id(fields))
        entry = self._field_plans.get(key)
        if entry is None:
            plan = None
            node = fields[0].node
            if not self._has_middleware() and not node.arguments:
                field_def = self.schema.get_field(parent_type, node.name.value)
                plan = leaf_field(field_def) if field_def is not None else None
            entry = self._field_plans[key] = (fields, plan)
        return entry[1]

    def _object_plan(
        self, parent_type: GraphQLObjectType, grouped: GroupedFieldSet
    ) -> list[tuple[str, LeafField]] | None:
        """The plan of an object whose selected fields are all leaves, else None."""
        key = (id(parent_type), id(grouped))
        entry = self._object_plans.get(key)
        if entry is None:
            plans = []
            for response_name, fields in grouped.items():
                plan = self._field_plan(parent_type, fields)
                if plan is None:
                    break
                plans.append((response_name, plan))
            else:
                entry = self._object_plans[key] = (grouped, plans)
                return plans
            entry = self._object_plans[key] = (grouped, None)
        return entry[1]

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        plans = self._object_plan(parent_type, grouped_field_set)
        if plans is not None:
            row = read_row(source_value, plans)
            if row is not None:
                return row
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any] | UndefinedType:
        plan = self._field_plan(parent_type, field_details_list)
        if plan is not None:
            value = read_leaf(source, plan)
            if value is not SLOW:
                return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def complete_iterable_value(  # noqa: PLR0917 - graphql-core's signature, overridden
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        if isinstance(items, list) and self.get_stream_usage(field_details_list, path) is None:
            if _all_strings(items, item_type):
                return list(items)
            rows = self._leaf_rows(item_type, field_details_list, items)
            if rows is not None:
                return rows
        return super().complete_iterable_value(
            item_type, field_details_list, info, path, items, position_context
        )

    def _leaf_rows(
        self, item_type: GraphQLOutputType, fields: FieldDetailsList, items: list[Any]
    ) -> list[Any] | None:
        """A list of objects whose selected fields are all leaves, or None to take it slowly."""
        non_null = isinstance(item_type, GraphQLNonNull)
        named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        # is_type_of (strawberry sets it for types with interfaces) must see every item.
        if not isinstance(named, GraphQLObjectType) or named.is_type_of is not None:
            return None
        grouped, defer_usages, _ = self.collect_subfields(named, fields)
        plans = None if defer_usages else self._object_plan(named, grouped)
        if plans is None:
            return None
        rows: list[Any] = []
        for item in items:
            if item is None:
                if non_null:
                    return None  # the general path reports it, located
                rows.append(None)
                continue
            if not _plain(type(item)):
                return None
            row = read_row(item, plans)
            if row is None:
                return None  # the general path reports it, located
            rows.append(row)
        return rows


def _all_strings(items: list[Any], item_type: GraphQLOutputType) -> bool:
    if isinstance(item_type, GraphQLNonNull):
        if item_type.of_type not in _IDENTITY_ON_STR:
            return False
        return all(type(item) is str for item in items)
    if item_type not in _IDENTITY_ON_STR:
        return False
    return all(item is None or type(item) is str for item in items)


log = logging.getLogger("tracegraph.execution")

# graphql-core methods the context overrides or calls, with the parameters it passes them.
_GRAPHQL_CORE_METHODS = {
    "execute_fields": (
        "parent_type",
        "source_value",
        "path",
        "grouped_field_set",
        "position_context",
    ),
    "execute_field": ("parent_type", "source", "field_details_list", "path", "position_context"),
    "complete_iterable_value": (
        "item_type",
        "field_details_list",
        "info",
        "path",
        "items",
        "position_context",
    ),
    "collect_subfields": ("return_type", "field_details_list"),
    "get_stream_usage": ("field_details_list", "path"),
}


def missing_internals() -> list[str]:
    """What the fast paths need of strawberry and graphql-core that is not there as expected."""
    problems: list[str] = []
    base = StrawberryGraphQLCoreExecutionContext
    for name, params in _GRAPHQL_CORE_METHODS.items():
        method = getattr(base, name, None)
        if method is None:
            problems.append(f"graphql-core ExecutionContext.{name}")
            continue
        names = tuple(inspect.signature(method).parameters)[1:]
        if names != params:
            problems.append(f"graphql-core ExecutionContext.{name}{names}")
    backref = getattr(GraphQLCoreConverter, "DEFINITION_BACKREF", None)
    if backref is None:
        return [*problems, "strawberry GraphQLCoreConverter.DEFINITION_BACKREF"]
    probe = _probe_field()
    if not isinstance((probe.extensions or {}).get(backref), StrawberryField):
        problems.append("strawberry's field back-reference")
    if getattr(probe.resolve, "__name__", None) != "_get_basic_result":
        problems.append("strawberry's _get_basic_result resolver")
    return problems


@strawberry.type(name="Probe")
class _Probe:
    value: str


@strawberry.type
class _ProbeQuery:
    probe: _Probe


def _probe_field() -> GraphQLField:
    """A basic field as strawberry builds it, to see it the way the fast path reads fields."""
    probe_type = strawberry.Schema(query=_ProbeQuery)._schema.type_map["Probe"]
    assert isinstance(probe_type, GraphQLObjectType)
    field: GraphQLField = probe_type.fields["value"]
    return field


_CHOSEN: list[type[StrawberryGraphQLCoreExecutionContext]] = []


def execution_context_class() -> type[StrawberryGraphQLCoreExecutionContext]:
    """:class:`ExecutionContext` when the libraries are as it expects, else the stock one."""
    if not _CHOSEN:
        problems = missing_internals()
        if problems:
            log.warning(
                "execution fast paths off, the stock path answers: %s changed",
                ", ".join(problems),
                extra={"missing": problems},
            )
        _CHOSEN.append(StrawberryGraphQLCoreExecutionContext if problems else ExecutionContext)
    return _CHOSEN[0]

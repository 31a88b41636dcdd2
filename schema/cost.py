"""The worst-case cost of an operation, refused before it runs when over the caller's limit.

The cost is the number of objects the answer could hold at most, as GitHub's node limit counts
them. Each field that answers objects or a list contributes ``parent count * multiplier``, and its
selection is counted with that product as its parent count:

- a list directly inside a field with a size argument (``first`` or ``limit``: a connection's
  ``nodes`` and ``edges``, a trace's serial page's ``items``, a subgraph's ``nodes`` and
  ``edges``): that size; the field holding them (the connection object) counts 1;
- a list field with a size argument of its own: that size;
- any other list (relationship lists, trace batches): ``list_size``, the fan-out assumed for
  lists without a page size (``GRAPHQL_COST_LIST_SIZE``);
- a single object: 1.

A size is read as execution will read it: the literal in the document, else the variable's value
coerced the way execution coerces it (an operation's default for a variable counts, like
``query($n: Int = 10000)``), else the argument's default. Variables that do not coerce are not
costed: execution refuses them before any resolver runs (``BAD_USER_INPUT``).

A scalar costs nothing, a list of scalars 1 (one value per parent); introspection fields
(``__schema``, ``__type``) are bounded by the schema itself and are not counted. The type
conditions of a union or interface selection are added up (a bound, not a guess of which one
applies). The multipliers come from the schema's own types and arguments, so a field added
tomorrow is costed without a table to keep.

Fragments are costed once per document: a selection's cost is linear in its parent count, so
the memo keeps each fragment's cost per single parent and a spread multiplies it (23 fragments
each spreading the previous twice cost 23 walks, not 2^23). Errors carry ``QUERY_TOO_COSTLY``
with the computed ``cost`` and the ``limit`` in their extensions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

from schema.operation_cache import Lru
from tracegraph.access import Role

CODE = "QUERY_TOO_COSTLY"
# The arguments that bound how many items a field answers, by the schema's conventions: a page of
# a connection or of a trace's serials (`first`), the nodes of a trace's subgraph (`limit`).
SIZE_ARGUMENTS = ("first", "limit")


class _Coster:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
        list_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.list_size = list_size
        self.memo: dict[tuple[str, int | None], int] = {}
        self.active: set[str] = set()
        # Whether a size came from a variable: if none did, the cost is the text's alone.
        self.read_variables = False

    def _size(self, definition: GraphQLField, node: FieldNode, argument: str) -> int:
        """The value execution will pass as ``argument``: literal, variable or default."""
        if any(
            a.name.value == argument and isinstance(a.value, VariableNode)
            for a in node.arguments or ()
        ):
            self.read_variables = True
        try:
            value = get_argument_values(definition, node, self.variables).get(argument)
        except GraphQLError:
            value = None  # execution refuses this field with its own error
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            # Absent, null or negative: the resolver refuses or picks its own page; cost a list.
            return self.list_size
        return value

    def selection(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode | None, page: int | None
    ) -> int:
        """The cost of ``selection_set`` under one object of type ``parent``; ``page`` is the
        page size of the field it belongs to (its lists hold that many)."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(parent, selection, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection(target or parent, selection.selection_set, page)
        return total

    def _field(self, parent: GraphQLNamedType, node: FieldNode, page: int | None) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            # Introspection, or a field of a union (only __typename there).
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0  # unknown fields are refused by validation
        named = get_named_type(definition.type)
        is_list = isinstance(
            definition.type.of_type
            if isinstance(definition.type, GraphQLNonNull)
            else definition.type,
            GraphQLList,
        )
        if not node.selection_set:
            return 1 if is_list else 0
        argument = next((a for a in SIZE_ARGUMENTS if a in definition.args), None)
        size = self._size(definition, node, argument) if argument else None
        if is_list:
            count = size if size is not None else page if page is not None else self.list_size
            inner_page = None
        else:
            count, inner_page = 1, size
        return count + count * self.selection(named, node.selection_set, inner_page)

    def fragment(self, name: str, page: int | None) -> int:
        known = self.memo.get((name, page))
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return 0  # unknown fragments and cycles are refused by validation
        self.active.add(name)
        target = self.schema.get_type(definition.type_condition.name.value)
        cost = self.selection(target, definition.selection_set, page) if target else 0
        self.active.discard(name)
        self.memo[name, page] = cost
        return cost


def _operation(document: Any, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == operation_name), None)


def operation_cost(
    schema: GraphQLSchema,
    document: Any,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    list_size: int = 20,
) -> tuple[int | None, bool]:
    """The worst-case object count of the operation, None when execution will refuse it before
    any resolver runs (no single operation to run, or variables that do not coerce); and whether
    that count holds for any variables: true when no size was read from a variable (a lookup's or
    a trace's key is a variable, its page sizes are not)."""
    operation = _operation(document, operation_name)
    if operation is None:
        return None, False
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None, False
    if variables is not None and not isinstance(variables, Mapping):
        return None, False  # the transport refuses it, or execution does
    # As execution coerces them: operation defaults filled in, values of the declared types.
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {}), max_errors=1
    )
    if isinstance(coerced, list):
        return None, False
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    coster = _Coster(schema, fragments, coerced, list_size)
    cost = coster.selection(root, operation.selection_set, None)
    return cost, not coster.read_variables


def too_costly(cost: int, limit: int, role: Role | None) -> GraphQLError:
    whose = f"the {role.value} role's" if role else "the"
    return GraphQLError(
        f"This query could return up to {cost:,} objects, over {whose} limit of {limit:,}: ask"
        " for smaller pages (first) or fewer nested lists.",
        extensions={"code": CODE, "cost": cost, "limit": limit},
    )


class CostLimit(SchemaExtension):
    """Refuses an operation whose worst-case cost exceeds the caller's limit, before any
    resolver runs (the execution is skipped: its result is the error).

    ``known`` keeps, by query text and operation name, the costs that no variable changes (the
    schema's one cache, shared by its requests): a lookup or a trace is costed once, not on
    every request (about 40 µs each, a twentieth of a lookup's CPU). A known cost over the
    caller's limit is measured again with the variables, so the refusal is the one they give.
    """

    def __init__(
        self,
        *,
        default_limit: int,
        role_limits: Mapping[Role, int],
        list_size: int,
        known: Lru,
    ) -> None:
        super().__init__()
        self.default_limit = default_limit
        self.role_limits = role_limits
        self.list_size = list_size
        self.known = known

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and not context.result:
            caller = getattr(context.context, "principal", None)
            role: Role | None = getattr(caller, "role", None)
            limit = self.role_limits.get(role, self.default_limit) if role else self.default_limit
            key = (context.query, context.operation_name) if context.query else None
            cost: int | None = self.known.get(key) if key else None
            if cost is None or cost > limit:
                cost, fixed = operation_cost(
                    context.schema._schema,
                    context.graphql_document,
                    operation_name=context.operation_name,
                    variables=context.variables,
                    list_size=self.list_size,
                )
                if key and fixed and cost is not None:
                    self.known.put(key, cost)
            if cost is not None and cost > limit:
                context.result = GraphQLExecutionResult(
                    data=None, errors=[too_costly(cost, limit, role)]
                )
        yield

"""The worst-case cost of an operation, refused before it runs when over the caller's limit.

The cost is the number of objects the answer could hold at most, as GitHub's node limit counts
them. Each field that answers objects or a list contributes ``parent count * multiplier``, and its
selection is counted with that product as its parent count:

- a list directly inside a field with a ``first`` argument (a connection's ``nodes`` and
  ``edges``, a trace's serial page): that page size, from the document, the variables or the
  argument's default; the connection object itself counts 1;
- any other list (relationship lists, trace batches): ``list_size``, the fan-out assumed for
  lists without a page size (``GRAPHQL_COST_LIST_SIZE``);
- a single object: 1.

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
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from tracegraph.access import Role

CODE = "QUERY_TOO_COSTLY"


class _Coster:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        list_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.list_size = list_size
        self.memo: dict[tuple[str, int | None], int] = {}
        self.active: set[str] = set()

    def _page_size(self, node: FieldNode, default: Any) -> int:
        value: ValueNode | None = next(
            (a.value for a in node.arguments or () if a.name.value == "first"), None
        )
        raw: Any = default
        if isinstance(value, IntValueNode):
            raw = int(value.value)
        elif isinstance(value, VariableNode):
            raw = self.variables.get(value.name.value, default)
        # A malformed value is refused by execution with its own code; cost it as the default.
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            raw = default if isinstance(default, int) else self.list_size
        return int(raw)

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
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType):
            # Introspection, or a field of an interface/union (only __typename there).
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
        first = definition.args.get("first")
        inner_page = self._page_size(node, first.default_value) if first else None
        count = (page if page is not None else self.list_size) if is_list else 1
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
) -> int | None:
    """The worst-case object count of the operation; None when there is no single operation to
    run (execution reports that)."""
    operation = _operation(document, operation_name)
    if operation is None:
        return None
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    coster = _Coster(schema, fragments, variables or {}, list_size)
    return coster.selection(root, operation.selection_set, None)


def too_costly(cost: int, limit: int, role: Role | None) -> GraphQLError:
    whose = f"the {role.value} role's" if role else "the"
    return GraphQLError(
        f"This query could return up to {cost:,} objects, over {whose} limit of {limit:,}: ask"
        " for smaller pages (first) or fewer nested lists.",
        extensions={"code": CODE, "cost": cost, "limit": limit},
    )


class CostLimit(SchemaExtension):
    """Refuses an operation whose worst-case cost exceeds the caller's limit, before any
    resolver runs (the execution is skipped: its result is the error)."""

    def __init__(
        self, *, default_limit: int, role_limits: Mapping[Role, int], list_size: int
    ) -> None:
        super().__init__()
        self.default_limit = default_limit
        self.role_limits = role_limits
        self.list_size = list_size

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and not context.result:
            caller = getattr(context.context, "principal", None)
            role: Role | None = getattr(caller, "role", None)
            limit = self.role_limits.get(role, self.default_limit) if role else self.default_limit
            cost = operation_cost(
                context.schema._schema,
                context.graphql_document,
                operation_name=context.operation_name,
                variables=context.variables,
                list_size=self.list_size,
            )
            if cost is not None and cost > limit:
                context.result = GraphQLExecutionResult(
                    data=None, errors=[too_costly(cost, limit, role)]
                )
        yield

"""The per-document limits on depth and aliases, measured in time linear in the document.

Each fragment is measured once and its measure reused at every spread (strawberry's own depth
and alias rules walk a fragment again at each spread, so 23 fragments that each spread the
previous one twice cost 2^23 walks). Aliases are counted as execution would meet them: a
fragment spread twice counts its aliases twice; the count is arithmetic on the memo, not a walk.
Errors carry their code: QUERY_TOO_DEEP, TOO_MANY_ALIASES.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)


@dataclass(frozen=True)
class Measure:
    depth: int  # nesting of fields with selections (introspection fields count 0)
    aliases: int  # aliased fields, each spread of a fragment counted


_NOTHING = Measure(0, 0)


class _Measurer:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.memo: dict[str, Measure] = {}
        self.active: set[str] = set()

    def fragment(self, name: str) -> Measure:
        known = self.memo.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            # Unknown fragments and cycles are reported by graphql-core's own rules.
            return _NOTHING
        self.active.add(name)
        measure = self.selections(definition.selection_set)
        self.active.discard(name)
        self.memo[name] = measure
        return measure

    def selections(self, selection_set: SelectionSetNode | None) -> Measure:
        if selection_set is None:
            return _NOTHING
        depth = 0
        aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = self.selections(selection.selection_set)
                aliases += inner.aliases + (1 if selection.alias else 0)
                if selection.selection_set and not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + inner.depth)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value)
                aliases += inner.aliases
                depth = max(depth, inner.depth)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.selections(selection.selection_set)
                aliases += inner.aliases
                depth = max(depth, inner.depth)
        return Measure(depth, aliases)


def document_limits(*, max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing a document deeper than ``max_depth`` or with more aliases."""

    class DocumentLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            measurer = _Measurer(
                {
                    d.name.value: d
                    for d in document.definitions
                    if isinstance(d, FragmentDefinitionNode)
                }
            )
            aliases = 0
            for definition in document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                measure = measurer.selections(definition.selection_set)
                aliases += measure.aliases
                if measure.depth > max_depth:
                    name = definition.name.value if definition.name else "anonymous"
                    context.report_error(
                        GraphQLError(
                            f"'{name}' exceeds maximum operation depth of {max_depth}",
                            definition,
                            extensions={"code": "QUERY_TOO_DEEP"},
                        )
                    )
            if aliases > max_aliases:
                context.report_error(
                    GraphQLError(
                        f"{aliases} aliases found. Allowed: {max_aliases}",
                        extensions={"code": "TOO_MANY_ALIASES"},
                    )
                )

    return DocumentLimits

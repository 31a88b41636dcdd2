"""Quarantine and holds (issue 13 §1): ``quarantineLot``, ``releaseLot``, ``holds``/``onHold``.

The mutations take one ``input`` and answer ``LotQuarantineResult``: ``LotQuarantineChanged`` or
a typed failure (as the order workflow's). ``holds`` and ``onHold`` are fields of MaterialLot,
Batch, Serial and Order and of the traces' batches, serials and orders: derived from the graph
when asked for (graph.holds), through one batched query per kind of entity and request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from graph.entities import MaterialLotModel
from graph.holds import HeldKind, HoldModel
from resolvers.context import Info
from resolvers.holds import (
    holds_of,
    prefetched,
    resolve_quarantine_lot,
    resolve_release_lot,
)
from schema.derive import answers_with_model, derived
from schema.outcomes import Conflict, Forbidden, InvalidTransition, ValidationFailed, failure
from schema.results import NotFound

if TYPE_CHECKING:
    from schema.lots import MaterialLot


@derived(HoldModel)
class Hold:
    pass


def hold_fields(kind: HeldKind, key_of: Callable[[Any], str], what: str) -> tuple[Any, Any]:
    """The ``holds`` and ``onHold`` fields of a type whose objects ``key_of`` keys as ``kind``."""

    # Plain functions: from a trace's prefetch they answer at once; otherwise they hand back
    # the batched read for the executor to await.
    def resolve_holds(root: Any, info: Info) -> Any:
        known = prefetched(info, kind, key_of(root))
        return known if known is not None else holds_of(info, kind, key_of(root))

    def resolve_on_hold(root: Any, info: Info) -> Any:
        known = prefetched(info, kind, key_of(root))
        return bool(known) if known is not None else _any(holds_of(info, kind, key_of(root)))

    cause = (
        "it is itself quarantined, on hold or rejected"
        if kind == "lot"
        else "a lot upstream of it (at any genealogy depth) is quarantined, on hold or rejected"
    )
    return (
        strawberry.field(
            resolver=answers_with_model(resolve_holds),
            description=f"Why the {what} is on hold, one hold per held lot ({cause}); empty when"
            " it is not. Derived when read: right at once after a quarantine, a release or a new"
            " consumption.",
        ),
        strawberry.field(
            resolver=answers_with_model(resolve_on_hold),
            description=f"Whether the {what} is on hold: {cause}.",
        ),
    )


async def _any(found: Awaitable[list[HoldModel]]) -> bool:
    return bool(await found)


_HOLD_FIELDS = frozenset({"holds", "onHold"})


def wants_holds(selections: Iterable[Selection]) -> bool:
    """Whether ``holds`` or ``onHold`` is selected anywhere under ``selections``."""
    for selection in selections:
        if isinstance(selection, SelectedField) and selection.name in _HOLD_FIELDS:
            return True
        if wants_holds(selection.selections):
            return True
    return False


@strawberry.type(description="A lot after a quarantine or a release.")
class LotQuarantineChanged:
    lot: Annotated[MaterialLot, strawberry.lazy("schema.lots")] = strawberry.field(
        description="The lot as the change left it (its holds, and those downstream, follow)."
    )
    from_state: str | None = strawberry.field(name="from", description="Quarantine status before.")
    to_state: str = strawberry.field(name="to", description="Quarantine status after.")
    reason: str | None = strawberry.field(
        description="The quarantine's reason (for a release: the quarantine it ended)."
    )
    since: str | None = strawberry.field(description="When that quarantine began (ISO 8601).")
    released_at: str | None = strawberry.field(
        description="When it was released (null for a quarantine)."
    )


LotQuarantineResult = Annotated[
    LotQuarantineChanged | NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict,
    strawberry.union("LotQuarantineResult"),
]

_KEY_HELP = "Resending with the same key answers the first answer and writes nothing."


@strawberry.input(description="Quarantine a lot: everything downstream of it is on hold.")
class QuarantineLotInput:
    lot_number: str = strawberry.field(description="The lot (released, or on hold as loaded).")
    reason: str = strawberry.field(description="Why, for the hold and the audit trail.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="Release a quarantined lot.")
class ReleaseLotInput:
    lot_number: str = strawberry.field(description="The lot (quarantined or on hold).")
    note: str | None = strawberry.field(default=None, description="Why, for the audit trail.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


def as_result(answer: dict[str, Any]) -> LotQuarantineResult:
    """The union member for an answer of resolvers.holds."""
    if answer["kind"] in ("quarantined", "released"):
        quarantine = answer["quarantine"] or {}
        return LotQuarantineChanged(
            lot=MaterialLotModel.model_validate(answer["lot"]),  # type: ignore[arg-type]  # a model is what the type reads
            from_state=answer["from"],
            to_state=answer["to"],
            reason=quarantine.get("reason"),
            since=quarantine.get("since"),
            released_at=quarantine.get("released_at"),
        )
    return failure(answer)


@strawberry.type
class HoldMutation:
    @strawberry.mutation(
        description="Quarantine a lot (released or on_hold -> quarantined): every batch, serial"
        " and order downstream of it is on hold until it is released; a held order does not"
        " ship."
    )
    async def quarantine_lot(self, info: Info, input: QuarantineLotInput) -> LotQuarantineResult:
        return as_result(await resolve_quarantine_lot(info, input))

    @strawberry.mutation(
        description="Release a lot (quarantined or on_hold -> released): what was on hold"
        " because of it only is no longer; what another held lot holds stays on hold."
    )
    async def release_lot(self, info: Info, input: ReleaseLotInput) -> LotQuarantineResult:
        return as_result(await resolve_release_lot(info, input))

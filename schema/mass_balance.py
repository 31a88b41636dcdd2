"""``massBalance``: received, consumed, scrapped, on hand and the unexplained difference per lot
(graph.mass_balance), for a lot or every lot of a supplier, scoped like the lots themselves.
Bad input raises ``InvalidInputError`` (INVALID_INPUT); a lot or supplier the caller may not
read is ``NotFoundError`` (NOT_FOUND), as the traces answer."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph import mass_balance as mb
from resolvers.context import Info
from schema.derive import answers_with_model, derived


@derived(mb.LotBalance)
class LotBalance:
    pass


@derived(mb.MassBalance)
class MassBalance:
    pass


async def _mass_balance(
    info: Info,
    lot_number: Annotated[
        str | None, strawberry.argument(description="A lot (exactly one of the two).")
    ] = None,
    supplier_id: Annotated[
        str | None, strawberry.argument(description="A supplier: every lot it delivered.")
    ] = None,
) -> mb.MassBalance:
    ctx = info.context
    return await ctx.db.read(
        mb.mass_balance,
        lot_number=lot_number,
        supplier_id=supplier_id,
        scope=ctx.caller.scope(),
        tolerance_percent=ctx.mass_balance_tolerance_percent,
    )


@strawberry.type
class MassBalanceQuery:
    mass_balance: MassBalance = strawberry.field(
        resolver=answers_with_model(_mass_balance),
        description="Mass balance (BRCGS: quantity in = quantity out + losses) of a lot or of"
        " every lot of a supplier: received, consumed by batches, scrapped, on hand, the"
        " unexplained difference; lots beyond the tolerance flagged.",
    )

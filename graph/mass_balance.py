"""Mass balance per lot (issue 13 §3; BRCGS: "quantity in = quantity out + losses").

For each lot: received (the lot's quantity), consumed by batches (the sum of its CONSUMED links'
quantities), scrapped (the sum of its Scrap nodes' quantities, as the shop floor's ``scrap``
records them), on hand, and the unexplained difference ``received - consumed - scrapped - on
hand`` in units and as a percentage of what was received. A lot whose difference is beyond the
tolerance (``TRACEGRAPH_MASS_BALANCE_TOLERANCE_PERCENT``, default 5 %, either way) is flagged.

Nothing in the graph records a physical stock count yet, so on hand is the book stock: what is
left of the lot by the records, and never less than nothing. The difference is then the quantity
drawn beyond what was received (negative: more went out than came in), the imbalance that loaded
or hand-kept genealogy shows; a stock count, once recorded, takes the book stock's place.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import queries
from graph.entities import ReadModel
from graph.traces import one_root
from tracegraph.errors import NotFoundError

DEFAULT_TOLERANCE_PERCENT = 5.0
# Sums of floats: a difference this small is rounding, not material.
EPSILON = 1e-9


class LotBalance(ReadModel):
    """The mass balance of one lot: what came in, what went out, what is left, what is missing."""

    lot_number: str = Field(description="The lot.")
    supplier_id: str | None = Field(default=None, description="Who delivered it.")
    unit: str | None = Field(default=None, description="Unit of every quantity here.")
    received: float = Field(description="Quantity received (the lot's quantity).")
    consumed: float = Field(description="Consumed by batches: the sum of its CONSUMED quantities.")
    consumptions: int = Field(description="How many batches consumed it directly.")
    scrapped: float = Field(description="Scrapped: the sum of its scrap records' quantities.")
    on_hand: float = Field(
        description="Still in stock by the records: received less consumed and scrapped, never"
        " below zero (no physical count is recorded)."
    )
    unexplained: float = Field(
        description="received - consumed - scrapped - onHand: negative when more went out than"
        " came in."
    )
    unexplained_percent: float | None = Field(
        description="unexplained as a percentage of received; null when nothing was received."
    )
    flagged: bool = Field(
        description="Whether the difference is beyond the tolerance (either way), or anything"
        " went out of a lot that received nothing."
    )


class MassBalance(ReadModel):
    """The mass balance of a lot or of every lot of a supplier."""

    tolerance_percent: float = Field(
        description="The tolerance lots are judged by (TRACEGRAPH_MASS_BALANCE_TOLERANCE_PERCENT)."
    )
    lots: list[LotBalance] = Field(description="One balance per lot, by lot number.")
    flagged_count: int = Field(description="How many of them are flagged.")


def balance(sums: dict[str, Any], tolerance_percent: float) -> LotBalance:
    """A lot's balance from its sums (cypher/recall/mass_balance.cypher)."""
    received, consumed, scrapped = sums["received"], sums["consumed"], sums["scrapped"]
    book = received - consumed - scrapped
    on_hand = max(book, 0.0)
    unexplained = book - on_hand
    if abs(unexplained) < EPSILON:
        unexplained = 0.0
    percent = unexplained / received * 100 if received > 0 else None
    flagged = (
        abs(percent) > tolerance_percent + EPSILON if percent is not None else unexplained != 0
    )
    return LotBalance.model_validate(
        {
            **sums,
            "on_hand": on_hand,
            "unexplained": unexplained,
            "unexplained_percent": percent,
            "flagged": flagged,
        }
    )


async def mass_balance(
    tx: AsyncManagedTransaction,
    *,
    lot_number: str | None,
    supplier_id: str | None,
    scope: dict[str, Any],
    tolerance_percent: float = DEFAULT_TOLERANCE_PERCENT,
) -> MassBalance:
    """The balance of ``lot_number``, or of every lot of ``supplier_id`` (exactly one of them)."""
    given = one_root("mass balance", lot_number=lot_number, supplier_id=supplier_id)
    (row,) = await queries.read(tx, "recall.lot_balances", **given, scope=scope)
    if not row["found"]:
        what = f"lot {lot_number!r}" if given["lot_number"] else f"supplier {supplier_id!r}"
        raise NotFoundError(f"mass balance of {what}: nothing found")
    lots = [balance(dict(sums), tolerance_percent) for sums in row["lots"]]
    return MassBalance(
        tolerance_percent=tolerance_percent,
        lots=lots,
        flagged_count=sum(lot.flagged for lot in lots),
    )

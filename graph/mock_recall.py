"""Mock recall report (issue 13 §2): for one lot, the whole recall scope and its mass balance.

BRCGS asks for a mock recall with mass balance at least yearly, "achievable within 4 hours";
IATF 16949 for suspect product found within the customer's response time. The report proves the
drill: what a recall of the lot would touch (graph.recall's preview, unchanged), the lot's mass
balance against the tolerance (graph.mass_balance), the lot itself (supplier, material, received)
and its holds now (graph.holds), with when, by whom and in how long it was compiled.

Everything is read in one read transaction, so the figures agree with each other, and kept to the
caller's scope: a lot the caller may not read is :class:`NotFoundError`, as one that does not
exist. Nothing is written: a drill leaves no trace in the graph (the report is its record).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph.database import Database
from graph.entities import MaterialLotModel, ReadModel, related
from graph.holds import HoldModel, holds_of
from graph.mass_balance import DEFAULT_TOLERANCE_PERCENT, LotBalance
from graph.mass_balance import mass_balance as lot_balances
from graph.recall import RecallPreview, RecallScope, preview
from tracegraph.errors import NotFoundError

DIGITS = frozenset("0123456789")
# The running number is at most this many last digits (longer ones are part of the prefix): a
# carry past them only splits a range, and int() is never given an unbounded text.
MAX_RUNNING_DIGITS = 18


# Not graph.entities' SupplierModel and MaterialModel, which require a name: a drill must not fail
# on loaded data without one (the 10M bench graph's supplier has none).
class LotSupplier(ReadModel):
    """Who delivered the lot (its contacts null for roles that do not see them)."""

    id: str = Field(description="Supplier key.")
    name: str | None = Field(default=None, description="Company name.")
    country: str | None = Field(default=None, description="Country.")
    contact_name: str | None = Field(default=None, description="Contact person.")
    contact_email: str | None = Field(default=None, description="Contact e-mail.")
    phone: str | None = Field(default=None, description="Contact phone.")


class LotMaterial(ReadModel):
    """What the lot is a lot of."""

    id: str = Field(description="Material key.")
    name: str | None = Field(default=None, description="Name.")
    category: str | None = Field(default=None, description="Category.")
    specification: str | None = Field(default=None, description="Specification reference.")


class SerialRange(ReadModel):
    """Consecutive serial numbers: the same prefix and width, running numbers one apart."""

    first: str = Field(description="First serial number of the range.")
    last: str = Field(description="Last serial number of the range (inclusive).")
    count: int = Field(description="Serials in it.")


class BatchLevel(ReadModel):
    """The scope's batches of one sub-assembly level."""

    level: int | None = Field(description="Sub-assembly level (0 = made from lots; null: unknown).")
    count: int = Field(description="Batches of that level.")
    batch_ids: list[str] = Field(description="Their keys, sorted.")


class MockRecallSummary(ReadModel):
    """The scope in figures, as a recall team reads them first."""

    batch_count: int = Field(description="Batches downstream of the lot, at any depth.")
    batches_by_level: list[BatchLevel] = Field(description="Those batches by level, lowest first.")
    serial_count: int = Field(description="Serials they produced.")
    serial_ranges: list[SerialRange] = Field(
        description="Those serials as ranges of consecutive numbers, sorted."
    )
    shipped_units: int = Field(description="Serials whose order left the plant.")
    in_house_units: int = Field(description="Serials still in the plant.")
    order_count: int = Field(description="Orders of those batches.")
    shipped_orders: int = Field(description="Of which shipped (shipped, delivered, completed).")
    customer_count: int = Field(description="Customers of those orders, to notify.")
    contact_count: int = Field(description="Users representing them (whom to notify).")
    open_issue_count: int = Field(description="Quality issues found in the batches, not closed.")
    cost_so_far: float | None = Field(
        description="Total cost of every issue found in the batches; null when the caller's role"
        " does not see quality costs."
    )


class MockRecallReport(ReadModel):
    """A mock recall of one lot: its scope, mass balance and holds, and how long it took."""

    lot_number: str = Field(description="The lot recalled in the drill.")
    compiled_at: dt.datetime = Field(description="When the report was compiled (UTC).")
    compiled_by: str | None = Field(description="Who compiled it: the token's user.")
    compile_ms: float = Field(
        description="Milliseconds the server took to read everything in the report (one read"
        " transaction, records fetched and checked)."
    )
    tolerance_percent: float = Field(description="The mass balance tolerance the lot is judged by.")
    lot: MaterialLotModel = Field(description="The lot: quantity, unit, received, status.")
    supplier: LotSupplier | None = Field(
        description="Who delivered it (null: not recorded, or not the caller's to read)."
    )
    material: LotMaterial | None = Field(description="What it is a lot of.")
    holds: list[HoldModel] = Field(description="Its holds now (empty: not on hold).")
    mass_balance: LotBalance = Field(description="Its mass balance.")
    summary: MockRecallSummary = Field(description="The scope in figures.")
    scope: RecallPreview = Field(
        description="The scope in full, as previewRecall(scope: {lotNumbers: [lot]}) answers it."
    )


def _running(number: str) -> tuple[str, int, int] | None:
    """A serial number's prefix, and the width and value of its running number (last digits)."""
    start, end = len(number), max(len(number) - MAX_RUNNING_DIGITS, 0)
    while start > end and number[start - 1] in DIGITS:
        start -= 1
    if start == len(number):
        return None
    return number[:start], len(number) - start, int(number[start:])


def serial_ranges(numbers: Sequence[str]) -> list[SerialRange]:
    """``numbers`` (sorted) as ranges of consecutive serial numbers, in order.

    Two numbers are consecutive when they differ only in their last digits, of the same width,
    one apart (SN-0009, SN-0010); anything else starts a new range, so a range never claims a
    number that is not in the scope.
    """
    ranges: list[SerialRange] = []
    first = last = None
    count = 0
    previous: tuple[str, int, int] | None = None
    for number in numbers:
        here = _running(number)
        follows = (
            here is not None
            and previous is not None
            and here[:2] == previous[:2]
            and here[2] == previous[2] + 1
        )
        if follows:
            last, count = number, count + 1
        else:
            if first is not None and last is not None:
                ranges.append(SerialRange(first=first, last=last, count=count))
            first, last, count = number, number, 1
        previous = here
    if first is not None and last is not None:
        ranges.append(SerialRange(first=first, last=last, count=count))
    return ranges


def summarize(preview: RecallPreview) -> MockRecallSummary:
    levels: dict[int | None, list[str]] = {}
    for batch in preview.batches:
        levels.setdefault(batch.level, []).append(batch.batch_id)
    return MockRecallSummary(
        batch_count=len(preview.batches),
        batches_by_level=[
            BatchLevel(level=level, count=len(ids), batch_ids=sorted(ids))
            for level, ids in sorted(levels.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        ],
        serial_count=preview.serial_count,
        serial_ranges=serial_ranges(preview.serial_numbers),
        shipped_units=preview.shipped_units,
        in_house_units=preview.in_house_units,
        order_count=len(preview.orders),
        shipped_orders=sum(order.shipped for order in preview.orders),
        customer_count=len(preview.customers),
        contact_count=sum(len(customer.contacts) for customer in preview.customers),
        open_issue_count=len(preview.open_issues),
        cost_so_far=preview.cost_so_far,
    )


async def read_report(
    tx: AsyncManagedTransaction,
    lot_number: str,
    scope: dict[str, Any],
    tolerance_percent: float,
) -> dict[str, Any]:
    """The report's parts for ``lot_number``, read in one transaction (NotFoundError: none)."""
    keys = [lot_number]
    lots = await related(tx, "api.lot_by_number", MaterialLotModel, keys, scope)
    if not lots.get(lot_number):
        raise NotFoundError(f"no lot {lot_number!r}")
    suppliers = await related(tx, "api.lot_supplier", LotSupplier, keys, scope)
    materials = await related(tx, "api.lot_material", LotMaterial, keys, scope)
    held = await holds_of(tx, "lot", lot_number, scope)
    balance = await lot_balances(
        tx,
        lot_number=lot_number,
        supplier_id=None,
        scope=scope,
        tolerance_percent=tolerance_percent,
    )
    scoped = await preview(tx, RecallScope(lot_numbers=keys), scope, tolerance_percent)
    return {
        "lot": lots[lot_number][0],
        "supplier": next(iter(suppliers.get(lot_number, [])), None),
        "material": next(iter(materials.get(lot_number, [])), None),
        "holds": held,
        "mass_balance": balance.lots[0],
        "scope": scoped,
    }


async def compile_report(
    db: Database,
    lot_number: str,
    *,
    scope: dict[str, Any],
    user_id: str | None,
    tolerance_percent: float = DEFAULT_TOLERANCE_PERCENT,
) -> MockRecallReport:
    """The mock recall report of ``lot_number`` as the caller (``scope``) may read it."""
    compiled_at = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    parts = await db.read(read_report, lot_number, scope, tolerance_percent)
    summary = summarize(parts["scope"])
    compile_ms = (time.perf_counter() - started) * 1000
    return MockRecallReport(
        lot_number=lot_number,
        compiled_at=compiled_at,
        compiled_by=user_id,
        compile_ms=round(compile_ms, 1),
        tolerance_percent=tolerance_percent,
        summary=summary,
        **parts,
    )

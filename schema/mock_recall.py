"""``mockRecallReport`` (issue 13 §2): a lot's mock recall report as GraphQL (graph.mock_recall).

The same report as ``GET /reports/mock-recall.json`` (tracegraph.reports), for a frontend that
asks GraphQL; the printable page is the HTTP one. A lot the caller may not read is
``NotFoundError`` (NOT_FOUND), as one that does not exist; a blank lot number ``INVALID_INPUT``.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph import mock_recall
from resolvers.context import Info
from schema.derive import answers_with_model, derived
from schema.holds import Hold
from schema.lots import MaterialLot
from schema.mass_balance import LotBalance
from schema.recall import RecallPreview
from tracegraph.errors import InvalidInputError

# The report nests these types (derived once, in their own modules).
NESTED = (Hold, MaterialLot, LotBalance, RecallPreview)


@derived(mock_recall.LotSupplier)
class LotSupplier:
    pass


@derived(mock_recall.LotMaterial)
class LotMaterial:
    pass


@derived(mock_recall.SerialRange)
class SerialRange:
    pass


@derived(mock_recall.BatchLevel)
class BatchLevel:
    pass


@derived(mock_recall.MockRecallSummary)
class MockRecallSummary:
    pass


@derived(mock_recall.MockRecallReport)
class MockRecallReport:
    pass


async def _mock_recall_report(
    info: Info,
    lot_number: Annotated[
        str, strawberry.argument(description="The lot of the drill, e.g. LOT-2025-0001.")
    ],
) -> mock_recall.MockRecallReport:
    ctx = info.context
    if not lot_number.strip():
        raise InvalidInputError("lotNumber: give the lot number of the mock recall")
    caller = ctx.caller
    return await mock_recall.compile_report(
        ctx.db,
        lot_number.strip(),
        scope=caller.scope(),
        user_id=caller.user_id,
        tolerance_percent=ctx.mass_balance_tolerance_percent,
    )


@strawberry.type
class MockRecallQuery:
    mock_recall_report: MockRecallReport = strawberry.field(
        resolver=answers_with_model(_mock_recall_report),
        description="A mock recall of one lot (BRCGS, IATF 16949), read without writing: the lot,"
        " its holds and mass balance against the tolerance, the whole recall scope (as"
        " previewRecall) with a summary, and when, by whom and in how many milliseconds it was"
        " compiled. The printable page: GET /reports/mock-recall.html?lot=.",
    )

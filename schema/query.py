"""The root ``Query``: the per-concept query types merged into one.

Each concept keeps its root fields in its own module, beside its type (``SupplierQuery`` in
``schema/suppliers.py``, ``TraceQuery`` in ``schema/traces.py``); adding a concept means
adding its type to ``ROOT_TYPES``.
"""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from resolvers.about import resolve_about
from schema.about import About
from schema.analytics import AnalyticsQuery
from schema.batches import BatchQuery
from schema.customers import CustomerQuery
from schema.issues import QualityIssueQuery
from schema.lots import LotQuery
from schema.mass_balance import MassBalanceQuery
from schema.materials import MaterialQuery
from schema.mock_recall import MockRecallQuery
from schema.order_summary import OrderSummaryQuery
from schema.orders import OrderQuery
from schema.qc_checks import QcQuery
from schema.recall import RecallQuery
from schema.recall_campaign import RecallCampaignQuery
from schema.serials import SerialQuery
from schema.suppliers import SupplierQuery
from schema.traces import TraceQuery


@strawberry.type
class AboutQuery:
    about: About = strawberry.field(
        resolver=resolve_about,
        description="What serves this API: versions, migrations, graph size.",
    )


ROOT_TYPES: tuple[type, ...] = (
    AboutQuery,
    SupplierQuery,
    MaterialQuery,
    LotQuery,
    CustomerQuery,
    OrderQuery,
    OrderSummaryQuery,
    BatchQuery,
    SerialQuery,
    QualityIssueQuery,
    TraceQuery,
    QcQuery,
    AnalyticsQuery,
    MassBalanceQuery,
    RecallQuery,
    RecallCampaignQuery,
    MockRecallQuery,
)

Query = merge_types("Query", ROOT_TYPES)

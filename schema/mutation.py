"""The root ``Mutation``: the per-concept mutation types merged into one (as schema.query)."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.documents import DocumentMutation
from schema.holds import HoldMutation
from schema.order_workflow import OrderWorkflowMutation
from schema.qc_checks import QcCheckMutation
from schema.quality_work import QualityWorkMutation
from schema.recall_campaign import RecallMutation
from schema.shop_floor import ShopFloorMutation
from schema.stages import StageMutation

ROOT_TYPES: tuple[type, ...] = (
    OrderWorkflowMutation,
    StageMutation,
    QcCheckMutation,
    DocumentMutation,
    ShopFloorMutation,
    QualityWorkMutation,
    HoldMutation,
    RecallMutation,
)

Mutation = merge_types("Mutation", ROOT_TYPES)

"""Customers, their orders and the order's production tracking (seed 004)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from graph.records.base import Float, Instant, Int, Key, NodeRecord, RelRecord, Texts
from graph.records.supply import Supplier
from graph.vocabulary import (
    OrderStatus,
    ProductionStatus,
    QCResult,
    StageName,
    StageStatus,
    WorkflowStatus,
)


class Customer(NodeRecord):
    LABEL = "Customer"
    KEY = "id"
    id: Key
    name: str
    country: str | None = None


class Order(NodeRecord):
    LABEL = "Order"
    KEY = "order_number"
    order_number: Key
    part_number: str
    product_type: str | None = None
    quantity: Int = Field(ge=0)
    due_date: date
    created_at: Instant
    status: OrderStatus = "pending"
    workflow_status: WorkflowStatus = "quote_requested"
    production_status: ProductionStatus = "not_started"
    current_stage: Int | None = Field(default=None, ge=1, le=8)
    buyer_price: Float | None = Field(default=None, ge=0)
    supplier_cost: Float | None = Field(default=None, ge=0)
    expected_delivery_date: date | None = None
    actual_delivery_date: date | None = None


class ProductionStage(NodeRecord):
    LABEL = "ProductionStage"
    KEY = "id"
    id: Key
    sequence: Int = Field(ge=1, le=8)
    name: StageName
    status: StageStatus = "pending"
    completion_percentage: Int = Field(default=0, ge=0, le=100)
    started_at: Instant | None = None
    completed_at: Instant | None = None
    target_date: date | None = None
    notes: str | None = None
    photo_urls: Texts = Field(default_factory=list)


class QCCheck(NodeRecord):
    LABEL = "QCCheck"
    KEY = "id"
    id: Key
    result: QCResult
    aql_level: str | None = None
    sample_size: Int = Field(ge=0)
    defects_found: Int = Field(ge=0)
    notes: str | None = None
    photo_urls: Texts = Field(default_factory=list)
    checked_at: Instant


class OrderStatusChange(NodeRecord):
    LABEL = "OrderStatusChange"
    KEY = "id"
    id: Key
    from_status: str | None = None
    to_status: str
    changed_at: Instant
    note: str | None = None


class Placed(RelRecord):
    TYPE = "PLACED"
    ONE_PER = "dst"
    FROM = Customer
    TO = Order


class AssignedTo(RelRecord):
    TYPE = "ASSIGNED_TO"
    FROM = Order
    TO = Supplier
    assigned_at: Instant | None = None
    assigned_by: str | None = None


class HasStage(RelRecord):
    TYPE = "HAS_STAGE"
    ONE_PER = "dst"
    FROM = Order
    TO = ProductionStage


class HasQCCheck(RelRecord):
    TYPE = "HAS_QC_CHECK"
    ONE_PER = "dst"
    FROM = Order
    TO = QCCheck


class StatusChanged(RelRecord):
    TYPE = "STATUS_CHANGED"
    ONE_PER = "dst"
    FROM = Order
    TO = OrderStatusChange


class AtStage(RelRecord):
    TYPE = "AT_STAGE"
    ONE_PER = "src"
    FROM = QCCheck
    TO = ProductionStage

"""Records of the model's entities (docs/model.md) and the generic read transactions over them.

Every read takes the caller scope (``$scope``). Relationship reads are batched: one named query
``api.<relationship>`` answers a whole list of parent keys (``UNWIND $keys``) and returns, per key,
the related nodes' properties; DataLoaders (``resolvers.loaders``) call :func:`related` once per
relationship field per request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction
from pydantic import BaseModel, ConfigDict

from graph import queries


def native(value: Any) -> Any:
    """Neo4j temporal values (and lists/maps of them) as Python ``date`` / ``datetime``."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    if isinstance(value, Mapping):
        return {k: native(v) for k, v in value.items()}
    return value


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SupplierRecord(Record):
    id: str
    name: str
    contact_name: str | None = None
    contact_email: str | None = None
    phone: str | None = None
    country: str | None = None
    certifications: list[str] = []
    status: str | None = None


class MaterialRecord(Record):
    id: str
    name: str
    category: str | None = None
    unit: str | None = None
    specification: str | None = None
    requirements: list[str] = []


class MaterialLotRecord(Record):
    lot_number: str
    quantity: float | None = None
    unit: str | None = None
    received_date: dt.date | None = None
    expiry_date: dt.date | None = None
    inspection_result: str | None = None
    quarantine_status: str | None = None
    # From the SUPPLIED relationship, when the lot was read through it.
    promised_at: dt.date | None = None
    delivered_at: dt.date | None = None


class CustomerRecord(Record):
    id: str
    name: str
    country: str | None = None


class OrderRecord(Record):
    order_number: str
    part_number: str | None = None
    product_type: str | None = None
    quantity: int | None = None
    due_date: dt.date | None = None
    created_at: dt.datetime | None = None
    status: str | None = None
    workflow_status: str | None = None
    production_status: str | None = None
    current_stage: int | None = None
    buyer_price: float | None = None
    supplier_cost: float | None = None
    expected_delivery_date: dt.date | None = None
    actual_delivery_date: dt.date | None = None


class MachineRecord(Record):
    id: str
    name: str | None = None
    type: str | None = None
    line: str | None = None


class ShiftRecord(Record):
    id: str
    name: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class OperatorRecord(Record):
    id: str
    name: str | None = None


class BatchRecord(Record):
    batch_id: str
    production_date: dt.date | None = None
    quantity: int | None = None
    serial_start: str | None = None
    serial_end: str | None = None
    level: int | None = None
    status: str | None = None
    # From the CONSUMED relationship, when the batch was read as an input.
    consumed_quantity: float | None = None
    consumed_unit: str | None = None


class SerialRecord(Record):
    serial_number: str
    status: str | None = None


class QualityIssueRecord(Record):
    issue_id: str
    type: str | None = None
    description: str | None = None
    parts_affected: int | None = None
    severity: str | None = None
    status: str | None = None
    detected_at: dt.datetime | None = None
    detected_by: str | None = None
    detection_point: str | None = None
    scrap_cost: float | None = None
    rework_cost: float | None = None
    downtime_cost: float | None = None
    investigation_cost: float | None = None
    total_cost: float | None = None
    charged_to_supplier: bool | None = None


class InvestigationRecord(Record):
    id: str
    status: str | None = None
    root_cause_category: str | None = None
    root_cause_details: str | None = None
    root_cause_confirmed: bool | None = None
    investigator: str | None = None
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None


class VerificationTestRecord(Record):
    id: str
    name: str | None = None
    method: str | None = None
    result: str | None = None
    performed_at: dt.datetime | None = None


class ActionRecord(Record):
    id: str
    kind: str | None = None
    description: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    status: str | None = None
    completed_at: dt.datetime | None = None


class SupplierNotificationRecord(Record):
    id: str
    notified_at: dt.date | None = None
    supplier_response: str | None = None
    supplier_capa_number: str | None = None


class ProductionStageRecord(Record):
    id: str
    sequence: int | None = None
    name: str | None = None
    status: str | None = None
    completion_percentage: int | None = None
    started_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    target_date: dt.date | None = None
    notes: str | None = None
    photo_urls: list[str] = []


class QCCheckRecord(Record):
    id: str
    result: str | None = None
    aql_level: str | None = None
    sample_size: int | None = None
    defects_found: int | None = None
    notes: str | None = None
    photo_urls: list[str] = []
    checked_at: dt.datetime | None = None


class OrderStatusChangeRecord(Record):
    id: str
    from_status: str | None = None
    to_status: str | None = None
    changed_at: dt.datetime | None = None


class UserRecord(Record):
    id: str
    email: str | None = None
    name: str | None = None
    role: str | None = None


class TraceabilityRecord(Record):
    """Seed 000 section 4.3 ``traceability``, derived by traversal from the issue's batch."""

    batch_id: str | None = None
    order_id: str | None = None
    part_number: str | None = None
    customer: str | None = None
    affected_serials: list[str] = []
    shift: str | None = None
    operator: str | None = None


class MaterialUsedRecord(Record):
    """Seed 000 section 4.3 ``materials_used`` entry: a lot behind the issue's batch."""

    material_id: str | None = None
    material_name: str | None = None
    lot_number: str
    supplier_id: str | None = None
    supplier_name: str | None = None


class SupplierQualityMetricsRecord(Record):
    """Seed 000 section 7.3, over issues detected and lots received in a date range."""

    supplier_id: str
    total_issues: int
    total_parts_affected: int
    parts_produced: int
    defect_rate_ppm: float | None
    high_severity_issues: int
    total_cost_impact: float
    lots_received: int
    on_time_delivery_percent: float | None


M = TypeVar("M", bound=Record)


async def related(
    tx: AsyncManagedTransaction,
    name: str,
    model: type[M],
    keys: Sequence[str],
    scope: dict[str, Any],
) -> dict[str, list[M]]:
    """Run ``name`` (rows ``key, items``) for many parent keys; missing keys map to ``[]``."""
    result = await queries.run(tx, name, keys=list(keys), scope=scope)
    found: dict[str, list[M]] = {}
    async for row in result:
        found[row["key"]] = [model.model_validate(native(item)) for item in row["items"]]
    return found


async def page(
    tx: AsyncManagedTransaction,
    name: str,
    model: type[M],
    *,
    filter: dict[str, Any],
    scope: dict[str, Any],
    sort: str,
    after: dict[str, Any] | None,
    rows: int,
) -> list[tuple[Any, M]]:
    """One page of a list query (rows ``sk, node`` ordered by sort key then entity key)."""
    result = await queries.run(
        tx, name, filter=filter, scope=scope, sort=sort, after=after, limit=rows
    )
    return [(row["sk"], model.model_validate(native(row["node"]))) async for row in result]


async def count(
    tx: AsyncManagedTransaction, name: str, *, filter: dict[str, Any], scope: dict[str, Any]
) -> int:
    """How many entities a list query's filter and scope select (``totalCount``)."""
    result = await queries.run(tx, name, filter=filter, scope=scope)
    record = await result.single(strict=True)
    return int(record["total"])


async def supplier_quality_metrics(
    tx: AsyncManagedTransaction,
    supplier_id: str,
    scope: dict[str, Any],
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> SupplierQualityMetricsRecord:
    result = await queries.run(
        tx,
        "api.supplier_quality_metrics",
        supplier_id=supplier_id,
        scope=scope,
        date_from=date_from,
        date_to=date_to,
    )
    record = await result.single(strict=True)
    return SupplierQualityMetricsRecord.model_validate(dict(record))

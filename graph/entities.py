"""The read side of the model: one pydantic model per entity, and the generic reads over them.

Each model is the single definition of what the API shows of a label: its fields, their types and
their descriptions (the GraphQL types in ``schema/`` are derived from these, see
``schema/derive.py``; a test checks them against the loaders' strict records in
``graph/records/``). Models are loose on purpose: they read whatever the graph holds.

Every read takes the caller scope (``$scope``). Relationship reads are batched: one named query
``api.<relationship>`` answers a whole list of parent keys (``UNWIND $keys``) and returns, per key,
the related nodes' properties; DataLoaders (``resolvers.loaders``) call :func:`related` once per
relationship field per request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from neo4j import AsyncManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph import queries
from graph.sampling import CODE_LETTERS, InspectionLevel, InspectionSeverity, SamplingPlan


def native(value: Any) -> Any:
    """Neo4j temporal values (and lists/maps of them) as Python ``date`` / ``datetime``."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    if isinstance(value, Mapping):
        return {k: native(v) for k, v in value.items()}
    return value


class ReadModel(BaseModel):
    """What the API reads of a node or a derived answer; its docstring describes the type."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Entity(ReadModel):
    """A read model with an identity: ``KEY`` names the field holding its business key."""

    KEY: ClassVar[str]

    @property
    def key(self) -> str:
        return str(getattr(self, self.KEY))


class CostImpactModel(ReadModel):
    """What the issue cost (seed 000 cost_impact); every field is null for roles that do not see
    quality costs."""

    scrap_cost: float | None = Field(description="Scrap cost.", default=None)
    rework_cost: float | None = Field(description="Rework cost.", default=None)
    downtime_cost: float | None = Field(description="Downtime cost.", default=None)
    investigation_cost: float | None = Field(description="Investigation cost.", default=None)
    total_cost: float | None = Field(description="Total cost.", default=None)
    charged_to_supplier: bool | None = Field(
        description="Whether it is charged to the supplier.", default=None
    )


class SupplierQualityMetricsModel(ReadModel):
    """Supplier quality over a period (seed 000 section 7.3): issues found downstream of the
    supplier's lots, their cost and the delivery record.
    """

    supplier_id: str = Field(description="The supplier.")
    total_issues: int = Field(
        description=(
            "Quality issues detected in the period in batches that consumed the "
            "supplier's lots (directly or through sub-assemblies)."
        )
    )
    total_parts_affected: int = Field(description="Sum of those issues' parts affected.")
    parts_produced: int = Field(
        description="Parts produced in the period by batches that consumed the supplier's lots."
    )
    defect_rate_ppm: float | None = Field(
        description="Parts affected per million parts produced; null when nothing was produced."
    )
    high_severity_issues: int = Field(description="Issues of severity high or critical.")
    total_cost_impact: float | None = Field(
        description="Sum of those issues' total cost; null when the caller's role does not see"
        " quality costs."
    )
    lots_received: int = Field(description="Lots received from it in the period.")
    on_time_delivery_percent: float | None = Field(
        description=(
            "Share of those lots delivered on or before the promised date (0-100); null "
            "when no lot has a promised date."
        )
    )


class SupplierModel(Entity):
    """A company that delivers material lots (key: id, e.g. SUP-001)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Supplier key, e.g. SUP-001.")
    name: str = Field(description="Company name.")
    # Contacts are null for roles that do not see them (buyers; a supplier sees only its own).
    contact_name: str | None = Field(description="Contact person.", default=None)
    contact_email: str | None = Field(description="Contact e-mail.", default=None)
    phone: str | None = Field(description="Contact phone.", default=None)
    country: str | None = Field(description="Country.", default=None)
    certifications: list[str] = Field(description="Certifications, e.g. ISO 9001.", default=[])
    status: str | None = Field(
        description="active, probation, suspended or inactive.", default=None
    )


class MaterialModel(Entity):
    """A material (key: id, e.g. MAT-001); lots are deliveries of it."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Material key, e.g. MAT-001.")
    name: str = Field(description="Name.")
    category: str | None = Field(description="Category, e.g. metal, yarn.", default=None)
    unit: str | None = Field(description="Unit of measure, e.g. kg.", default=None)
    specification: str | None = Field(description="Specification reference.", default=None)
    requirements: list[str] = Field(description="Quality requirements.", default=[])
    part_numbers: list[str] = Field(
        description="Part numbers this material is specified for (the catalogue's bill of"
        " materials). Once a material lists a part number, consume takes for that part's orders"
        " only lots of the materials listing it.",
        default=[],
    )


class MaterialLotModel(Entity):
    """A lot of material delivered by a supplier (key: lotNumber)."""

    KEY: ClassVar[str] = "lot_number"

    lot_number: str = Field(description="Lot key, e.g. LOT-2025-0001.")
    quantity: float | None = Field(description="Quantity received.", default=None)
    unit: str | None = Field(description="Unit of the quantity.", default=None)
    received_date: dt.date | None = Field(description="Day received.", default=None)
    expiry_date: dt.date | None = Field(description="Expiry day, if any.", default=None)
    inspection_result: str | None = Field(
        description="passed, failed, pending or conditional.", default=None
    )
    quarantine_status: str | None = Field(
        description="released, quarantined, on_hold or rejected.", default=None
    )
    promised_at: dt.date | None = Field(
        description="Promised delivery day (set when read through Supplier.lots).", default=None
    )
    delivered_at: dt.date | None = Field(
        description="Actual delivery day (set when read through Supplier.lots).", default=None
    )


class CustomerModel(Entity):
    """A customer placing orders (key: id, e.g. CUST-001)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Customer key, e.g. CUST-001.")
    name: str = Field(description="Company name.")
    country: str | None = Field(description="Country.", default=None)


class OrderModel(Entity):
    """A customer order (key: orderNumber, e.g. ORD-1001)."""

    KEY: ClassVar[str] = "order_number"

    order_number: str = Field(description="Order key, e.g. ORD-1001.")
    part_number: str | None = Field(description="Part number ordered.", default=None)
    product_type: str | None = Field(description="Product type.", default=None)
    quantity: int | None = Field(description="Quantity ordered.", default=None)
    due_date: dt.date | None = Field(description="Due day.", default=None)
    created_at: dt.datetime | None = Field(description="When the order was created.", default=None)
    status: str | None = Field(
        description="pending, confirmed, in_production, completed or cancelled.", default=None
    )
    workflow_status: str | None = Field(
        description=(
            "quote_requested, quote_provided, quote_accepted, assigned_to_supplier, "
            "in_production, quality_check, shipped, delivered, completed, delayed or cancelled"
            " (the workflow's mutations move it)."
        ),
        default=None,
    )
    production_status: str | None = Field(
        description="not_started, in_progress, delayed or completed.", default=None
    )
    current_stage: int | None = Field(description="Current production stage (1-8).", default=None)
    buyer_price: float | None = Field(
        description="Price to the buyer; null for roles that do not see prices.", default=None
    )
    supplier_cost: float | None = Field(
        description="Cost from the supplier; null for roles that do not see costs.", default=None
    )
    expected_delivery_date: dt.date | None = Field(description="Expected delivery.", default=None)
    actual_delivery_date: dt.date | None = Field(description="Actual delivery.", default=None)
    version: int | None = Field(
        description="Goes up by one with every workflow change (give it as expectedVersion to"
        " refuse a change someone else made first).",
        default=None,
    )


class UserModel(Entity):
    """A person using the platform (key: id)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="User key, e.g. U-001.")
    email: str | None = Field(description="E-mail.", default=None)
    name: str | None = Field(description="Name.", default=None)
    role: str | None = Field(description="buyer, supplier or admin.", default=None)


class ProductionStageModel(Entity):
    """One of an order's eight production stages."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Stage key, <orderNumber>/<sequence>.")
    sequence: int | None = Field(description="1-8.", default=None)
    name: str | None = Field(
        description=(
            "yarn_received, knitting, linking, washing_finishing, final_qc, packing, "
            "ready_to_ship or shipped."
        ),
        default=None,
    )
    status: str | None = Field(
        description="pending, in_progress or completed, as its percentage says (0, 1-99, 100);"
        " delayed while past its target date and not completed.",
        default=None,
    )
    delayed: bool | None = Field(
        description="Past its target date and not completed (computed when read).", default=None
    )
    completion_percentage: int | None = Field(description="0-100.", default=None)
    started_at: dt.datetime | None = Field(description="When it started.", default=None)
    completed_at: dt.datetime | None = Field(description="When it completed.", default=None)
    target_date: dt.date | None = Field(description="Target day.", default=None)
    notes: str | None = Field(description="Notes.", default=None)
    photo_urls: list[str] = Field(description="Photo documentation.", default=[])


class DocumentModel(Entity):
    """A document or photo attached to an order, a stage or a QC check (uploadDocument)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Document key.")
    name: str | None = Field(description="File name as uploaded.", default=None)
    content_type: str | None = Field(
        description="image/jpeg, image/png or application/pdf (from the content).", default=None
    )
    size: int | None = Field(description="Bytes.", default=None)
    sha256: str | None = Field(description="SHA-256 of the content, hex.", default=None)
    description: str | None = Field(description="What it shows.", default=None)
    uploaded_by: str | None = Field(description="Who uploaded it (user id).", default=None)
    uploaded_at: dt.datetime | None = Field(description="When.", default=None)
    url: str | None = Field(
        description="Where to download it (GET, with the same bearer token).", default=None
    )


class QCCheckModel(Entity):
    """A quality control check on an order: one lot inspected by single sampling (ISO 2859-1)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="QC check key (recordQcCheck: <orderNumber>/QC-<n>).")
    result: str | None = Field(
        description="pass (defects <= Ac), fail (defects >= Re) or pending.", default=None
    )
    aql_level: str | None = Field(
        description="AQL, e.g. 2.5 (recordQcCheck writes one of the standard's 26 values).",
        default=None,
    )
    sample_size: int | None = Field(
        description="Units sampled: the plan's n, or the lot size when n >= lot size (100 %"
        " inspection).",
        default=None,
    )
    defects_found: int | None = Field(description="Defects found in the sample.", default=None)
    notes: str | None = Field(description="Notes.", default=None)
    photo_urls: list[str] = Field(description="Photo documentation.", default=[])
    checked_at: dt.datetime | None = Field(description="When it was checked.", default=None)
    # Written by recordQcCheck (graph/qc_checks.py); null on checks loaded from elsewhere.
    lot_size: int | None = Field(description="Units in the lot inspected.", default=None)
    inspection_level: InspectionLevel | None = Field(
        description="Inspection level the sample size code letter was read at.", default=None
    )
    severity: InspectionSeverity | None = Field(
        description="Inspection severity the plan was read from (the supplier and part"
        " number's switching state when checked).",
        default=None,
    )
    severity_after: str | None = Field(
        description="The supplier and part number's severity after this lot: normal,"
        " tightened, reduced or discontinued.",
        default=None,
    )
    code_letter: str | None = Field(
        description="Sample size code letter of the lot size and level (Table I).", default=None
    )
    code_letter_used: str | None = Field(
        description="Code letter whose sample size was used: codeLetter, or the row an arrow"
        " of the master table led to.",
        default=None,
    )
    acceptance_number: int | None = Field(
        description="Ac: the lot passes with this many defects or fewer.", default=None
    )
    rejection_number: int | None = Field(
        description="Re: the lot fails with this many defects or more.", default=None
    )
    resubmitted: bool | None = Field(
        description="Whether the lot was inspected again after a rejection (the switching rules"
        " count original inspections only).",
        default=None,
    )
    checked_by: str | None = Field(description="User id of who recorded it.", default=None)


class InspectionStateModel(Entity):
    """The ISO 2859-1 switching state of one supplier and part number: which severity its next
    lot is inspected at, and the counters the switching rules read (docs/sampling.md)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="<supplierId>/<partNumber>, for client caches.")
    supplier_id: str = Field(description="The supplier.")
    part_number: str = Field(description="The part number.")
    severity: str = Field(
        description="normal, tightened, reduced, or discontinued (9.4: no lot is inspected"
        " under the scheme until the supplier has acted and inspection resumes on tightened)."
    )
    switching_score: int = Field(description="Switching score on normal inspection (9.3.3.2).")
    normal_recent: str = Field(
        description="The last lots on normal inspection, oldest first: A accepted, N not"
        " accepted (at most 4, all the 2-in-5 rule needs)."
    )
    tightened_accepted_run: int = Field(
        description="Consecutive lots accepted on tightened inspection (5 return to normal)."
    )
    tightened_not_accepted: int = Field(
        description="Lots not accepted since tightened inspection began (5 discontinue)."
    )
    lots_inspected: int = Field(
        description="Lots counted by the switching rules (resubmitted lots are not)."
    )
    updated_at: dt.datetime | None = Field(description="When a check last moved it.", default=None)


class SamplingPlanModel(ReadModel):
    """A single sampling plan of ISO 2859-1 / ANSI Z1.4 for one lot (docs/sampling.md)."""

    lot_size: int = Field(description="Units in the lot.")
    inspection_level: InspectionLevel = Field(description="Inspection level.")
    aql: str = Field(description="AQL, as the standard writes it (e.g. 0.65, 2.5, 10).")
    severity: InspectionSeverity = Field(description="Which master table the plan is from.")
    code_letter: str = Field(description="Sample size code letter of the lot size and level.")
    code_letter_used: str = Field(
        description="Code letter of the plan used: codeLetter, or where the arrows led."
    )
    moved_by_arrow: bool = Field(
        description="Whether the cell of codeLetter held an arrow, so the plan (and its sample"
        " size) is another row's: from codeLetter to codeLetterUsed."
    )
    arrow: str | None = Field(
        description="down or up: the arrow followed from codeLetter; null when none was."
    )
    sample_size: int = Field(description="n: units to sample, from the plan's row.")
    units_to_inspect: int = Field(
        description="n, or the lot size when n >= lot size (100 % inspection)."
    )
    full_inspection: bool = Field(description="Whether n >= lot size: inspect every unit.")
    acceptance_number: int = Field(description="Ac: pass with this many defects or fewer.")
    rejection_number: int = Field(description="Re: fail with this many defects or more.")

    @classmethod
    def of(cls, plan: SamplingPlan) -> SamplingPlanModel:
        used, letter = plan.code_letter_used, plan.code_letter
        rows = CODE_LETTERS + "S"
        return cls(
            lot_size=plan.lot_size,
            inspection_level=plan.level,
            aql=str(plan.aql),
            severity=plan.severity,
            code_letter=letter,
            code_letter_used=used,
            moved_by_arrow=used != letter,
            arrow=None
            if used == letter
            else "down"
            if rows.index(used) > rows.index(letter)
            else "up",
            sample_size=plan.sample_size,
            units_to_inspect=plan.units_to_inspect,
            full_inspection=plan.full_inspection,
            acceptance_number=plan.acceptance_number,
            rejection_number=plan.rejection_number,
        )


class OrderStatusChangeModel(Entity):
    """One change of an order's status."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Key, <orderNumber>/<n>.")
    from_status: str | None = Field(description="Status before.", default=None)
    to_status: str | None = Field(description="Status after.", default=None)
    changed_at: dt.datetime | None = Field(description="When.", default=None)
    note: str | None = Field(description="Why, as the person who made it wrote.", default=None)


class MachineModel(Entity):
    """A production machine (key: id, e.g. M-01)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Machine key.")
    name: str | None = Field(description="Name.", default=None)
    type: str | None = Field(description="Machine type.", default=None)
    line: str | None = Field(description="Production line.", default=None)


class ShiftModel(Entity):
    """A work shift (key: id, e.g. A)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Shift key.")
    name: str | None = Field(description="Name, e.g. Morning.", default=None)
    start_time: str | None = Field(description="Start, HH:MM.", default=None)
    end_time: str | None = Field(description="End, HH:MM.", default=None)


class OperatorModel(Entity):
    """A machine operator (key: id, e.g. OP-001)."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Operator key.")
    name: str | None = Field(description="Name.", default=None)


class BatchModel(Entity):
    """A production batch (key: batchId). Level 0 batches consume lots only; level n batches
    consume level n-1 batches (sub-assemblies).
    """

    KEY: ClassVar[str] = "batch_id"

    batch_id: str = Field(description="Batch key, e.g. BATCH-2025-1003-001.")
    production_date: dt.date | None = Field(description="Day produced.", default=None)
    quantity: int | None = Field(description="Units produced.", default=None)
    serial_start: str | None = Field(description="First serial number (inclusive).", default=None)
    serial_end: str | None = Field(description="Last serial number (inclusive).", default=None)
    level: int | None = Field(description="Sub-assembly depth (0 = from lots only).", default=None)
    status: str | None = Field(description="completed, in_progress or scrapped.", default=None)
    consumed_quantity: float | None = Field(
        description="Quantity consumed, when read as an input or consumer of a lot or batch.",
        default=None,
    )
    consumed_unit: str | None = Field(description="Unit of consumedQuantity.", default=None)


class BalanceModel(ReadModel):
    """What remains of a lot or a batch: its quantity less what batches consumed of it and what
    was scrapped of it (the consume and scrap mutations keep it at or above zero)."""

    quantity: float = Field(description="Quantity received (a lot) or produced (a batch).")
    consumed: float = Field(description="Consumed by batches, in all.")
    scrapped: float = Field(description="Scrapped, in all.")
    remaining: float = Field(description="quantity - consumed - scrapped.")
    unit: str | None = Field(description="Unit (a batch's: units).", default=None)


class SerialModel(Entity):
    """A produced unit (key: serialNumber, e.g. SN-000001234)."""

    KEY: ClassVar[str] = "serial_number"

    serial_number: str = Field(description="Serial key.")
    status: str | None = Field(description="ok, defective, reworked or scrapped.", default=None)


class TraceabilityModel(ReadModel):
    """Seed 000 traceability of an issue, derived from its batch: order, part number, customer,
    affected serials, shift and operator.
    """

    batch_id: str | None = Field(description="The batch the issue was found in.", default=None)
    order_id: str | None = Field(
        description="Order number of that batch, or of the batch that consumed it (sub-assembly).",
        default=None,
    )
    part_number: str | None = Field(description="The order's part number.", default=None)
    customer: str | None = Field(description="Name of the order's customer.", default=None)
    affected_serials: list[str] = Field(description="Serial numbers affected.", default=[])
    shift: str | None = Field(description="Shift id of the batch.", default=None)
    operator: str | None = Field(description="Operator name of the batch.", default=None)


class MaterialUsedModel(ReadModel):
    """A lot behind the issue's batch (at any depth), with material and supplier."""

    material_id: str | None = Field(description="Material key.", default=None)
    material_name: str | None = Field(description="Material name.", default=None)
    lot_number: str = Field(description="Lot key.")
    supplier_id: str | None = Field(description="Supplier key.", default=None)
    supplier_name: str | None = Field(description="Supplier name (read, not cached).", default=None)


class QualityIssueModel(Entity):
    """A quality issue found in a batch (key: issueId)."""

    KEY: ClassVar[str] = "issue_id"

    issue_id: str = Field(description="Issue key, e.g. QI-2025-1003-001.")
    type: str | None = Field(description="Defect type.", default=None)
    description: str | None = Field(description="What was found.", default=None)
    parts_affected: int | None = Field(description="Parts affected.", default=None)
    severity: str | None = Field(description="low, medium, high or critical.", default=None)
    status: str | None = Field(
        description="open, investigating, contained or closed.", default=None
    )
    detected_at: dt.datetime | None = Field(description="When it was detected.", default=None)
    detected_by: str | None = Field(description="Who detected it.", default=None)
    detection_point: str | None = Field(description="Where it was detected.", default=None)
    reported_by: str | None = Field(
        description="Who reported it (reportQualityIssue); null when loaded.", default=None
    )
    closed_at: dt.datetime | None = Field(description="When it was closed.", default=None)
    cost_impact: CostImpactModel = Field(description="What it cost.")

    # The graph keeps the costs on the issue node; the API groups them as seed 000 does.
    @model_validator(mode="before")
    @classmethod
    def _group_costs(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "cost_impact" not in data:
            costs = {name: data.get(name) for name in CostImpactModel.model_fields}
            return {**data, "cost_impact": costs}
        return data


class VerificationTestModel(Entity):
    """A test run to verify a suspected root cause."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Key, <issueId>/T<n>.")
    name: str | None = Field(description="Test name.", default=None)
    method: str | None = Field(description="Test method.", default=None)
    result: str | None = Field(description="pass, fail or inconclusive.", default=None)
    performed_at: dt.datetime | None = Field(description="When it was performed.", default=None)


class InvestigationModel(Entity):
    """The root-cause investigation of a quality issue."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Key, <issueId>/INV.")
    status: str | None = Field(description="open, in_progress or closed.", default=None)
    root_cause_category: str | None = Field(
        description="material, machine, process, operator or design.", default=None
    )
    root_cause_details: str | None = Field(description="Root cause, in words.", default=None)
    root_cause_confirmed: bool | None = Field(description="Whether it is confirmed.", default=None)
    investigator: str | None = Field(description="Who investigates.", default=None)
    opened_at: dt.datetime | None = Field(description="When it was opened.", default=None)
    started_at: dt.datetime | None = Field(
        description="When work on it started (open to in_progress).", default=None
    )
    closed_at: dt.datetime | None = Field(description="When it was closed.", default=None)


class ActionModel(Entity):
    """A corrective or preventive action on a quality issue."""

    KEY: ClassVar[str] = "id"

    id: str = Field(description="Key, <issueId>/CA<n> or /PA<n>.")
    kind: str | None = Field(description="corrective or preventive.", default=None)
    description: str | None = Field(description="What is to be done.", default=None)
    owner: str | None = Field(description="Who owns it.", default=None)
    due_date: dt.date | None = Field(description="Due day.", default=None)
    status: str | None = Field(description="open, in_progress, done or cancelled.", default=None)
    overdue: bool = Field(
        description="Past its due day and neither done nor cancelled (computed when read).",
        default=False,
    )
    started_at: dt.datetime | None = Field(description="When work on it started.", default=None)
    completed_at: dt.datetime | None = Field(description="When it was completed.", default=None)
    cancelled_at: dt.datetime | None = Field(description="When it was cancelled.", default=None)


class SupplierNotificationModel(Entity):
    """The notification of a quality issue to the supplier."""

    KEY: ClassVar[str] = "id"

    id: str = Field(
        description="Key, <issueId>/N-<supplierId> (notifySupplier; loaded ones: <issueId>/N)."
    )
    notified: bool = Field(description="Always true: the notification exists.", default=True)
    notification_date: dt.date | None = Field(
        description="Day notified.", default=None, validation_alias="notified_at"
    )
    message: str | None = Field(description="What the plant told the supplier.", default=None)
    notified_by: str | None = Field(description="Who notified it.", default=None)
    supplier_response: str | None = Field(description="The supplier's response.", default=None)
    supplier_capa_number: str | None = Field(
        description="The supplier's CAPA number.", default=None
    )
    responded_at: dt.datetime | None = Field(
        description="When the supplier answered (respondToNotification).", default=None
    )
    responded_by: str | None = Field(description="Who answered for the supplier.", default=None)


M = TypeVar("M", bound=ReadModel)


async def related(
    tx: AsyncManagedTransaction,
    name: str,
    model: type[M],
    keys: Sequence[str],
    scope: dict[str, Any],
) -> dict[str, list[M]]:
    """Run ``name`` (rows ``key, items``) for many parent keys; missing keys map to ``[]``."""
    found: dict[str, list[M]] = {}
    for row in await queries.read(tx, name, keys=list(keys), scope=scope):
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
    found = await queries.read(
        tx, name, filter=filter, scope=scope, sort=sort, after=after, limit=rows
    )
    return [(row["sk"], model.model_validate(native(row["node"]))) for row in found]


async def count(
    tx: AsyncManagedTransaction, name: str, *, filter: dict[str, Any], scope: dict[str, Any]
) -> int:
    """How many entities a list query's filter and scope select (``totalCount``)."""
    (record,) = await queries.read(tx, name, filter=filter, scope=scope)
    return int(record["total"])


async def supplier_quality_metrics(
    tx: AsyncManagedTransaction,
    supplier_id: str,
    scope: dict[str, Any],
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> SupplierQualityMetricsModel:
    (record,) = await queries.read(
        tx,
        "api.supplier_quality_metrics",
        supplier_id=supplier_id,
        scope=scope,
        date_from=date_from,
        date_to=date_to,
    )
    return SupplierQualityMetricsModel.model_validate(dict(record))

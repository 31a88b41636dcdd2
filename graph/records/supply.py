"""Supply side: suppliers, the materials catalogue and received material lots."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from graph.records.base import Float, Int, Key, NodeRecord, RelRecord, Texts
from graph.vocabulary import InspectionResult, QuarantineStatus, SupplierStatus


class Supplier(NodeRecord):
    LABEL = "Supplier"
    KEY = "id"
    id: Key
    name: str
    contact_name: str | None = None
    contact_email: str | None = None
    phone: str | None = None
    country: str | None = None
    certifications: Texts = Field(default_factory=list)
    status: SupplierStatus = "active"


class Material(NodeRecord):
    LABEL = "Material"
    KEY = "id"
    id: Key
    name: str
    category: str | None = None
    unit: str | None = None
    specification: str | None = None
    requirements: Texts = Field(default_factory=list)
    # The catalogue's bill of materials: the part numbers this material is specified for.
    part_numbers: Texts = Field(default_factory=list)


class MaterialLot(NodeRecord):
    LABEL = "MaterialLot"
    KEY = "lot_number"
    lot_number: Key
    quantity: Float = Field(ge=0)
    unit: str | None = None
    received_date: date
    expiry_date: date | None = None
    inspection_result: InspectionResult = "pending"
    quarantine_status: QuarantineStatus = "released"


class Supplied(RelRecord):
    TYPE = "SUPPLIED"
    ONE_PER = "dst"
    FROM = Supplier
    TO = MaterialLot
    promised_at: date | None = None
    delivered_at: date | None = None
    quantity: Float | None = Field(default=None, ge=0)


class OfMaterial(RelRecord):
    TYPE = "OF_MATERIAL"
    ONE_PER = "src"
    FROM = MaterialLot
    TO = Material


class PreferredSupplier(RelRecord):
    TYPE = "PREFERRED_SUPPLIER"
    FROM = Material
    TO = Supplier
    rank: Int = Field(ge=1)

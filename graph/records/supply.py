"""Supply side: suppliers, the materials catalogue and received material lots."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from graph.records.base import NodeRecord, RelRecord
from graph.vocabulary import InspectionResult, QuarantineStatus, SupplierStatus


class Supplier(NodeRecord):
    LABEL = "Supplier"
    KEY = "id"
    id: str = Field(min_length=1)
    name: str
    contact_name: str | None = None
    contact_email: str | None = None
    phone: str | None = None
    country: str | None = None
    certifications: list[str] = Field(default_factory=list)
    status: SupplierStatus = "active"


class Material(NodeRecord):
    LABEL = "Material"
    KEY = "id"
    id: str = Field(min_length=1)
    name: str
    category: str | None = None
    unit: str | None = None
    specification: str | None = None
    requirements: list[str] = Field(default_factory=list)


class MaterialLot(NodeRecord):
    LABEL = "MaterialLot"
    KEY = "lot_number"
    lot_number: str = Field(min_length=1)
    quantity: float = Field(ge=0)
    unit: str | None = None
    received_date: date
    expiry_date: date | None = None
    inspection_result: InspectionResult = "pending"
    quarantine_status: QuarantineStatus = "released"


class Supplied(RelRecord):
    TYPE = "SUPPLIED"
    FROM = Supplier
    TO = MaterialLot
    promised_at: date | None = None
    delivered_at: date | None = None
    quantity: float | None = Field(default=None, ge=0)


class OfMaterial(RelRecord):
    TYPE = "OF_MATERIAL"
    FROM = MaterialLot
    TO = Material


class PreferredSupplier(RelRecord):
    TYPE = "PREFERRED_SUPPLIER"
    FROM = Material
    TO = Supplier
    rank: int = Field(ge=1)

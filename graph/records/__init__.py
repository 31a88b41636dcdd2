"""Pydantic records of every node and relationship of docs/model.md: the loaders' validation."""

from __future__ import annotations

from graph.records import orders, people, production, quality, supply
from graph.records.base import NodeRecord, RelRecord, node_query_name

NODE_TYPES: tuple[type[NodeRecord], ...] = (
    supply.Supplier,
    supply.Material,
    supply.MaterialLot,
    orders.Customer,
    orders.Order,
    orders.ProductionStage,
    orders.QCCheck,
    orders.OrderStatusChange,
    production.Machine,
    production.Shift,
    production.Operator,
    production.Batch,
    production.Serial,
    production.DowntimeEvent,
    quality.QualityIssue,
    quality.Investigation,
    quality.VerificationTest,
    quality.Action,
    quality.SupplierNotification,
    people.User,
)

REL_TYPES: tuple[type[RelRecord], ...] = (
    supply.Supplied,
    supply.OfMaterial,
    supply.PreferredSupplier,
    orders.Placed,
    orders.AssignedTo,
    orders.HasStage,
    orders.HasQCCheck,
    orders.StatusChanged,
    orders.AtStage,
    production.ConsumedLot,
    production.ConsumedBatch,
    production.Produced,
    production.ProducedSerial,
    production.ForOrder,
    production.RunOn,
    production.OperatedBy,
    production.DuringShift,
    production.OnMachine,
    quality.FoundIn,
    quality.Affects,
    quality.HasInvestigation,
    quality.Suspects,
    quality.VerifiedBy,
    quality.HasAction,
    quality.Notified,
    quality.ToSupplier,
    people.WorksFor,
    people.Represents,
    people.ChangedBy,
)

__all__ = [
    "NODE_TYPES",
    "REL_TYPES",
    "NodeRecord",
    "RelRecord",
    "node_query_name",
]

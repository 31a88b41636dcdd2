"""Users of the service and the row-level scope they act in."""

from __future__ import annotations

from pydantic import Field

from graph.records.base import NodeRecord, RelRecord
from graph.records.orders import Customer, OrderStatusChange
from graph.records.supply import Supplier
from graph.vocabulary import UserRole


class User(NodeRecord):
    LABEL = "User"
    KEY = "id"
    id: str = Field(min_length=1)
    email: str
    name: str
    role: UserRole


class WorksFor(RelRecord):
    TYPE = "WORKS_FOR"
    FROM = User
    TO = Supplier


class Represents(RelRecord):
    TYPE = "REPRESENTS"
    FROM = User
    TO = Customer


class ChangedBy(RelRecord):
    TYPE = "CHANGED_BY"
    FROM = OrderStatusChange
    TO = User

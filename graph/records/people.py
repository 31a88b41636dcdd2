"""Users of the service and the row-level scope they act in."""

from __future__ import annotations

from graph.records.base import Key, NodeRecord, RelRecord
from graph.records.orders import Customer, OrderStatusChange
from graph.records.supply import Supplier
from graph.vocabulary import UserRole


class User(NodeRecord):
    LABEL = "User"
    KEY = "id"
    id: Key
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
    ONE_PER = "src"
    FROM = OrderStatusChange
    TO = User

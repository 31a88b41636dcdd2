"""``Customer``: who places orders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.orders as orders_schema
from graph.entities import CustomerRecord, OrderRecord
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.orders import Order


@strawberry.type(description="A customer placing orders (key: id, e.g. CUST-001).")
class Customer:
    id: str = strawberry.field(description="Customer key, e.g. CUST-001.")
    name: str = strawberry.field(description="Company name.")
    country: str | None = strawberry.field(description="Country.")

    @classmethod
    def from_record(cls, rec: CustomerRecord) -> Customer:
        return cls(id=rec.id, name=rec.name, country=rec.country)

    @strawberry.field(description="Orders it placed, newest first.")
    async def orders(self, info: Info) -> list[Annotated[Order, strawberry.lazy("schema.orders")]]:
        recs = await r.many(info, "api.customer_orders", OrderRecord, self.id)
        return [orders_schema.Order.from_record(x) for x in recs]

"""``Customer``: who places orders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import CustomerModel, OrderModel
from resolvers.context import Info
from schema.derive import derived, related
from schema.listing import (
    lookup,
)
from schema.results import InvalidArgument, NotFound

if TYPE_CHECKING:
    from schema.orders import Order


@derived(CustomerModel)
class Customer:
    orders: list[Annotated[Order, strawberry.lazy("schema.orders")]] = related(
        "api.customer_orders", OrderModel, description="Orders it placed, newest first."
    )


CustomerResult = Annotated[
    Customer | NotFound | InvalidArgument,
    strawberry.union("CustomerResult", description="A customer, or why there is none."),
]


@strawberry.type
class CustomerQuery:
    @strawberry.field(description="A customer by id (e.g. CUST-001).")
    async def customer(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Customer id, e.g. CUST-001.")],
    ) -> CustomerResult:
        return await lookup(
            info, Customer, argument="id", key=id, query="api.customer_by_id", what="customer"
        )

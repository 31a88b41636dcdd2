"""Order workflow mutations (seed 004): create an order, then move it along graph.workflow.

Every mutation takes one ``input`` and answers ``OrderChangeResult``: ``OrderChanged`` or a typed
failure. Each input may carry an ``idempotencyKey``: the same key with the same input answers
the first answer again and writes nothing; with other input it is a ``Conflict``. An
``expectedVersion`` makes the move a compare-and-set on ``Order.version``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.entities import OrderModel
from graph.workflow import TRANSITIONS
from resolvers.context import Info
from resolvers.order_workflow import resolve_create_order, resolve_transition
from schema.outcomes import Conflict, Forbidden, InvalidTransition, ValidationFailed, failure
from schema.results import NotFound

if TYPE_CHECKING:
    from schema.orders import Order


@strawberry.type(description="An order after the change.")
class OrderChanged:
    order: Annotated[Order, strawberry.lazy("schema.orders")] = strawberry.field(
        description="The order as the change left it."
    )
    from_state: str | None = strawberry.field(
        name="from", description="Workflow status before (null for a new order)."
    )
    to_state: str = strawberry.field(name="to", description="Workflow status after.")


OrderChangeResult = Annotated[
    OrderChanged | NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict,
    strawberry.union("OrderChangeResult"),
]

_KEY_HELP = "Resending with the same key answers the first answer and writes nothing."


@strawberry.input(description="Move one order one step.")
class OrderStepInput:
    order_number: str = strawberry.field(description="The order.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")
    expected_version: int | None = strawberry.field(
        default=None, description="Refuse (Conflict) unless the order is at this version."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="Quote a price for a requested order.")
class ProvideQuoteInput(OrderStepInput):
    buyer_price: float = strawberry.field(description="What the customer pays.")
    supplier_cost: float | None = strawberry.field(
        default=None, description="What the supplier is paid, if known now."
    )


@strawberry.input(description="Assign an accepted order to a supplier.")
class AssignSupplierInput(OrderStepInput):
    supplier_id: str = strawberry.field(description="The supplier.")


@strawberry.input(description="Request a quote: a new order.")
class CreateOrderInput:
    customer_id: str = strawberry.field(description="Whose order (a buyer: its own customer).")
    order_number: str = strawberry.field(description="Unique order number, e.g. ORD-1001.")
    part_number: str = strawberry.field(description="The part ordered.")
    quantity: int = strawberry.field(description="How many (1 or more).")
    due_date: dt.date = strawberry.field(description="When it is wanted.")
    product_type: str | None = strawberry.field(default=None, description="Kind of product.")
    note: str | None = strawberry.field(default=None, description="For the history.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


def as_result(answer: dict[str, Any]) -> OrderChangeResult:
    """The union member for an answer of resolvers.order_workflow."""
    kind = answer["kind"]
    if kind in ("moved", "created"):
        return OrderChanged(
            order=OrderModel.model_validate(answer["order"]),  # type: ignore[arg-type]  # a model is what the type reads
            from_state=answer["from"],
            to_state=answer["to"],
        )
    return failure(answer)


def _step(operation: str, input_type: type) -> Any:
    """A mutation field for one workflow step (its doc from the workflow table)."""
    step = TRANSITIONS[operation]

    async def resolve(info: Info, input: Any) -> Any:
        return as_result(await resolve_transition(info, operation, input))

    resolve.__annotations__ = {"info": Info, "input": input_type, "return": OrderChangeResult}
    sources = ", ".join(step.sources)
    return strawberry.mutation(
        resolver=resolve,
        description=f"{step.does.capitalize()}: {sources} -> {step.target}.",
    )


@strawberry.type
class OrderWorkflowMutation:
    @strawberry.mutation(description="Request a quote: a new order at quote_requested.")
    async def create_order(self, info: Info, input: CreateOrderInput) -> OrderChangeResult:
        return as_result(await resolve_create_order(info, input))

    provide_quote: OrderChangeResult = _step("provideQuote", ProvideQuoteInput)
    accept_quote: OrderChangeResult = _step("acceptQuote", OrderStepInput)
    assign_supplier: OrderChangeResult = _step("assignSupplier", AssignSupplierInput)
    start_production: OrderChangeResult = _step("startProduction", OrderStepInput)
    report_delay: OrderChangeResult = _step("reportDelay", OrderStepInput)
    resume_production: OrderChangeResult = _step("resumeProduction", OrderStepInput)
    request_qc: OrderChangeResult = _step("requestQc", OrderStepInput)
    fail_qc: OrderChangeResult = _step("failQc", OrderStepInput)
    ship: OrderChangeResult = _step("ship", OrderStepInput)
    confirm_delivery: OrderChangeResult = _step("confirmDelivery", OrderStepInput)
    complete_order: OrderChangeResult = _step("completeOrder", OrderStepInput)
    cancel_order: OrderChangeResult = _step("cancelOrder", OrderStepInput)

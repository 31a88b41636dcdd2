"""Order workflow mutations: validate, check the role, run one write transaction function.

Answers are graph.order_workflow's dicts (``kind``: moved, created, not_found,
invalid_transition, conflict), plus ``forbidden`` and ``validation_failed`` decided here before
anything is written; schema.order_workflow turns them into the result union.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph import order_workflow
from graph.order_workflow import Actor, Answer, WriteRequest
from resolvers.context import Info
from tracegraph.access import refusal

TEXT = 2000
KEY = 200


class _Step(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    order_number: str = Field(min_length=1, max_length=KEY)
    note: str | None = Field(default=None, max_length=TEXT)
    expected_version: int | None = Field(default=None, ge=0)
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=KEY)


class _Quote(_Step):
    buyer_price: float = Field(ge=0, allow_inf_nan=False, le=1e12)
    supplier_cost: float | None = Field(default=None, ge=0, allow_inf_nan=False, le=1e12)


class _Assign(_Step):
    supplier_id: str = Field(min_length=1, max_length=KEY)


class _Create(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    customer_id: str = Field(min_length=1, max_length=KEY)
    order_number: str = Field(min_length=1, max_length=KEY)
    part_number: str = Field(min_length=1, max_length=KEY)
    quantity: int = Field(ge=1, le=10**9)
    due_date: Any
    product_type: str | None = Field(default=None, max_length=KEY)
    note: str | None = Field(default=None, max_length=TEXT)
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=KEY)


_SHAPES: dict[str, type[_Step]] = {"provideQuote": _Quote, "assignSupplier": _Assign}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _validated(shape: type[BaseModel], raw: Any) -> BaseModel | Answer:
    try:
        return shape.model_validate(raw, from_attributes=True)
    except ValidationError as e:
        return {
            "kind": "validation_failed",
            "errors": [
                {
                    "path": ["input", *(_camel(str(p)) for p in err["loc"])],
                    "message": err["msg"],
                }
                for err in e.errors()
            ],
        }


def _refusal(info: Info, operation: str) -> Answer | None:
    caller = info.context.caller
    refused = refusal(caller.role, operation, user_id=caller.user_id)
    if refused is None:
        return None
    return {"kind": "forbidden", "operation": operation, "role": caller.role.value}


def _request(
    info: Info, operation: str, arguments: dict[str, Any], key: str | None
) -> WriteRequest:
    caller = info.context.caller
    return WriteRequest(
        operation=operation,
        actor=Actor(
            user_id=caller.user_id or f"{caller.role.value}-without-id",
            role=caller.role.value,
            scope=caller.scope(),
        ),
        # No key from the client: one per request, so the driver's own retries replay.
        client_key=key or f"auto-{uuid.uuid4()}",
        arguments=arguments,
    )


async def resolve_transition(info: Info, operation: str, raw: Any) -> Answer:
    refused = _refusal(info, operation)
    if refused:
        return refused
    given = _validated(_SHAPES.get(operation, _Step), raw)
    if isinstance(given, dict):
        return given
    assert isinstance(given, _Step)
    arguments = given.model_dump(exclude={"idempotency_key"})
    request = _request(info, operation, arguments, given.idempotency_key)
    changes: dict[str, Any] = {}
    if isinstance(given, _Quote):
        changes = {"buyer_price": given.buyer_price}
        if given.supplier_cost is not None:
            changes["supplier_cost"] = given.supplier_cost
    supplier_id = given.supplier_id if isinstance(given, _Assign) else None

    async def work(tx: Any) -> Answer:
        return await order_workflow.transition(
            tx,
            request,
            order_number=given.order_number,
            expected_version=given.expected_version,
            note=given.note,
            changes=changes,
            supplier_id=supplier_id,
        )

    return await info.context.db.write(work)


async def resolve_create_order(info: Info, raw: Any) -> Answer:
    refused = _refusal(info, "createOrder")
    if refused:
        return refused
    given = _validated(_Create, raw)
    if isinstance(given, dict):
        return given
    assert isinstance(given, _Create)
    arguments = given.model_dump(mode="json", exclude={"idempotency_key"})
    request = _request(info, "createOrder", arguments, given.idempotency_key)
    order = {
        "order_number": given.order_number,
        "part_number": given.part_number,
        "product_type": given.product_type,
        "quantity": given.quantity,
        "due_date": given.due_date,
    }

    async def work(tx: Any) -> Answer:
        return await order_workflow.create_order(
            tx, request, customer_id=given.customer_id, order=order, note=given.note
        )

    return await info.context.db.write(work)

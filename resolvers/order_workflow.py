"""Order workflow mutations: validate, check the role, run one write transaction function.

Answers are graph.order_workflow's dicts (moved, created, or a shared failure kind).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import order_workflow
from graph.writes import Answer, WriteRequest
from resolvers.context import Info
from resolvers.mutations import KEY, TEXT, MutationInput, run_write


class _Step(MutationInput):
    order_number: str = Field(min_length=1, max_length=KEY)
    note: str | None = Field(default=None, max_length=TEXT)
    expected_version: int | None = Field(default=None, ge=0)


class _Quote(_Step):
    buyer_price: float = Field(ge=0, allow_inf_nan=False, le=1e12)
    supplier_cost: float | None = Field(default=None, ge=0, allow_inf_nan=False, le=1e12)


class _Assign(_Step):
    supplier_id: str = Field(min_length=1, max_length=KEY)


class _Create(MutationInput):
    customer_id: str = Field(min_length=1, max_length=KEY)
    order_number: str = Field(min_length=1, max_length=KEY)
    part_number: str = Field(min_length=1, max_length=KEY)
    quantity: int = Field(ge=1, le=10**9)
    due_date: dt.date
    product_type: str | None = Field(default=None, max_length=KEY)
    note: str | None = Field(default=None, max_length=TEXT)


_SHAPES: dict[str, type[_Step]] = {"provideQuote": _Quote, "assignSupplier": _Assign}


async def _move(tx: AsyncManagedTransaction, request: WriteRequest, given: _Step) -> Answer:
    changes: dict[str, Any] = {}
    if isinstance(given, _Quote):
        changes = {"buyer_price": given.buyer_price}
        if given.supplier_cost is not None:
            changes["supplier_cost"] = given.supplier_cost
    return await order_workflow.transition(
        tx,
        request,
        order_number=given.order_number,
        expected_version=given.expected_version,
        note=given.note,
        changes=changes,
        supplier_id=given.supplier_id if isinstance(given, _Assign) else None,
    )


async def _create(tx: AsyncManagedTransaction, request: WriteRequest, given: _Create) -> Answer:
    order = {
        "order_number": given.order_number,
        "part_number": given.part_number,
        "product_type": given.product_type,
        "quantity": given.quantity,
        "due_date": given.due_date,
    }
    return await order_workflow.create_order(
        tx, request, customer_id=given.customer_id, order=order, note=given.note
    )


async def resolve_transition(info: Info, operation: str, raw: Any) -> Answer:
    return await run_write(info, operation, _SHAPES.get(operation, _Step), raw, _move)


async def resolve_create_order(info: Info, raw: Any) -> Answer:
    return await run_write(info, "createOrder", _Create, raw, _create)

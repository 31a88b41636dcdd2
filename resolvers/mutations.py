"""What every mutation resolver shares: validate the input, check the role, name the write.

A resolver answers graph.writes' dicts; ``forbidden`` and ``validation_failed`` are decided
here, before anything is written, and schema.outcomes turns every failure kind into its type.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from neo4j import AsyncManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph import writes
from graph.writes import Actor, Answer, Undone, WriteRequest, validation_failed
from resolvers.context import Info
from tracegraph.access import refusal

TEXT = 2000  # longest free text (notes, descriptions)
KEY = 200  # longest key or name

Shape = TypeVar("Shape", bound=BaseModel)
P = ParamSpec("P")


class MutationInput(BaseModel):
    """Base of every mutation's input model: unknown fields ignored, text stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    idempotency_key: str | None = Field(default=None, min_length=1, max_length=KEY)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def validated(shape: type[Shape], raw: Any) -> Shape | Answer:
    """The input as ``shape``, or a ``validation_failed`` answer naming every bad field."""
    try:
        return shape.model_validate(raw, from_attributes=True)
    except ValidationError as e:
        return validation_failed(
            [([camel(str(p)) for p in err["loc"]], err["msg"]) for err in e.errors()]
        )


def forbidden(info: Info, operation: str) -> Answer | None:
    """A ``forbidden`` answer when the caller's role may not run ``operation`` at all."""
    caller = info.context.caller
    if refusal(caller.role, operation, user_id=caller.user_id) is None:
        return None
    return writes.forbidden(operation, caller.role.value)


def write_request(info: Info, operation: str, given: MutationInput) -> WriteRequest:
    """The write ``operation`` by the caller, keyed by the client's idempotency key."""
    caller = info.context.caller
    return WriteRequest(
        operation=operation,
        actor=Actor(
            user_id=caller.user_id or f"{caller.role.value}-without-id",
            role=caller.role.value,
            scope=caller.scope(),
        ),
        # No key from the client: one per request, so the driver's own retries replay.
        client_key=given.idempotency_key or f"auto-{uuid.uuid4()}",
        arguments=given.model_dump(mode="json", exclude={"idempotency_key"}),
    )


async def run_write(
    info: Info,
    operation: str,
    shape: type[Shape],
    raw: Any,
    work: Callable[[AsyncManagedTransaction, WriteRequest, Shape], Awaitable[Answer]],
) -> Answer:
    """Refuse the role, then bad input, then run ``work`` as one write transaction function."""
    refused = forbidden(info, operation)
    if refused:
        return refused
    given = validated(shape, raw)
    if isinstance(given, dict):
        return given
    if not isinstance(given, MutationInput):
        raise TypeError(f"{shape.__name__} must derive from MutationInput")
    return await answered_write(info, work, write_request(info, operation, given), given)


async def answered_write(
    info: Info,
    work: Callable[Concatenate[AsyncManagedTransaction, P], Awaitable[Answer]],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> Answer:
    """Run ``work`` as one write transaction; a write undone (graph.writes.Undone) answers too:
    a refusal found after it wrote, or the answer of an earlier attempt with the same key."""
    try:
        return await info.context.db.write(work, *args, **kwargs)
    except Undone as undone:
        return undone.answer

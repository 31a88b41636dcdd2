"""The typed failures every mutation answers with (issue 11 §1), beside its success payload.

Expected failures are results, not errors: a client switches on ``__typename``. Unexpected ones
stay masked ``INTERNAL_ERROR`` errors with a request id (schema.errors).
"""

from __future__ import annotations

from typing import Any

import strawberry

from schema.results import NotFound


@strawberry.type(description="The caller's role may not run this operation.")
class Forbidden:
    message: str = strawberry.field(description="For a person.")
    operation: str = strawberry.field(description="The mutation refused.")
    role: str = strawberry.field(description="The caller's role.")


@strawberry.type(description="One input field and what is wrong with it.")
class FieldError:
    path: list[str] = strawberry.field(description="Where in the input, e.g. [input, quantity].")
    message: str = strawberry.field(description="What is wrong, for a person.")


@strawberry.type(description="The input was refused before anything was written.")
class ValidationFailed:
    message: str = strawberry.field(description="For a person.")
    errors: list[FieldError] = strawberry.field(description="Every field that is wrong.")


@strawberry.type(description="The entity is not in a state this operation may leave from.")
class InvalidTransition:
    message: str = strawberry.field(description="For a person.")
    from_state: str | None = strawberry.field(name="from", description="Its current state.")
    to_state: str = strawberry.field(name="to", description="The state asked for.")
    allowed: list[str] = strawberry.field(
        description="The operations that may run from the current state."
    )
    pending: list[str] = strawberry.field(
        default_factory=list,
        description="What must finish first, when that is why (closing a quality issue: its"
        " investigation and each action not yet done or cancelled).",
    )


@strawberry.type(
    description="Someone changed it first, or the idempotency key belongs to another request."
)
class Conflict:
    message: str = strawberry.field(description="For a person.")
    current_version: int | None = strawberry.field(
        description="The entity's version now (read it again), when a version is the cause."
    )


Failure = NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict


def failure(answer: dict[str, Any]) -> Failure:
    """The typed failure for one of graph.writes' shared failure kinds."""
    kind = answer["kind"]
    if kind == "not_found":
        return NotFound(message=f"no {answer['what']} {answer['key']!r}", key=answer["key"])
    if kind == "forbidden":
        return Forbidden(
            message=answer.get("message")
            or f"the {answer['role']} role may not {answer['operation']}",
            operation=answer["operation"],
            role=answer["role"],
        )
    if kind == "validation_failed":
        errors = [FieldError(path=e["path"], message=e["message"]) for e in answer["errors"]]
        where = ", ".join(".".join(e.path) for e in errors)
        return ValidationFailed(message=f"invalid input: {where}", errors=errors)
    if kind == "invalid_transition":
        allowed = answer["allowed"]
        return InvalidTransition(
            message=answer.get("message")
            or f"the {answer['what']} is {answer['from']}; it cannot move to {answer['to']}"
            " from there"
            + (f" (allowed now: {', '.join(allowed)})" if allowed else ""),
            from_state=answer["from"],
            to_state=answer["to"],
            allowed=allowed,
            pending=answer.get("pending") or [],
        )
    if kind == "conflict":
        return Conflict(message=answer["message"], current_version=answer["current_version"])
    raise ValueError(f"not a failure answer: {kind!r}")

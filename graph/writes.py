"""What every write shares: who makes it, its idempotency key, and running it once per key.

Every mutation runs as one transaction function (retried whole by the driver on transient
errors) that does its work and then keeps its answer under the caller's idempotency key
(``<user>:<client key>``; the resolver makes one up per request when the client sends none, so a
driver retry still finds its own first attempt), in one statement. When the key was already
there, the attempt is undone (rolled back, so it wrote nothing) and answers what the key holds:
the first answer replayed, or a conflict for other input. The key is taken last so that a
mutation costs one round trip for it, not two (claim, then store); a replay pays for running the
work once more before it is rolled back, and replays are rare.

Answers are plain JSON-able dicts with a ``kind``; the failure kinds every mutation shares are
not_found, forbidden, validation_failed, invalid_transition and conflict (schema.outcomes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncManagedTransaction
from neo4j.time import Date, DateTime

from graph import queries

Answer = dict[str, Any]


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str
    scope: Mapping[str, Any]


@dataclass(frozen=True)
class WriteRequest:
    operation: str
    actor: Actor
    client_key: str
    # What the caller asked for, as given (fingerprinted for the idempotency check).
    arguments: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.actor.user_id}:{self.client_key}"

    @property
    def input_hash(self) -> str:
        canonical = json.dumps(
            {"operation": self.operation, "input": self.arguments}, sort_keys=True, default=str
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, DateTime | Date):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


async def idempotent(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    work: Callable[[AsyncManagedTransaction], Awaitable[Answer]],
) -> Answer:
    """Run ``work`` once per idempotency key (see the module docstring), in ``tx``.

    Raises :class:`Undone` with the key's answer when an earlier attempt holds the key.
    """
    answer: Answer = _jsonable(await work(tx))
    (kept,) = (
        await queries.write(
            tx,
            "writes.keep_answer",
            key=request.key,
            operation=request.operation,
            input_hash=request.input_hash,
            answer=json.dumps(answer),
            attempt=str(uuid.uuid4()),
        )
    ).records
    if kept["kept"]:
        return answer
    if kept["operation"] != request.operation or kept["input_hash"] != request.input_hash:
        raise Undone(
            conflict(
                "this idempotency key was used for another request; use a new key for a new request"
            )
        )
    raise Undone(json.loads(kept["answer"]))


def validation_failed(errors: list[tuple[list[str], str]]) -> Answer:
    """A refusal naming each field (paths as the client wrote them, under ``input``)."""
    return {
        "kind": "validation_failed",
        "errors": [{"path": ["input", *path], "message": message} for path, message in errors],
    }


def forbidden(operation: str, role: str, *, message: str | None = None) -> Answer:
    """The role may not run ``operation`` (here, or on this row: ``message`` says why)."""
    return {"kind": "forbidden", "operation": operation, "role": role, "message": message}


class Undone(Exception):  # noqa: N818 - what happened to the write, not an error to report
    """Raised by a write's work to undo what it already wrote and answer ``answer`` instead.

    A refusal found after a statement has written (a later step refused under the same lock)
    must not commit that statement: raising leaves the transaction function, so the driver
    rolls it back, idempotency key included, and ``resolvers.mutations.run_write`` answers.
    """

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.get("kind", "refused"))
        self.answer = answer


def not_found(what: str, key: str) -> Answer:
    return {"kind": "not_found", "key": key, "what": what}


def conflict(message: str, current_version: int | None = None) -> Answer:
    return {"kind": "conflict", "message": message, "current_version": current_version}


def invalid_transition(
    what: str,
    state: str | None,
    target: str,
    allowed: list[str],
    *,
    message: str | None = None,
    pending: list[str] | None = None,
) -> Answer:
    """``what`` is ``state``, from which ``target`` is not reached; ``allowed`` can run from it.

    ``message`` says why when the reason is more than the state (schema.outcomes words it else);
    ``pending`` lists what must finish first, when that is the reason.
    """
    return {
        "kind": "invalid_transition",
        "what": what,
        "from": state,
        "to": target,
        "allowed": allowed,
        "message": message,
        "pending": pending or [],
    }

"""One error style on every transport: each error answers with a stable ``extensions.code``.

Expected failures are :class:`~tracegraph.errors.TracegraphError` subclasses (their ``code``) or
GraphQL errors that already carry a code (the limits, see ``schema/operation_cache.py``); other
errors before execution are the client's (``GRAPHQL_VALIDATION_FAILED``); anything else is a bug:
logged with its traceback and the request id, and answered as ``INTERNAL_ERROR`` with only the
request id. No message of Neo4j or the driver reaches a client: the database errors carry a
sentence of ours and keep the driver's text in ``detail``, which is logged.

:class:`ErrorShape` is a schema extension, so HTTP, websockets and a direct ``schema.execute``
are shaped alike; :class:`Schema` routes strawberry's own error hook (the path of errors raised
outside an operation's hooks) through the same function and replaces its traceback logging.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, VariableDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionContext
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult

from tracegraph.errors import TracegraphError
from tracegraph.logs import request_id_var

log = logging.getLogger("tracegraph.errors")

INTERNAL_ERROR = "INTERNAL_ERROR"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
_SHAPED = "_tracegraph_shaped"


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, TracegraphError):
        return original.code
    # A variable's value the client sent does not fit its declared type (graphql-core reports
    # these at the variable's definition, before anything runs).
    if any(isinstance(node, VariableDefinitionNode) for node in error.nodes or ()):
        return BAD_USER_INPUT
    if isinstance(original, GraphQLError):
        return error_code(original)
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if original is None:
        return VALIDATION_FAILED
    return INTERNAL_ERROR


def shape(error: GraphQLError) -> GraphQLError:
    """``error`` with its code in ``extensions``; a bug masked and logged."""
    if getattr(error, _SHAPED, False):
        return error
    code = error_code(error)
    request_id = request_id_var.get()
    message = error.message
    original = error.original_error
    if code == INTERNAL_ERROR:
        log.error(
            "unexpected error in resolver",
            exc_info=original,
            # On the record itself, not only in the context: a handler may format it later.
            extra={"path": error.path, "request_id": request_id},
        )
        message = f"Internal error; quote request id {request_id} when reporting it."
    elif isinstance(original, TracegraphError) and original.detail:
        # The database's own words are for the operator, not the client.
        log.warning(
            "%s: %s",
            code,
            original.detail,
            extra={"path": error.path, "request_id": request_id, "code": code},
        )
    shaped = GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None if code == INTERNAL_ERROR else original,
        extensions={**(error.extensions or {}), "code": code},
    )
    setattr(shaped, _SHAPED, True)
    return shaped


def shape_all(errors: list[GraphQLError]) -> None:
    """Shape ``errors`` in place (results keep their list)."""
    errors[:] = [shape(error) for error in errors]


class ErrorShape(SchemaExtension):
    """Give every error of an operation its code; mask bugs."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | StrawberryExecutionResult) and result.errors:
            shape_all(result.errors)


class Schema(strawberry.Schema):
    """Strawberry's schema with tracegraph's error hook (see the module's doc)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        shape_all(errors)


__all__ = ["ErrorShape", "Schema", "error_code", "shape"]

"""The one error root of the service.

Everything tracegraph raises on purpose derives from :class:`TracegraphError`, so the CLI, the
HTTP layer and GraphQL can tell an expected failure (shown to the user as is) from a bug (masked).
Each subclass carries a stable ``code`` that GraphQL puts into ``extensions.code``.
"""

from __future__ import annotations


class TracegraphError(Exception):
    """Root of every expected tracegraph failure; ``str(err)`` is meant for a person.

    ``detail`` holds what only an operator should read (a driver's message, a URI): logs and the
    CLI show it, API answers never do.
    """

    code = "TRACEGRAPH_ERROR"

    def __init__(self, message: str = "", *, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


class ConfigError(TracegraphError):
    """A setting is missing or malformed."""

    code = "CONFIG_ERROR"


class QueryLoadError(TracegraphError):
    """A ``.cypher`` file is malformed (reported with file:line)."""

    code = "QUERY_LOAD_ERROR"


class QueryParameterError(TracegraphError):
    """A named query was called with parameters other than the ones it declares."""

    code = "QUERY_PARAMETER_ERROR"


class QueryModeError(TracegraphError):
    """A write query was run as a read, or a read as a write."""

    code = "QUERY_MODE_ERROR"


class DatabaseUnavailableError(TracegraphError):
    """Neo4j cannot be reached or refused the credentials."""

    code = "DATABASE_UNAVAILABLE"


class DatabaseError(TracegraphError):
    """Neo4j answered with an error to a statement."""

    code = "DATABASE_ERROR"


class QueryTimeoutError(TracegraphError):
    """A transaction ran past its time limit."""

    code = "QUERY_TIMEOUT"


class MigrationError(TracegraphError):
    """A schema migration is malformed or failed to apply."""

    code = "MIGRATION_ERROR"


class LocalServerError(TracegraphError):
    """The project-local Neo4j server could not be provisioned, started or stopped."""

    code = "LOCAL_SERVER_ERROR"


class NotFoundError(TracegraphError):
    """A record asked for by key does not exist."""

    code = "NOT_FOUND"


class InvalidInputError(TracegraphError):
    """Input failed validation; the message names the record and field."""

    code = "INVALID_INPUT"


class PageSizeExceededError(TracegraphError):
    """A list asked for more items per page than the API serves."""

    code = "PAGE_SIZE_EXCEEDED"


class UnauthenticatedError(TracegraphError):
    """No verified caller: the request carried no valid token."""

    code = "UNAUTHENTICATED"


class InvalidCursorError(TracegraphError):
    """A pagination cursor is malformed or belongs to another sort order."""

    code = "INVALID_CURSOR"

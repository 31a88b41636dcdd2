"""Driver lifecycle and the one place where transaction functions are run.

One :class:`Database` (one ``AsyncDriver``) per process, created in the Starlette lifespan or by
a CLI command. Write transaction functions are run with ``execute_write`` (retried on transient
errors, so they must be idempotent); read transaction functions run each statement as an
auto-commit query, retried the same way (see :class:`AutoCommitReads`). Driver exceptions are
translated here into the tracegraph error root.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import neo4j
from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncResult,
    AsyncSession,
    Query,
    unit_of_work,
)
from neo4j import exceptions as neo4j_errors

from tracegraph.errors import (
    DatabaseError,
    DatabaseUnavailableError,
    QueryTimeoutError,
    TracegraphError,
)
from tracegraph.settings import Settings

P = ParamSpec("P")
R = TypeVar("R")
TxFunction = Callable[Concatenate[AsyncManagedTransaction, P], Awaitable[R]]

_TIMEOUT_CODES = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    "Neo.TransientError.Transaction.LockClientStopped",
)


def translate(err: Exception, *, uri: str) -> TracegraphError:
    """Map a driver exception to the tracegraph error a caller can act on.

    The message is a sentence of ours, safe to show anyone; the driver's own text, the error
    code and the URI go into ``detail`` for the logs and the CLI."""
    detail = f"{type(err).__name__} talking to Neo4j at {uri}: {err}"
    if isinstance(err, neo4j_errors.AuthError):
        return DatabaseUnavailableError(
            "the database refused the service's credentials (check NEO4J_USER / NEO4J_PASSWORD)",
            detail=detail,
        )
    if isinstance(err, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired | OSError):
        return DatabaseUnavailableError(
            "the database is not reachable; try again shortly", detail=detail
        )
    if isinstance(err, neo4j_errors.Neo4jError):
        if err.code in _TIMEOUT_CODES:
            return QueryTimeoutError(
                "the query ran past its time limit and was stopped", detail=detail
            )
        return DatabaseError("the database could not answer this request", detail=detail)
    if isinstance(err, neo4j_errors.DriverError):
        return DatabaseUnavailableError("the database connection failed", detail=detail)
    return DatabaseError("the database could not answer this request", detail=detail)


class AutoCommitReads:
    """What a read transaction function is given in place of a managed transaction: each
    statement it runs is an auto-commit query in one session.

    A read transaction costs BEGIN and COMMIT on top of the statement: a second round trip, a
    transaction object in the driver and two more messages for Neo4j to handle; as auto-commit
    the read is one round trip (0.62 -> 0.42 ms of client CPU and 0.40-0.58 -> 0.34-0.45 ms of
    Neo4j CPU per call, measured on a one-row lookup). Nothing is lost: Neo4j reads at read
    committed either way, so statements of one function never shared a snapshot, and the read is
    retried as ``execute_read`` would retry it (:meth:`Database.read`). Read functions reach the
    transaction only through ``graph.queries``, which calls nothing but ``run``.
    """

    def __init__(self, session: AsyncSession, timeout: float | None) -> None:
        self._session = session
        self._timeout = timeout

    async def run(self, query: str, parameters: dict[str, Any] | None = None) -> AsyncResult:
        return await self._session.run(Query(query, timeout=self._timeout), parameters)


def _retry_delays(
    initial: float = 1.0, multiplier: float = 2.0, jitter: float = 0.2
) -> Iterator[float]:
    """The driver's own back-off for transaction functions (its defaults), for the reads."""
    delay = initial
    while True:
        yield delay * (1 - jitter + 2 * jitter * random.random())  # noqa: S311 - not a secret
        delay *= multiplier


class Database:
    """The process's driver plus the database name and transaction timeout it works with."""

    def __init__(
        self,
        driver: AsyncDriver,
        *,
        uri: str,
        database: str,
        tx_timeout: float | None = None,
        recheck_seconds: float = 2.0,
        retry_seconds: float = 30.0,
    ) -> None:
        self.driver = driver
        self.retry_seconds = retry_seconds
        self.uri = uri
        # While the database is known to be unreachable, requests fail at once instead of each
        # waiting out the driver's connection and retry timeouts; one request (or /readyz)
        # every ``recheck_seconds`` tries again, and the first success closes the circuit.
        self.recheck_seconds = recheck_seconds
        self._down_detail: str | None = None
        self._next_try = 0.0
        self._probing = False
        self.database = database
        self.tx_timeout = tx_timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        driver = AsyncGraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
            max_connection_pool_size=settings.neo4j_max_pool_size,
            # Fail fast when Neo4j is down: readiness probes and the CLI must answer in seconds.
            connection_acquisition_timeout=10.0,
            connection_timeout=5.0,
            max_transaction_retry_time=settings.neo4j_retry_seconds,
            notifications_min_severity="OFF",
        )
        return cls(
            driver,
            uri=settings.neo4j_uri,
            database=settings.neo4j_database,
            tx_timeout=settings.neo4j_tx_timeout_seconds,
            retry_seconds=settings.neo4j_retry_seconds,
        )

    async def close(self) -> None:
        await self.driver.close()

    @property
    def known_down(self) -> bool:
        return self._down_detail is not None

    async def verify(self) -> None:
        """Raise :class:`DatabaseUnavailableError` unless Neo4j answers with these credentials."""
        try:
            await self.driver.verify_connectivity()
        except Exception as e:
            error = translate(e, uri=self.uri)
            self._note(error)
            raise error from e
        self._down_detail = None

    def _note(self, error: TracegraphError) -> None:
        if isinstance(error, DatabaseUnavailableError):
            self._down_detail = error.detail
            self._next_try = time.monotonic() + self.recheck_seconds

    def _fail_fast(self) -> bool:
        """Whether to refuse now: down, not yet time to recheck, or a recheck already running."""
        if self._down_detail is None:
            return False
        if self._probing or time.monotonic() < self._next_try:
            return True
        self._probing = True  # this request is the recheck
        return False

    def _bounded(self, fn: TxFunction[P, R], timeout: float | None) -> TxFunction[P, R]:
        limit = timeout if timeout is not None else self.tx_timeout
        if limit is None:
            return fn

        async def work(tx: AsyncManagedTransaction, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return await fn(tx, *args, **kwargs)

        return unit_of_work(timeout=limit)(work)

    async def read(
        self,
        fn: TxFunction[P, R],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run a read transaction function, its statements as auto-commit reads (routed to
        readers on a cluster), the whole function retried on transient errors."""
        return await self._execute(True, fn, None, *args, **kwargs)

    async def write(
        self,
        fn: TxFunction[P, R],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run a write transaction function (retried on transient errors: keep it idempotent)."""
        return await self._execute(False, fn, None, *args, **kwargs)

    async def write_unbounded(
        self,
        fn: TxFunction[P, R],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """A write with no API time limit: bulk ingest batches and schema migrations."""
        return await self._execute(False, fn, 0.0, *args, **kwargs)

    async def _execute(
        self,
        read: bool,
        fn: TxFunction[P, R],
        limit: float | None,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        if self._fail_fast():
            raise DatabaseUnavailableError(
                "the database is not reachable; try again shortly",
                detail=f"failing fast while down: {self._down_detail}",
            )
        try:
            if read:
                result = await self._read(fn, limit, *args, **kwargs)
            else:
                result = await self._write(fn, limit, *args, **kwargs)
        except TracegraphError:
            self._down_detail = None  # raised by the work itself: the database answered
            raise
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as e:
            error = translate(e, uri=self.uri)
            self._note(error)
            raise error from e
        finally:
            self._probing = False
        # Reached only on success: the database answers again.
        self._down_detail = None
        return result

    async def _read(
        self, fn: TxFunction[P, R], limit: float | None, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        timeout = limit if limit is not None else self.tx_timeout
        delays = _retry_delays()
        started: float | None = None
        while True:
            try:
                async with self.driver.session(
                    database=self.database, default_access_mode=neo4j.READ_ACCESS
                ) as session:
                    # The function only runs statements (see AutoCommitReads), so it is given the
                    # session's auto-commit runner where its signature names a transaction.
                    reads = cast(AsyncManagedTransaction, AutoCommitReads(session, timeout))
                    return await fn(reads, *args, **kwargs)
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as e:
                if not e.is_retryable():
                    raise
                started = time.monotonic() if started is None else started
                if time.monotonic() - started > self.retry_seconds:
                    raise
                await asyncio.sleep(next(delays))

    async def _write(
        self, fn: TxFunction[P, R], limit: float | None, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        work = self._bounded(fn, limit)
        async with self.driver.session(
            database=self.database, default_access_mode=neo4j.WRITE_ACCESS
        ) as session:
            # BEGIN leaves with the first RUN instead of waiting for its own answer: a round trip
            # less per transaction, as the driver's execute_query does. The switch is private, so
            # pyproject pins the driver's minor version.
            with session._pipelined_begin:
                return await session.execute_write(work, *args, **kwargs)

    async def run_schema(self, statement: str, *, params: dict[str, Any] | None = None) -> None:
        """Run one schema statement (DDL) in its own transaction; text comes from cypher/schema."""
        try:
            async with self.driver.session(database=self.database) as session:
                result = await session.run(statement, params or {})
                await result.consume()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as e:
            raise translate(e, uri=self.uri) from e

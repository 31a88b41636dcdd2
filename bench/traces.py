"""Trace benchmark: Cypher through the driver alone vs. the same answer as GraphQL over HTTP.

    python -m bench.traces --uri bolt://127.0.0.1:23787 --password tracegraph-local

Builds (once per server) a synthetic genealogy with ``bench/cypher/genealogy.cypher``: one target
lot -> 35 batches on 3 levels (with diamonds) -> 10,000 serials, plus ``--noise`` smaller families
as background. Then, warm, prints p50/p95 in ms for each case, measured twice: the named Cypher
query run through the async driver (records fetched), and the GraphQL request over HTTP to the
service started as it is deployed (``tracegraph serve``, its own process) on a loopback port. The
two are sampled in turn, one of each per iteration and first in turn, so both see the same
server and machine state. The HTTP client is the standard library's, on one kept-alive
connection, and parses the JSON answer (as the driver decodes its records). ``--profile`` also
prints the PROFILE db hits of the two genealogy strategies (bounded var-length pattern vs APOC BFS).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, NamedTuple

import orjson
import uvloop
from neo4j import AsyncDriver, AsyncManagedTransaction

from graph import queries
from graph.about import graph_counts
from graph.database import Database
from graph.migrations import migrate
from resolvers.context import Caller, Role
from tracegraph.auth import mint_token
from tracegraph.settings import Settings, load_settings

TARGET = "BENCH-T-"
TARGET_LOT = "LOT-BENCH-TARGET"
# Whom each --role measures as: the tenant the target family belongs to, so a scoped trace
# answers the same graph as the admin one (what it costs to check, not to answer less).
CALLERS = {
    "admin": Caller(role=Role.ADMIN, user_id="bench"),
    "buyer": Caller(role=Role.BUYER, customer_id="CUST-BENCH", user_id="bench"),
    "supplier": Caller(role=Role.SUPPLIER, supplier_id="SUP-BENCH", user_id="bench"),
}
# (level, batches, serials per batch) of the target family: 20*200 + 10*300 + 5*600 = 10,000.
TARGET_LEVELS = ((0, 20, 200), (1, 10, 300), (2, 5, 600))
NOISE_LEVELS = ((0, 10, 100), (1, 5, 100), (2, 2, 100))


# The bench's own Cypher, beside it: the service never loads it.
BENCH_QUERIES = queries.load_queries(
    Path(__file__).resolve().parent / "cypher", label="bench/cypher"
)


async def _write(db: Database, name: str, **params: Any) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        await queries.write(tx, BENCH_QUERIES[name], **params)

    await db.write_unbounded(work)


async def _family(
    db: Database, *, prefix: str, lot: str, supplier: str, customer: str, levels: tuple[Any, ...]
) -> None:
    await _write(db, "family_root", supplier_id=supplier, customer_id=customer, lot_number=lot)
    prev = 0
    for level, count, serials in levels:
        await _write(
            db,
            "family_level",
            prefix=prefix,
            level=level,
            count=count,
            prev_count=prev,
            serials=serials,
            lot_number=lot,
            customer_id=customer,
        )
        prev = count
    await _write(db, "family_issues", prefix=prefix, level=2)


async def build(db: Database, noise: int) -> None:
    async def present(tx: AsyncManagedTransaction) -> bool:
        (record,) = await queries.read(tx, BENCH_QUERIES["family_exists"], lot_number=TARGET_LOT)
        return bool(record["present"])

    if await db.read(present):
        print("bench graph already built")
        return
    started = time.perf_counter()
    await _family(
        db,
        prefix=TARGET,
        lot=TARGET_LOT,
        supplier="SUP-BENCH",
        customer="CUST-BENCH",
        levels=TARGET_LEVELS,
    )
    for n in range(noise):
        await _family(
            db,
            prefix=f"BENCH-N{n}-",
            lot=f"LOT-BENCH-N{n}",
            supplier=f"SUP-N{n % 50}",
            customer=f"CUST-N{n % 80}",
            levels=NOISE_LEVELS,
        )
    print(f"built bench graph in {time.perf_counter() - started:.1f} s")


# A genealogy $depth levels deep (issue 15: "8+ levels"), built with the same family Cypher: 12
# batches per level, each consuming three of the level below (diamonds at every level), 50
# serials each; its own lot, so the target family's figures stay comparable.
DEEP_LOT = "LOT-BENCH-DEEP"
DEEP_PREFIX = "BENCH-DEEP-"
DEEP_WIDTH = 12
DEEP_SERIALS = 50


def deep_levels(depth: int) -> tuple[tuple[int, int, int], ...]:
    return tuple((level, DEEP_WIDTH, DEEP_SERIALS) for level in range(depth))


async def build_deep(db: Database, depth: int) -> None:
    """The deep family, once per server (a server keeps the depth it was first built with)."""

    async def present(tx: AsyncManagedTransaction) -> bool:
        (record,) = await queries.read(tx, BENCH_QUERIES["family_exists"], lot_number=DEEP_LOT)
        return bool(record["present"])

    if await db.read(present):
        print("deep bench family already built")
        return
    started = time.perf_counter()
    await _family(
        db,
        prefix=DEEP_PREFIX,
        lot=DEEP_LOT,
        supplier="SUP-BENCH",
        customer="CUST-BENCH",
        levels=deep_levels(depth),
    )
    print(f"built deep bench family ({depth} levels) in {time.perf_counter() - started:.1f} s")


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class GraphQLClient:
    """One kept-alive HTTP/1.1 connection to the service, as a browser would hold one."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def post(self, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """The parsed answer and its size in bytes; a GraphQL error stops the benchmark."""
        body = orjson.dumps({"query": query, "variables": variables})
        self.connection.request("POST", "/graphql", body, self.headers)
        response = self.connection.getresponse()
        raw = response.read()
        answer: dict[str, Any] = orjson.loads(raw)
        if response.status != 200 or "errors" in answer:
            raise SystemExit(f"GraphQL error ({response.status}): {answer.get('errors')}")
        return answer, len(raw)

    def close(self) -> None:
        self.connection.close()


async def timed_driver_call(
    driver: AsyncDriver, database: str, text: str, params: dict[str, Any]
) -> float:
    """Milliseconds of one named query as the API runs it: ``Database.read`` (a session per call,
    the statement auto-commit, every record fetched; sessions are cheap, connections pool)."""
    db = Database(driver, uri="bench", database=database)  # no state of its own but the driver's

    async def work(tx: AsyncManagedTransaction) -> int:
        result = await tx.run(text, params)
        return len(await result.values())

    t0 = time.perf_counter()
    await db.read(work)
    return (time.perf_counter() - t0) * 1000


async def time_pair(
    driver: AsyncDriver,
    database: str,
    client: GraphQLClient,
    case: tuple[str, str, dict[str, Any], str, dict[str, Any]],
    *,
    n: int,
    warm: int,
) -> tuple[list[float], list[float], int]:
    """Cypher and GraphQL samples of one case, taken in turn (one of each per iteration)."""
    _, name, params, query, variables = case
    text = queries.registry()[name].text
    cypher: list[float] = []
    graphql: list[float] = []
    size = 0

    async def timed_cypher() -> float:
        return await timed_driver_call(driver, database, text, params)

    def timed_graphql() -> float:
        nonlocal size
        t0 = time.perf_counter()
        _, size = client.post(query, variables)
        return (time.perf_counter() - t0) * 1000

    for i in range(warm + n):
        # Which goes first alternates: whatever the first call leaves behind (warm caches, a
        # scheduled thread) must not favour one side.
        if i % 2:
            c, g = await timed_cypher(), timed_graphql()
        else:
            g = timed_graphql()
            c = await timed_cypher()
        if i >= warm:
            cypher.append(c)
            graphql.append(g)
    return cypher, graphql, size


def time_baseline(client: GraphQLClient, *, n: int, warm: int) -> list[float]:
    """A GraphQL request that runs no Cypher: HTTP, parse, validate, execute, encode."""
    samples = []
    for i in range(warm + n):
        t0 = time.perf_counter()
        client.post("{ __typename }", {})
        if i >= warm:
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


FORWARD_SUMMARY = """query($lot: String!) { forwardTrace(from: {lotNumber: $lot}) {
  root { key } batches { batchId depth } orders { orderNumber customerId } customers { id }
  issues { issueId totalCost } serialCount
  serials(first: 100) { totalCount hasNextPage endCursor items { serialNumber batchId } } } }"""
FORWARD_NUMBERS = """query($lot: String!) {
  forwardTrace(from: {lotNumber: $lot}) { serialNumbers } }"""
BACKWARD = """query($sn: String!) { backwardTrace(from: {serialNumber: $sn}) {
  batches { batchId depth } lots { lotNumber supplierId materialId quarantineStatus }
  suppliers { id name } materials { id } timeline { at kind subject detail } } }"""
LOOKUP = """query($lot: String!) { lot(lotNumber: $lot) { ... on MaterialLot {
  lotNumber quantity unit receivedDate quarantineStatus } } }"""
IMPACT = """query($lot: String!) { impact(lotNumber: $lot) {
  quarantineStatus totals { batches serials orders customers openIssues costImpact }
  issues { issueId } } }"""


def cases(scope: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], str, dict[str, Any]]]:
    serial = f"{TARGET}L2-0-00001"

    def _forward_params(**extra: Any) -> dict[str, Any]:
        return {
            "lot_number": TARGET_LOT,
            "batch_id": None,
            "supplier_id": None,
            "max_depth": 10,
            "scope": scope,
            **extra,
        }

    return [
        (
            "forward lot: summary + first 100 serials",
            "traces.forward",
            _forward_params(first=100, after=None),
            FORWARD_SUMMARY,
            {"lot": TARGET_LOT},
        ),
        (
            "forward lot: all serial numbers",
            "traces.forward_serial_numbers",
            _forward_params(),
            FORWARD_NUMBERS,
            {"lot": TARGET_LOT},
        ),
        (
            "backward serial -> suppliers",
            "traces.backward",
            {
                "serial_number": serial,
                "batch_id": None,
                "issue_id": None,
                "max_depth": 10,
                "scope": scope,
            },
            BACKWARD,
            {"sn": serial},
        ),
        (
            "impact of lot",
            "traces.impact",
            {"lot_number": TARGET_LOT, "scope": scope},
            IMPACT,
            {"lot": TARGET_LOT},
        ),
        (
            "lot lookup",
            "api.lot_by_number",
            {"keys": [TARGET_LOT], "scope": scope},
            LOOKUP,
            {"lot": TARGET_LOT},
        ),
    ]


def _db_hits(plan: Any) -> int:
    if not plan:
        return 0
    own = int(plan.get("dbHits", 0))
    return own + sum(_db_hits(child) for child in plan.get("children", []))


DIAMOND_LOT = "LOT-BENCH-DIAMOND"
DIAMOND_LEVELS = 16


async def profile(db: Database) -> None:
    async def present(tx: AsyncManagedTransaction) -> bool:
        (record,) = await queries.read(tx, BENCH_QUERIES["family_exists"], lot_number=DIAMOND_LOT)
        return bool(record["present"])

    if not await db.read(present):
        await _write(db, "diamond_stack", levels=DIAMOND_LEVELS)
    for lot, depth in ((TARGET_LOT, 10), (DIAMOND_LOT, DIAMOND_LEVELS)):
        print(f"PROFILE from {lot}, max_depth {depth}:")
        await _profile_pair(db.driver, db.database, lot, depth)


async def _profile_pair(driver: AsyncDriver, database: str, lot: str, depth: int) -> None:
    for name in ("forward_batches_varlength", "forward_batches_apoc"):
        text = BENCH_QUERIES[name].text
        async with driver.session(database=database) as session:
            for _ in range(3):  # warm the plan cache; the last run is reported
                result = await session.run(
                    "PROFILE " + text, {"lot_number": lot, "max_depth": depth}
                )
                record = await result.single(strict=True)
                summary = await result.consume()
        ms = (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
        print(
            f"  {name}: batches={record['batches']} depth_sum={record['depth_sum']}"
            f" db_hits={_db_hits(summary.profile)}"
            f" time={ms} ms"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served(NamedTuple):
    port: int
    pid: int


@contextmanager
def service(settings: Settings, workers: int = 1) -> Iterator[Served]:
    """``tracegraph serve`` in its own process, as deployed; yields its port once it answers."""
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_TX_TIMEOUT_SECONDS": str(settings.neo4j_tx_timeout_seconds),
        "TRACEGRAPH_PORT": str(port),
        "TRACEGRAPH_ENV": "prod",
        "TRACEGRAPH_LOG_LEVEL": "WARNING",
        "TRACEGRAPH_MIGRATE_ON_SERVE": "false",
        "TRACEGRAPH_AUTH_SECRET": _secret(settings),
        "TRACEGRAPH_WORKERS": str(workers),
    }
    entry = "import sys; from tracegraph.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", entry]
    process = subprocess.Popen([*command, "serve"], env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"tracegraph serve exited with {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("tracegraph serve did not answer within 60 s") from None
                time.sleep(0.1)
        yield Served(port, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _secret(settings: Settings) -> str:
    assert settings.tracegraph_auth_secret is not None
    return settings.tracegraph_auth_secret.get_secret_value()


async def _counts(db: Database) -> tuple[int, int]:
    counts = await db.read(graph_counts)
    return counts.nodes, counts.relationships


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:23787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--noise", type=int, default=200, help="background families to build")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="PROFILE var-length vs APOC")
    parser.add_argument(
        "--role", choices=sorted(CALLERS), default="admin", help="whose scope both sides run with"
    )
    args = parser.parse_args()
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        tracegraph_migrate_on_serve=False,
        neo4j_tx_timeout_seconds=60.0,
        tracegraph_auth_secret=secrets.token_urlsafe(48),
    )

    async def prepare() -> tuple[int, int]:
        db = Database.from_settings(settings)
        try:
            await migrate(db)
            await build(db, args.noise)
            if args.profile:
                await profile(db)
            return await _counts(db)
        finally:
            await db.close()

    nodes, rels = asyncio.run(prepare())
    print(f"graph: {nodes:,} nodes, {rels:,} relationships; target lot {TARGET_LOT}")

    # The driver alone runs on the event loop the service runs on (uvicorn picks uvloop).
    caller = CALLERS[args.role]
    print(f"scope: {args.role} {caller.customer_id or caller.supplier_id or ''}")
    base, measured = uvloop.run(measure(settings, caller, args.iterations, args.warmup))
    report(base, measured, args.iterations, args.warmup)


Measured = list[tuple[str, list[float], list[float], int]]


async def measure(
    settings: Settings, caller: Caller, n: int, warm: int
) -> tuple[list[float], Measured]:
    """Every case against one service process, plus a no-Cypher baseline."""
    measured: Measured = []
    db = Database.from_settings(settings)
    try:
        with service(settings) as (port, _):
            token = mint_token(
                settings,
                role=caller.role,
                user="bench",
                customer=caller.customer_id,
                supplier=caller.supplier_id,
                ttl=timedelta(hours=4),
            )
            client = GraphQLClient(port, token)
            try:
                base = time_baseline(client, n=n, warm=warm)
                for case in cases(caller.scope()):
                    cy, gq, size = await time_pair(
                        db.driver, db.database, client, case, n=n, warm=warm
                    )
                    measured.append((case[0], cy, gq, size))
            finally:
                client.close()
    finally:
        await db.close()
    return base, measured


# The overhead targets: at most 2x the driver call on large answers, at most 1 ms added on
# small ones; it leaves the sizes open. Large: the trace summary with its first 100 serials (179
# objects, 10 kB) and the 10,000 serial numbers (212 kB). Small: a lookup and the impact totals
# (a few hundred bytes). The backward trace (about 46 objects, 5 kB) sits between: both shown.
OVERHEAD_TARGET = {
    "forward lot: summary + first 100 serials": "large",
    "forward lot: all serial numbers": "large",
    "backward serial -> suppliers": "both",
    "impact of lot": "small",
    "lot lookup": "small",
}


def _verdict(label: str, ratio: float, added: float) -> str:
    large = f"<=2x {'met' if ratio <= 2 else 'MISSED'}"
    small = f"<=1ms {'met' if added <= 1 else 'MISSED'}"
    target = OVERHEAD_TARGET.get(label)
    return large if target == "large" else small if target == "small" else f"{large}, {small}"


def report(base: list[float], measured: Measured, n: int, warm: int) -> None:
    print(f"iterations={n} warmup={warm} (ms; ratio and added compare GraphQL with Cypher)")
    print(
        "GraphQL over HTTP without Cypher ({ __typename }):"
        f" p50 {_pct(base, 0.5):.2f} p95 {_pct(base, 0.95):.2f}"
    )
    header = (
        f"{'case':<42} {'cypher p50':>10} {'p95':>6} {'graphql p50':>11} {'p95':>6}"
        f" {'ratio p50':>9} {'p95':>6} {'added p50':>9} {'p95':>5} {'bytes':>7}  overhead"
    )
    print(header)
    print("-" * len(header))
    for label, cy, gq, size in measured:
        c50, c95, g50, g95 = _pct(cy, 0.5), _pct(cy, 0.95), _pct(gq, 0.5), _pct(gq, 0.95)
        print(
            f"{label:<42} {c50:>10.2f} {c95:>6.2f} {g50:>11.2f} {g95:>6.2f}"
            f" {g50 / c50:>8.2f}x {g95 / c95:>5.2f}x {g50 - c50:>9.2f} {g95 - c95:>5.2f}"
            f" {size:>7}  {_verdict(label, g95 / c95, g50 - c50)}"
        )


if __name__ == "__main__":
    main()

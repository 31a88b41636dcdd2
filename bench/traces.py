"""Trace benchmark: Cypher through the driver alone vs. the same answer as GraphQL over HTTP.

    python -m bench.traces --uri bolt://127.0.0.1:23787 --password tracegraph-local

Builds (once per server) a synthetic genealogy with ``cypher/bench/genealogy.cypher``: one target
lot -> 35 batches on 3 levels (with diamonds) -> 10,000 serials, plus ``--noise`` smaller families
as background. Then, warm, prints p50/p95 in ms for each case, measured twice: the named Cypher
query run through the async driver (records fetched), and the GraphQL request over HTTP to
uvicorn serving ``tracegraph.app`` in-process on a loopback port. ``--profile`` also prints the
PROFILE db hits of the two genealogy strategies (bounded var-length pattern vs APOC BFS).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import threading
import time
from typing import Any

import httpx2
import uvicorn
from neo4j import AsyncDriver, AsyncManagedTransaction

from graph import queries
from graph.about import graph_counts
from graph.database import Database
from graph.migrations import migrate
from tracegraph.app import create_app
from tracegraph.settings import Settings, load_settings

TARGET = "BENCH-T-"
TARGET_LOT = "LOT-BENCH-TARGET"
ADMIN = {"role": "admin", "customer_id": None, "supplier_id": None}
# (level, batches, serials per batch) of the target family: 20*200 + 10*300 + 5*600 = 10,000.
TARGET_LEVELS = ((0, 20, 200), (1, 10, 300), (2, 5, 600))
NOISE_LEVELS = ((0, 10, 100), (1, 5, 100), (2, 2, 100))


async def _write(db: Database, name: str, **params: Any) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        result = await queries.run(tx, name, **params)
        await result.consume()

    await db.write_unbounded(work)


async def _family(
    db: Database, *, prefix: str, lot: str, supplier: str, customer: str, levels: tuple[Any, ...]
) -> None:
    await _write(
        db, "bench.family_root", supplier_id=supplier, customer_id=customer, lot_number=lot
    )
    prev = 0
    for level, count, serials in levels:
        await _write(
            db,
            "bench.family_level",
            prefix=prefix,
            level=level,
            count=count,
            prev_count=prev,
            serials=serials,
            lot_number=lot,
            customer_id=customer,
        )
        prev = count
    await _write(db, "bench.family_issues", prefix=prefix, level=2)


async def build(db: Database, noise: int) -> None:
    async def present(tx: AsyncManagedTransaction) -> bool:
        result = await queries.run(tx, "bench.family_exists", lot_number=TARGET_LOT)
        record = await result.single(strict=True)
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


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def time_cypher(
    driver: AsyncDriver, database: str, name: str, params: dict[str, Any], *, n: int, warm: int
) -> list[float]:
    text = queries.registry()[name].text

    async def work(tx: AsyncManagedTransaction) -> int:
        result = await tx.run(text, params)
        return len(await result.values())

    samples = []
    for i in range(warm + n):
        t0 = time.perf_counter()
        # A session per call, as the API does per request (sessions are cheap; connections pool).
        async with driver.session(database=database) as session:
            await session.execute_read(work)
        if i >= warm:
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def time_graphql(
    client: httpx2.Client, query: str, variables: dict[str, Any], n: int, warm: int
) -> tuple[list[float], int]:
    samples = []
    size = 0
    for i in range(warm + n):
        t0 = time.perf_counter()
        response = client.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        elapsed = (time.perf_counter() - t0) * 1000
        if "errors" in body:
            raise SystemExit(f"GraphQL error: {body['errors']}")
        size = len(response.content)
        if i >= warm:
            samples.append(elapsed)
    return samples, size


FORWARD_SUMMARY = """query($lot: String!) { forwardTrace(from: {lotNumber: $lot}) {
  root { key } batches { batchId depth } orders { orderNumber customerId } customers { id }
  issues { issueId totalCost } serialCount
  serials(first: 100) { totalCount hasNextPage endCursor items { serialNumber batchId } } } }"""
FORWARD_NUMBERS = """query($lot: String!) {
  forwardTrace(from: {lotNumber: $lot}) { serialNumbers } }"""
BACKWARD = """query($sn: String!) { backwardTrace(from: {serialNumber: $sn}) {
  batches { batchId depth } lots { lotNumber supplierId materialId quarantineStatus }
  suppliers { id name } materials { id } timeline { at kind subject detail } } }"""
IMPACT = """query($lot: String!) { impact(lotNumber: $lot) {
  quarantineStatus totals { batches serials orders customers openIssues costImpact }
  issues { issueId } } }"""


def _forward_params(**extra: Any) -> dict[str, Any]:
    return {
        "lot_number": TARGET_LOT,
        "batch_id": None,
        "supplier_id": None,
        "max_depth": 10,
        "scope": ADMIN,
        **extra,
    }


def cases() -> list[tuple[str, str, dict[str, Any], str, dict[str, Any]]]:
    serial = f"{TARGET}L2-0-00001"
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
                "scope": ADMIN,
            },
            BACKWARD,
            {"sn": serial},
        ),
        (
            "impact of lot",
            "traces.impact",
            {"lot_number": TARGET_LOT, "scope": ADMIN},
            IMPACT,
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
        result = await queries.run(tx, "bench.family_exists", lot_number=DIAMOND_LOT)
        record = await result.single(strict=True)
        return bool(record["present"])

    if not await db.read(present):
        await _write(db, "bench.diamond_stack", levels=DIAMOND_LEVELS)
    for lot, depth in ((TARGET_LOT, 10), (DIAMOND_LOT, DIAMOND_LEVELS)):
        print(f"PROFILE from {lot}, max_depth {depth}:")
        await _profile_pair(db.driver, db.database, lot, depth)


async def _profile_pair(driver: AsyncDriver, database: str, lot: str, depth: int) -> None:
    for name in ("bench.forward_batches_varlength", "bench.forward_batches_apoc"):
        text = queries.registry()[name].text
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, int]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, port


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
    args = parser.parse_args()
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        tracegraph_migrate_on_serve=False,
        neo4j_tx_timeout_seconds=60.0,
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

    async def cypher_all() -> list[list[float]]:
        db = Database.from_settings(settings)
        try:
            return [
                await time_cypher(db.driver, db.database, q, p, n=args.iterations, warm=args.warmup)
                for _, q, p, _, _ in cases()
            ]
        finally:
            await db.close()

    cypher_samples = asyncio.run(cypher_all())
    base, measured = measure_graphql(settings, cypher_samples, args.iterations, args.warmup)
    report(base, measured, args.iterations, args.warmup)


Measured = list[tuple[str, list[float], list[float], int]]


def measure_graphql(
    settings: Settings, cypher_samples: list[list[float]], n: int, warm: int
) -> tuple[list[float], Measured]:
    """The same cases as GraphQL requests, plus a no-Cypher baseline, against one server."""
    measured: Measured = []
    server, thread, port = serve(settings)
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=60.0) as client:
            base, _ = time_graphql(client, "{ __typename }", {}, n, warm)
            for (label, _, _, gql, variables), cy in zip(cases(), cypher_samples, strict=True):
                gq, size = time_graphql(client, gql, variables, n, warm)
                measured.append((label, cy, gq, size))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return base, measured


def report(base: list[float], measured: Measured, n: int, warm: int) -> None:
    print(f"iterations={n} warmup={warm} (ms)")
    print(
        "GraphQL over HTTP without Cypher ({ __typename }):"
        f" p50 {_pct(base, 0.5):.2f} p95 {_pct(base, 0.95):.2f}"
    )
    header = (
        f"{'case':<42} {'cypher p50':>10} {'p95':>7} {'graphql p50':>11} {'p95':>7}"
        f" {'ratio p95':>9} {'added p50':>9} {'bytes':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, cy, gq, size in measured:
        c50, c95, g50, g95 = _pct(cy, 0.5), _pct(cy, 0.95), _pct(gq, 0.5), _pct(gq, 0.95)
        print(
            f"{label:<42} {c50:>10.2f} {c95:>7.2f} {g50:>11.2f} {g95:>7.2f}"
            f" {g95 / c95:>8.2f}x {g50 - c50:>9.2f} {size:>8}"
        )


if __name__ == "__main__":
    main()

"""Recall benchmark (issue 13): previewRecall, holds, quarantine and mass balance of the bench lot.

    python -m bench.recall --uri bolt://127.0.0.1:23787 --password tracegraph-local
    flock /work/wt/bench.lock python -m bench.recall --uri bolt://127.0.0.1:21787 --report-only

Builds (once per server) the trace benchmark's genealogy (bench/traces.py: the target lot ->
35 batches on 3 levels -> 10,000 serials, plus ``--noise`` background families), then, warm,
prints p50/p95 in ms of each transaction function through the async driver (records fetched and
validated, as the API does before encoding): the recall preview of the target lot, opening a
recall of it (holds applied; the recalls it opens are deleted at the end), the holds of its 35
batches and of its orders, its mass balance, the mock recall report of the lot (its one read
transaction, as ``compileMs`` reports it, and the JSON and HTML pages made from it), and a
quarantine plus release of the lot (two write transactions, idempotency key, locks and events
included). ``--report-only`` times the mock recall report alone: it writes nothing, so it may run
against a graph others measure. Figures are printed, never asserted. Every lot of the bench graph
is built quarantined, so holds are found everywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from neo4j import AsyncManagedTransaction

from bench.traces import BENCH_QUERIES, CALLERS, TARGET, TARGET_LEVELS, TARGET_LOT, _pct, build
from graph import holds, mass_balance, mock_recall, queries, recall, recall_campaign
from graph.database import Database
from graph.entities import related
from graph.migrations import migrate
from graph.writes import Actor, WriteRequest
from tracegraph.reports import as_json, render_html
from tracegraph.settings import load_settings


async def _timed(
    label: str, run: Callable[[], Awaitable[Any]], *, n: int, warm: int, size: str
) -> None:
    for _ in range(warm):
        await run()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<44} p50 {_pct(samples, 0.5):7.1f} ms  p95 {_pct(samples, 0.95):7.1f} ms  {size}"
    )


# Recalls the benchmark opens carry this reason, and are deleted by it when it is done.
BENCH_REASON = "bench: timing openRecall"


def _request(actor: Actor, operation: str, **arguments: Any) -> WriteRequest:
    return WriteRequest(operation, actor, f"bench-{uuid.uuid4()}", arguments)


async def _delete_bench_recalls(tx: AsyncManagedTransaction) -> None:
    await queries.write(tx, BENCH_QUERIES["delete_bench_recalls"], reason=BENCH_REASON)


async def run_report(db: Database, *, n: int, warm: int) -> None:
    """The mock recall report of the target lot: compiled (reads), then as JSON and as HTML."""
    scope = CALLERS["admin"].scope()

    async def compile_report() -> mock_recall.MockRecallReport:
        return await mock_recall.compile_report(db, TARGET_LOT, scope=scope, user_id="bench")

    found = await compile_report()
    summary = found.summary
    size = (
        f"{summary.batch_count} batches, {summary.serial_count:,} serials"
        f" ({len(summary.serial_ranges)} ranges), {summary.order_count} orders"
    )
    compile_ms: list[float] = []

    async def timed_compile() -> None:
        compile_ms.append((await compile_report()).compile_ms)

    await _timed("mock recall report (compile_report)", timed_compile, n=n, warm=warm, size=size)
    reported = compile_ms[warm:]
    print(
        f"{'  its own compileMs':<44} p50 {_pct(reported, 0.5):7.1f} ms"
        f"  p95 {_pct(reported, 0.95):7.1f} ms"
    )
    pages = f"JSON {len(as_json(found)):,} B, HTML {len(render_html(found)):,} B"

    async def encode() -> None:
        as_json(found)
        render_html(found)

    await _timed("  + JSON and HTML made from it", encode, n=n, warm=warm, size=pages)


async def run(db: Database, *, n: int, warm: int) -> None:
    scope = CALLERS["admin"].scope()
    batches = [f"{TARGET}L{level}-{i}" for level, count, _ in TARGET_LEVELS for i in range(count)]
    actor = Actor(user_id="bench", role="quality", scope=scope)

    found = await db.read(recall.preview, recall.RecallScope(lot_numbers=[TARGET_LOT]), scope)
    await _timed(
        "previewRecall(lotNumbers: [target])",
        lambda: db.read(recall.preview, recall.RecallScope(lot_numbers=[TARGET_LOT]), scope),
        n=n,
        warm=warm,
        size=f"{len(found.batches)} batches, {found.serial_count:,} serials,"
        f" {len(found.orders)} orders",
    )

    actor_request = functools.partial(_request, actor)

    async def open_recall() -> None:
        answer = await db.write(
            recall_campaign.open_recall,
            actor_request(recall_campaign.OPEN),
            scope=recall.RecallScope(lot_numbers=[TARGET_LOT]),
            reason=BENCH_REASON,
            classification="class_ii",
            tolerance_percent=5.0,
        )
        assert answer["kind"] == "recall_changed", answer

    try:
        await _timed(
            "openRecall(lotNumbers: [target])", open_recall, n=n, warm=warm,
            size="holds on the lot; its customers to notify",
        )  # fmt: skip
    finally:
        await db.write(_delete_bench_recalls)

    async def batch_holds(tx: AsyncManagedTransaction) -> Any:
        return await related(tx, holds.holds_query("batch"), holds.HoldModel, batches, scope)

    held = await db.read(batch_holds)
    await _timed(
        "holds of the target's batches",
        lambda: db.read(batch_holds),
        n=n,
        warm=warm,
        size=f"{len(batches)} keys, {len(held)} held",
    )
    orders = [o.order_number for o in found.orders]

    async def order_holds(tx: AsyncManagedTransaction) -> Any:
        return await related(tx, holds.holds_query("order"), holds.HoldModel, orders, scope)

    await _timed(
        "holds of the target's orders", lambda: db.read(order_holds), n=n, warm=warm,
        size=f"{len(orders)} keys",
    )  # fmt: skip
    await _timed(
        "massBalance(lotNumber: target)",
        lambda: db.read(
            mass_balance.mass_balance, lot_number=TARGET_LOT, supplier_id=None, scope=scope
        ),
        n=n,
        warm=warm,
        size="1 lot",
    )
    await run_report(db, n=n, warm=warm)

    async def release() -> None:
        answer = await db.write(
            holds.release_lot, actor_request(holds.RELEASE), lot_number=TARGET_LOT, note="bench"
        )
        assert answer["kind"] == "released", answer

    async def quarantine() -> None:
        answer = await db.write(
            holds.quarantine_lot,
            actor_request(holds.QUARANTINE),
            lot_number=TARGET_LOT,
            reason="bench",
        )
        assert answer["kind"] == "quarantined", answer

    # Built quarantined: release first, and leave it quarantined as it was built.
    async def cycle() -> None:
        await release()
        await quarantine()

    await _timed("releaseLot + quarantineLot of the target", cycle, n=n, warm=warm, size="2 writes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:23787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--noise", type=int, default=200, help="background families to build")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="time the mock recall report alone (read only; the graph must be built)",
    )
    args = parser.parse_args()
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        neo4j_tx_timeout_seconds=60.0,
    )

    async def go() -> None:
        db = Database.from_settings(settings)
        try:
            if args.report_only:
                await run_report(db, n=args.iterations, warm=args.warmup)
                return
            await migrate(db)
            await build(db, args.noise)
            await run(db, n=args.iterations, warm=args.warmup)
        finally:
            await db.close()

    asyncio.run(go())


if __name__ == "__main__":
    main()

"""Mutation benchmark: updateStageProgress over HTTP, one client, then many on different orders.

    python -m bench.mutations --uri bolt://127.0.0.1:22787 --password tracegraph-local

Creates fresh orders (assigned to the bench supplier, eight pending stages) in the graph at
``--uri``, starts ``tracegraph serve`` as deployed (its own process, prod settings, loopback
port), and sends ``updateStageProgress`` as the supplier's token: each order's stages 1-7 in 10 %
steps, so every request is an accepted write (one write transaction: idempotency key, order
lock, rule checks, stage, event; the order's own workflow step at stages 1 and 4). Prints p50 and
p95 ms for one client, then mutations/s and p95 with ``--clients`` clients at once (one
kept-alive connection each, each on its own orders), and the CPU each process used (client,
service, the rest: Neo4j). Targets (issue 11): one client p95 <= 20 ms; 16 clients >= 250/s at
p95 <= 100 ms. Every answer must be ``StageChanged``; anything else stops the run.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import secrets
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction

from bench.traces import BENCH_QUERIES, GraphQLClient, _pct, service
from graph import queries
from graph.database import Database
from graph.migrations import migrate
from graph.vocabulary import STAGE_NAMES
from tracegraph.access import Role
from tracegraph.auth import mint_token
from tracegraph.settings import Settings, load_settings

SUPPLIER = "SUP-BENCH"
CUSTOMER = "CUST-BENCH"
MUTATION = """mutation($input: UpdateStageProgressInput!) {
  updateStageProgress(input: $input) {
    __typename ... on StageChanged { orderTo stage { status completionPercentage } }
  }
}"""
STEPS = range(10, 101, 10)  # one order: stages 1-7 in 10 % steps = 70 accepted writes


def plan(order: str) -> Iterator[dict[str, Any]]:
    for sequence in range(1, 8):
        for percentage in STEPS:
            yield {"orderNumber": order, "sequence": sequence, "completionPercentage": percentage}


async def create_orders(settings: Settings, prefix: str, count: int) -> None:
    db = Database.from_settings(settings)

    async def work(tx: AsyncManagedTransaction) -> None:
        await queries.write(
            tx,
            BENCH_QUERIES["assigned_orders"],
            prefix=prefix,
            count=count,
            customer_id=CUSTOMER,
            supplier_id=SUPPLIER,
            stage_names=list(STAGE_NAMES),
        )

    try:
        await migrate(db)
        await db.write_unbounded(work)
    finally:
        await db.close()


def run_client(port: int, token: str, orders: list[str], limit: int) -> list[float]:
    """Send up to ``limit`` mutations over ``orders`` in sequence; the latency of each, in ms."""
    client = GraphQLClient(port, token)
    samples: list[float] = []
    try:
        for order in orders:
            for given in plan(order):
                if len(samples) >= limit:
                    return samples
                started = time.perf_counter()
                answer, _ = client.post(MUTATION, {"input": given})
                samples.append((time.perf_counter() - started) * 1000)
                kind = answer["data"]["updateStageProgress"]["__typename"]
                if kind != "StageChanged":
                    raise SystemExit(f"{given}: {answer}")
    finally:
        client.close()
    return samples


def _cpu_seconds(pid: int) -> float:
    """CPU of ``pid`` and of its live children (``serve --workers``: the workers do the work)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_cpu_seconds(int(child)) for child in children)


def _machine_busy_seconds() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wrk_clients(port: int, token: str, groups: list[list[str]], seconds: int) -> dict[str, Any]:
    """One wrk connection (and thread) per group, each sending its orders' steps in order."""
    from bench.throughput import run_wrk  # noqa: PLC0415 - bench.throughput imports this module

    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "client-"
        for number, group in enumerate(groups, start=1):
            lines = [
                orjson.dumps({"query": MUTATION, "variables": {"input": given}})
                for order in group
                for given in plan(order)
            ]
            Path(f"{prefix}{number}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
        machine = _machine_busy_seconds()
        figures, wrk_cpu = run_wrk(
            port,
            token,
            script="sequence.lua",
            arguments=[str(prefix), "StageChanged"],
            threads=len(groups),
            connections=len(groups),
            seconds=seconds,
        )
    return {
        "count": int(figures["requests"]),
        "wall": figures["seconds"],
        "p50": figures["p50"],
        "p95": figures["p95"],
        "machine_cpu": _machine_busy_seconds() - machine,
        "client_cpu": wrk_cpu,
    }


def concurrent(port: int, token: str, groups: list[list[str]], per_client: int) -> dict[str, Any]:
    return concurrently(
        [functools.partial(run_client, port, token, group, per_client) for group in groups]
    )


def concurrently(clients: list[Callable[[], list[float]]]) -> dict[str, Any]:
    """Run each client (its latencies in ms) in a thread of its own, all at once: every sample,
    the wall time, and the CPU the machine and this process spent meanwhile."""
    results: list[list[float]] = [[] for _ in clients]
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            results[i] = clients[i]()
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(clients))]
    machine, client = _machine_busy_seconds(), time.process_time()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"a client failed: {errors[0]!r}")
    samples = [s for r in results for s in r]
    return {
        "count": len(samples),
        "wall": wall,
        "samples": samples,
        "machine_cpu": _machine_busy_seconds() - machine,
        "client_cpu": time.process_time() - client,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:22787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--single", type=int, default=300, help="mutations from one client")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=140, help="mutations per client")
    parser.add_argument("--workers", type=int, default=1, help="tracegraph serve --workers")
    parser.add_argument(
        "--client",
        choices=("python", "wrk"),
        default="python",
        help="many clients as threads of this process, or as wrk connections (its own process,"
        " a thread each, far less CPU per request: wrk-style load)",
    )
    parser.add_argument("--seconds", type=int, default=15, help="with --client wrk: the run")
    args = parser.parse_args()
    if args.client == "wrk":
        # wrk runs for a time, not a count: give each connection more orders than it can finish.
        args.per_client = max(args.per_client, 40 * args.seconds)
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        tracegraph_migrate_on_serve=False,
        tracegraph_auth_secret=secrets.token_urlsafe(48),
    )
    per_order = len(list(plan("x")))
    single_orders = -(-args.single // per_order) + 1  # +1: warm-up
    client_orders = -(-args.per_client // per_order)
    prefix = f"BENCH-MUT-{uuid.uuid4().hex[:8]}-"
    total = single_orders + args.clients * client_orders
    asyncio.run(create_orders(settings, prefix, total))
    names = [f"{prefix}{i}" for i in range(1, total + 1)]
    print(f"{total} fresh orders assigned to {SUPPLIER}, eight stages each")

    with service(settings, args.workers) as (port, service_pid):
        token = mint_token(
            settings, role=Role.SUPPLIER, user="bench", supplier=SUPPLIER, ttl=timedelta(hours=1)
        )
        run_client(port, token, names[:1], per_order)  # warm-up: one whole order
        single = run_client(port, token, names[1:single_orders], args.single)
        print(
            f"one client, {len(single)} mutations: p50 {_pct(single, 0.5):.2f} ms,"
            f" p95 {_pct(single, 0.95):.2f} ms (target p95 <= 20)"
        )
        rest = names[single_orders:]
        groups = [rest[i * client_orders : (i + 1) * client_orders] for i in range(args.clients)]
        service_cpu = _cpu_seconds(service_pid)
        if args.client == "wrk":
            measured = wrk_clients(port, token, groups, args.seconds)
        else:
            measured = concurrent(port, token, groups, args.per_client)
        service_cpu = _cpu_seconds(service_pid) - service_cpu
        rate = measured["count"] / measured["wall"]
        p50 = measured.get("p50") or _pct(measured["samples"], 0.5)
        p95 = measured.get("p95") or _pct(measured["samples"], 0.95)
        print(
            f"{args.clients} clients ({args.client}), {measured['count']} mutations in"
            f" {measured['wall']:.2f} s: {rate:.0f}/s, p50 {p50:.2f} ms,"
            f" p95 {p95:.2f} ms (target >= 250/s at p95 <= 100)"
        )
        cpu = measured["machine_cpu"]
        other = cpu - service_cpu - measured["client_cpu"]
        print(
            f"CPU over the run (2 cores = {2 * measured['wall']:.1f} s): machine {cpu:.1f} s ="
            f" service {service_cpu:.1f} + client {measured['client_cpu']:.1f}"
            f" + Neo4j and the rest {other:.1f}"
        )


if __name__ == "__main__":
    main()

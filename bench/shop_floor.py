"""Shop-floor benchmark: consume and produceSerials (1,000 serials a call) over HTTP.

    python -m bench.shop_floor --uri bolt://127.0.0.1:21787 --password tracegraph-local

Creates, in the graph at ``--uri``, one order in production whose part the catalogue binds to the
bench material, lots of that material (1e9 kg each) and fresh batches of the order; starts
``tracegraph serve`` as deployed (bench.traces.service) and sends, as a production token:

- ``consume``: a fresh batch consumes 1 kg of one of its client's lots (each lot drawn on by many
  batches, so the balance read under the lock sums a growing number of links). Every request is
  an accepted write: idempotency key, the lot's lock, balance, catalogue and status checks,
  link, event. Then the same with every client drawing on one lot: each draw waits for that
  lot's lock.
- ``produceSerials``: a fresh batch of 1,000 units records a range of 1,000 new serials.

Prints p50 and p95 ms with one client, then writes/s and p95 with ``--clients`` clients at once
(one kept-alive connection each, each on its own lots and batches), and where the CPU went
(bench.mutations.concurrently; ``--workers``: ``tracegraph serve --workers``). Targets (issue 12):
consume p95 <= 20 ms; 1,000 serials p95 <= 150 ms. Every answer must be the success payload;
anything else stops the run.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from bench.mutations import _cpu_seconds, _machine_busy_seconds, concurrently
from bench.traces import BENCH_QUERIES, GraphQLClient, Served, _pct, service
from graph import queries
from graph.database import Database
from graph.migrations import migrate
from tracegraph.access import Role
from tracegraph.auth import mint_token
from tracegraph.settings import Settings, load_settings


@dataclass(frozen=True)
class Mutation:
    query: str
    operation: str
    success: str  # the payload's __typename


CONSUME_MUTATION = """mutation($input: ConsumeInput!) { consume(input: $input) {
  __typename ... on Consumed { remaining } ... on InputRefused { message } } }"""
SERIALS_MUTATION = """mutation($input: ProduceSerialsInput!) { produceSerials(input: $input) {
  __typename ... on SerialsProduced { count } ... on SerialsTaken { message } } }"""
CONSUME = Mutation(CONSUME_MUTATION, "consume", "Consumed")
SERIALS = Mutation(SERIALS_MUTATION, "produceSerials", "SerialsProduced")
SERIALS_PER_CALL = 1000
LOTS_PER_CLIENT = 5


def send_all(
    port: int, token: str, mutation: Mutation, inputs: list[dict[str, Any]]
) -> list[float]:
    """Send ``operation`` once per input, in sequence, on one connection; the ms of each."""
    client = GraphQLClient(port, token)
    samples: list[float] = []
    try:
        for given in inputs:
            started = time.perf_counter()
            answer, _ = client.post(mutation.query, {"input": given})
            samples.append((time.perf_counter() - started) * 1000)
            if answer["data"][mutation.operation]["__typename"] != mutation.success:
                raise SystemExit(f"{mutation.operation} {given}: {answer}")
    finally:
        client.close()
    return samples


class Plan:
    """Names of the bench's lots and batches, handed out in order (each batch used once)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.lots = 0
        self.batches = 0

    def take_lots(self, n: int) -> list[str]:
        self.lots += n
        return [f"{self.prefix}L{i}" for i in range(self.lots - n + 1, self.lots + 1)]

    def take_batches(self, n: int) -> list[str]:
        self.batches += n
        return [f"{self.prefix}B{i}" for i in range(self.batches - n + 1, self.batches + 1)]

    def consumes(self, n: int, lots: list[str] | None = None) -> list[dict[str, Any]]:
        lots = lots or self.take_lots(LOTS_PER_CLIENT)
        return [
            {"batchId": batch, "lotNumber": lots[i % len(lots)], "quantity": 1.0}
            for i, batch in enumerate(self.take_batches(n))
        ]

    def serials(self, n: int) -> list[dict[str, Any]]:
        return [
            {"batchId": batch, "range": {"first": f"{batch}-S0001", "last": f"{batch}-S1000"}}
            for batch in self.take_batches(n)
        ]


async def create(settings: Settings, prefix: str, lots: int, batches: int) -> None:
    db = Database.from_settings(settings)

    async def work(tx: AsyncManagedTransaction) -> None:
        await queries.write(
            tx,
            BENCH_QUERIES["shop_floor"],
            prefix=prefix,
            lots=lots,
            batches=batches,
            units=SERIALS_PER_CALL,
        )

    try:
        await migrate(db)
        await db.write_unbounded(work)
    finally:
        await db.close()


Runs = tuple[list[dict[str, Any]], list[dict[str, Any]], list[list[dict[str, Any]]]]


def measure(
    label: str, served: Served, token: str, *, runs: Runs, mutation: Mutation, target: str
) -> None:
    """Warm up, time one client, then ``len(runs[2])`` clients at once; print the figures."""
    warm, single, groups = runs
    port, pid = served
    send = functools.partial(send_all, port, token, mutation)
    send(warm)
    if single:
        # The machine's busy time says how much else ran meanwhile (2 shared cores).
        busy, started = _machine_busy_seconds(), time.perf_counter()
        samples = send(single)
        busy, wall = _machine_busy_seconds() - busy, time.perf_counter() - started
        print(
            f"{label}, one client, {len(samples)} calls: p50 {_pct(samples, 0.5):.1f} ms,"
            f" p95 {_pct(samples, 0.95):.1f} ms ({target}); machine busy {busy:.1f} s of"
            f" {2 * wall:.1f}"
        )
    service_cpu = _cpu_seconds(pid)
    measured = concurrently([functools.partial(send, group) for group in groups])
    service_cpu = _cpu_seconds(pid) - service_cpu
    rate = measured["count"] / measured["wall"]
    print(
        f"{label}, {len(groups)} clients, {measured['count']} calls in {measured['wall']:.2f} s:"
        f" {rate:.1f}/s, p50 {_pct(measured['samples'], 0.5):.1f} ms,"
        f" p95 {_pct(measured['samples'], 0.95):.1f} ms;"
        f" CPU machine {measured['machine_cpu']:.1f} s (2 cores = {2 * measured['wall']:.1f} s),"
        f" service {service_cpu:.1f} s"
    )


def _groups(make: Any, clients: int, each: int) -> Iterator[list[dict[str, Any]]]:
    for _ in range(clients):
        yield make(each)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:21787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--consumes", type=int, default=300, help="consume calls, one client")
    parser.add_argument("--consumes-per-client", type=int, default=100)
    parser.add_argument("--serial-calls", type=int, default=40, help="1,000 serials each")
    parser.add_argument("--serial-calls-per-client", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1, help="tracegraph serve --workers")
    args = parser.parse_args()
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        tracegraph_migrate_on_serve=False,
        tracegraph_auth_secret=secrets.token_urlsafe(48),
    )
    plan = Plan(f"BENCH-SHOP-{uuid.uuid4().hex[:8]}-")
    consume_runs = (
        plan.consumes(50),
        plan.consumes(args.consumes),
        list(_groups(plan.consumes, args.clients, args.consumes_per_client)),
    )
    # Every client on the same lot: each draw waits for the lot's lock.
    one_lot = functools.partial(plan.consumes, lots=plan.take_lots(1))
    hot_runs: Runs = ([], [], list(_groups(one_lot, args.clients, args.consumes_per_client)))
    serial_runs = (
        plan.serials(3),
        plan.serials(args.serial_calls),
        list(_groups(plan.serials, args.clients, args.serial_calls_per_client)),
    )
    asyncio.run(create(settings, plan.prefix, plan.lots, plan.batches))
    print(f"{plan.lots} fresh lots and {plan.batches} fresh batches ({plan.prefix}*)")
    with service(settings, args.workers) as served:
        token = mint_token(settings, role=Role.PRODUCTION, user="bench", ttl=timedelta(hours=1))
        measure(
            "consume",
            served,
            token,
            runs=consume_runs,
            mutation=CONSUME,
            target="target p95 <= 20 ms",
        )
        measure(
            "consume, every client on one lot",
            served,
            token,
            runs=hot_runs,
            mutation=CONSUME,
            target="target p95 <= 20 ms",
        )
        measure(
            f"produceSerials ({SERIALS_PER_CALL} a call)",
            served,
            token,
            runs=serial_runs,
            mutation=SERIALS,
            target="target p95 <= 150 ms",
        )


if __name__ == "__main__":
    main()

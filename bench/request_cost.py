"""Where a request's CPU goes: each layer of a lookup and a backward trace, in one process.

    python -m bench.request_cost --uri bolt://127.0.0.1:21787

Uses the graph and target family ``bench.traces`` builds. Runs, on uvloop as ``serve`` does and
alternating round by round, each of these for ``--seconds`` and prints the process's CPU per call:

- the driver alone: ``RETURN 1`` (``meta.ping``) through ``Database.read``, as every read goes;
- the graph call of each request alone: ``Database.read`` of the lookup's and the trace's
  transaction functions with the answer's read models, as their resolvers call them;
- GraphQL without HTTP: ``schema.execute`` of ``{ __typename }`` (no resolver, no Cypher), and
  of the lookup and the backward trace the throughput bench sends (``bench.traces``).

The heap is frozen once everything is built, as ``serve`` freezes it (``freeze_heap``).

What a request costs over HTTP (``bench.throughput``) less ``schema.execute`` of the same
document is the HTTP layer's share (uvicorn, Starlette, the middlewares, strawberry's view);
``schema.execute`` less the graph call is GraphQL's (parse and validation from the cache, cost,
resolvers, DataLoaders, completing the answer); the graph call less ``RETURN 1`` is what the
query's own answer costs the client (its records and read models).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import time
from collections.abc import Awaitable, Callable

import uvloop

from bench.throughput import LOTS
from bench.traces import BACKWARD, CALLERS, FORWARD_NUMBERS, LOOKUP, TARGET_LOT
from graph import about
from graph import traces as traces_tx
from graph.database import Database
from graph.entities import MaterialLotModel, related
from resolvers.context import Context
from schema.root import build_schema
from tracegraph.serving import freeze_heap
from tracegraph.settings import load_settings


async def cpu_per_call(call: Callable[[int], Awaitable[object]], seconds: float) -> float:
    """Microseconds of this process's CPU per call, over ``seconds`` of calls one after another."""
    for i in range(100):  # warm: plans cached, connections open
        await call(i)
    calls, started, until = 0, time.process_time(), time.perf_counter() + seconds
    while time.perf_counter() < until:
        await call(calls)
        calls += 1
    return (time.process_time() - started) / calls * 1e6


async def run(args: argparse.Namespace) -> None:
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        tracegraph_env="prod",
        tracegraph_auth_secret=secrets.token_urlsafe(48),
    )
    db = Database.from_settings(settings)
    schema = build_schema(settings)
    caller = CALLERS[args.role]
    scope = caller.scope()

    async def execute(query: str, variables: dict[str, object] | None = None) -> object:
        result = await schema.execute(
            query, variable_values=variables, context_value=Context(db=db, principal=caller)
        )
        if result.errors:
            raise SystemExit(f"{query}: {result.errors}")
        return result.data

    lots_page: object = await execute(LOTS)
    lots = [edge["node"]["lotNumber"] for edge in lots_page["lots"]["edges"]]  # type: ignore[index]
    forward: object = await execute(FORWARD_NUMBERS, {"lot": TARGET_LOT})
    serials = forward["forwardTrace"]["serialNumbers"]  # type: ignore[index]
    if not lots or not serials:
        raise SystemExit("nothing to ask for; run bench.traces on this graph first")
    freeze_heap()  # as serve does once the app is built

    cases: dict[str, Callable[[int], Awaitable[object]]] = {
        "driver: RETURN 1 (Database.read)": lambda i: db.read(about.ping),
        "graph call: lookup": lambda i: db.read(
            related, "api.lot_by_number", MaterialLotModel, [lots[i % len(lots)]], scope
        ),
        "graph call: backward trace": lambda i: db.read(
            traces_tx.backward_trace, serial_number=serials[i % len(serials)], scope=scope
        ),
        "GraphQL: { __typename }": lambda i: execute("{ __typename }"),
        "GraphQL: lookup": lambda i: execute(LOOKUP, {"lot": lots[i % len(lots)]}),
        "GraphQL: backward trace": lambda i: execute(BACKWARD, {"sn": serials[i % len(serials)]}),
    }
    figures: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, call in cases.items():
            figures[name].append(await cpu_per_call(call, args.seconds))
    await db.close()
    print(f"CPU per call in one process, µs (median of {args.rounds} rounds; each round's figure)")
    print("| case | µs per call | rounds |")
    print("|---|---:|---|")
    for name, values in figures.items():
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"| {name} | {statistics.median(values):.0f} | {rounds} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:21787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--role", choices=sorted(CALLERS), default="admin")
    parser.add_argument("--seconds", type=float, default=4.0, help="each case, each round")
    parser.add_argument("--rounds", type=int, default=3)
    uvloop.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()

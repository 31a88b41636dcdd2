"""Ingest benchmark: the demo generator at given scales into a fresh database.

    python -m bench.ingest --scales 100000 1000000

Uses the settings of the environment (NEO4J_URI, NEO4J_PASSWORD ...). Before each scale the
graph is emptied (schema kept); each scale is loaded by a fresh child process, so its peak RSS is
the loader's alone. Prints nodes + relationships per second and peak RSS per scale.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence

from graph import queries
from graph.database import Database
from graph.ingest import DEFAULT_BATCH_SIZE, Progress
from graph.migrations import migrate
from loaders.demo import load_demo
from tests.admin import delete_all_data
from tracegraph.settings import load_settings


async def _reset() -> None:
    db = Database.from_settings(load_settings())
    try:
        await db.verify()
        await migrate(db)
        await delete_all_data(db)
    finally:
        await db.close()


async def _load(scale: int, seed: int, batch_size: int) -> dict[str, float]:
    queries.registry()
    db = Database.from_settings(load_settings())
    try:
        started = time.perf_counter()
        summary = await load_demo(
            db, scale=scale, seed=seed, batch_size=batch_size, progress=Progress(sys.stderr)
        )
        elapsed = time.perf_counter() - started
    finally:
        await db.close()
    # ru_maxrss is in KiB on Linux.
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "nodes": summary.nodes_created,
        "relationships": summary.relationships_created,
        "seconds": elapsed,
        "rss_mib": rss_mib,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(asyncio.run(_load(args.child, args.seed, args.batch_size))))
        return 0
    print(
        f"{'scale':>10} {'nodes':>10} {'rels':>11} {'seconds':>8} {'entities/s':>11} {'RSS MiB':>8}"
    )
    for scale in args.scales:
        asyncio.run(_reset())
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.ingest",
                "--child",
                str(scale),
                "--seed",
                str(args.seed),
                "--batch-size",
                str(args.batch_size),
            ],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        rate = (r["nodes"] + r["relationships"]) / r["seconds"]
        print(
            f"{scale:>10,} {int(r['nodes']):>10,} {int(r['relationships']):>11,}"
            f" {r['seconds']:>8.1f} {rate:>11,.0f} {r['rss_mib']:>8.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""FSMA 204 export benchmark (issue 13 §4): time and the serving process's peak RSS per format.

    flock /work/wt/bench.lock python -m bench.fsma_export --uri bolt://127.0.0.1:21787 \\
        --password tracegraph-local [--lot LOT] [--from 2025-01-01 --to 2025-12-31]

Starts ``tracegraph serve`` (one worker, its own auth secret and a free port) against the bench
graph, builds the trace benchmark's genealogy once if it is missing (bench/traces.py: the target
lot -> 35 batches on 3 levels -> 10,000 serials), then downloads the export of the target lot (or
``--lot``; with ``--from``/``--to``, that range: a large export) as CSV and as XLSX ``--runs``
times each, reading the body as it comes. Prints rows, bytes, the wall time per download (p50 and
worst) and the server's resident memory: before, and its peak during each format's downloads
(Linux: VmHWM, reset through /proc/<pid>/clear_refs before each format). Figures are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

import httpx2

from bench.traces import TARGET_LOT, _pct, build, free_port
from graph.database import Database
from graph.migrations import migrate
from tracegraph.access import Role
from tracegraph.auth import mint_token
from tracegraph.settings import Settings, load_settings


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak(pid: int) -> None:
    # "5" resets the peak resident set size (VmHWM) to the current one (Linux >= 4.0).
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def _serve(settings: Settings, port: int, secret: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_TX_TIMEOUT_SECONDS": "120",
        "TRACEGRAPH_PORT": str(port),
        "TRACEGRAPH_HOST": "127.0.0.1",
        "TRACEGRAPH_WORKERS": "1",
        "TRACEGRAPH_AUTH_SECRET": secret,
        "TRACEGRAPH_MIGRATE_ON_SERVE": "false",
        "TRACEGRAPH_LOG_LEVEL": "WARNING",
    }
    tracegraph = Path(sys.executable).with_name("tracegraph")
    server = subprocess.Popen([str(tracegraph), "serve"], env=env)
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                return server
        except httpx2.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit("the server did not become ready")
        time.sleep(0.2)


def _download(url: str, token: str) -> tuple[int, int]:
    size = lines = 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx2.stream("GET", url, headers=headers, timeout=600) as response:
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.read().decode()}")
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    return size, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:21787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--lot", default=None, help=f"default: {TARGET_LOT} (without a range)")
    parser.add_argument("--from", dest="start", default=None)
    parser.add_argument("--to", dest="end", default=None)
    parser.add_argument("--noise", type=int, default=200, help="background families if built")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    secret = secrets.token_urlsafe(32)
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        neo4j_tx_timeout_seconds=600.0,
        tracegraph_auth_secret=secret,
    )

    async def prepare() -> None:
        db = Database.from_settings(settings)
        try:
            await migrate(db)
            await build(db, args.noise)
        finally:
            await db.close()

    asyncio.run(prepare())
    params = {"lot": args.lot, "from": args.start, "to": args.end}
    if not (args.start or args.end):
        params["lot"] = args.lot or TARGET_LOT
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v})
    token = mint_token(settings, role=Role.ADMIN, user="bench", ttl=timedelta(hours=1))
    port = free_port()
    server = _serve(settings, port, secret)
    try:
        started_rss = _status_kb(server.pid, "VmRSS") / 1024
        print(f"export {query}; server pid {server.pid}, RSS {started_rss:.0f} MB")
        for kind in ("csv", "xlsx"):
            url = f"http://127.0.0.1:{port}/exports/fsma204.{kind}?{query}"
            _download(url, token)  # warm: plans cached, pages in
            _reset_peak(server.pid)
            before = _status_kb(server.pid, "VmRSS")
            samples = []
            for _ in range(args.runs):
                started = time.perf_counter()
                size, lines = _download(url, token)
                samples.append((time.perf_counter() - started) * 1000)
            peak = _status_kb(server.pid, "VmHWM")
            rows = f"{lines - 1:,} rows" if kind == "csv" else "rows as CSV"
            print(
                f"{kind:<5} {rows:>14} {size / 1024:9.0f} KiB  p50 {_pct(samples, 0.5):8.1f} ms"
                f"  worst {max(samples):8.1f} ms  RSS before {before / 1024:6.0f} MB"
                f"  peak {peak / 1024:6.0f} MB"
            )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()

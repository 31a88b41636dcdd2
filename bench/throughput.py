"""Throughput benchmark: requests/s and p95 under wrk load, and the API's CPU per request.

    python -m bench.throughput --uri bolt://127.0.0.1:21787 --workers 2 --connections 16

Uses the graph and target family ``bench.traces`` builds (run that first). Starts ``tracegraph
serve --workers N`` as deployed (its own processes, prod settings, loopback port) and loads it
with ``wrk`` (installed with apt-get when missing): ``--connections`` kept-alive connections on
two wrk threads, each request a GraphQL POST taken in turn from a set of bodies (the backward
trace of each of the target family's 10,000 serials; the lookup of each of the
first 100 lots). Before the load, one request of each body kind is checked to answer without
errors; under load, wrk counts any non-200 or ``errors`` answer and a failed run says so.

Prints, per case: requests/s, p50/p95/p99 ms, and the CPU split over the run (service, wrk,
the rest: Neo4j), with the service's CPU per request. Targets (issue 15): API CPU per request
<= 1 ms for a lookup and a backward trace; with 2 workers and 16 connections, backward traces
>= 700 requests/s at p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson

from bench.mutations import _cpu_seconds, _machine_busy_seconds
from bench.traces import (
    BACKWARD,
    CALLERS,
    FORWARD_NUMBERS,
    LOOKUP,
    TARGET_LOT,
    GraphQLClient,
    Served,
    service,
)
from tracegraph.auth import mint_token
from tracegraph.settings import load_settings

WRK = Path(__file__).with_name("wrk")
LOTS = """query { lots(first: 100) { edges { node { lotNumber } } } }"""
RESULT = re.compile(r"RESULT (.*)")


def wrk_binary() -> str:
    """The wrk executable; installed from the system's packages on a machine without it."""
    found = shutil.which("wrk")
    if found is None:
        apt = ["apt-get", "install", "-y", "-q", "wrk"]
        subprocess.run(apt if os.geteuid() == 0 else ["sudo", *apt], check=True)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed and could not be installed")
    return found


def bodies(client: GraphQLClient, case: str) -> list[bytes]:
    """One JSON request body per line for wrk, each checked once to answer without errors."""
    if case == "typename":  # no Cypher: what HTTP, auth and GraphQL cost on their own
        made = [orjson.dumps({"query": "{ __typename }"})]
    elif case == "backward":
        answer, _ = client.post(FORWARD_NUMBERS, {"lot": TARGET_LOT})
        serials = answer["data"]["forwardTrace"]["serialNumbers"]
        made = [orjson.dumps({"query": BACKWARD, "variables": {"sn": sn}}) for sn in serials]
        client.post(BACKWARD, {"sn": serials[0]})
    else:
        answer, _ = client.post(LOTS, {})
        lots = [edge["node"]["lotNumber"] for edge in answer["data"]["lots"]["edges"]]
        made = [orjson.dumps({"query": LOOKUP, "variables": {"lot": lot}}) for lot in lots]
        client.post(LOOKUP, {"lot": lots[0]})
    if not made:
        raise SystemExit(f"{case}: nothing to ask for; run bench.traces on this graph first")
    return made


def load(
    port: int, token: str, body_file: Path, connections: int, seconds: int
) -> tuple[dict[str, float], float]:
    """A run of graphql.lua over ``body_file``: wrk's figures and the CPU wrk used."""
    return run_wrk(
        port,
        token,
        script="graphql.lua",
        arguments=[str(body_file)],
        threads=min(2, connections),
        connections=connections,
        seconds=seconds,
    )


def run_wrk(
    port: int,
    token: str,
    *,
    script: str,
    arguments: list[str],
    threads: int,
    connections: int,
    seconds: int,
) -> tuple[dict[str, float], float]:
    """wrk with one of bench/wrk's scripts: its RESULT line as numbers, and the CPU wrk used.
    A run in which any request failed stops the benchmark."""
    command = [
        wrk_binary(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "-H",
        "Content-Type: application/json",
        "-H",
        f"Authorization: Bearer {token}",
        "-s",
        str(WRK / script),
        f"http://127.0.0.1:{port}/",
        "--",
        *arguments,
    ]
    before = os.times()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    after = os.times()
    wrk_cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    match = RESULT.search(done.stdout)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    figures = {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    if figures["failed"] or figures["socket_errors"]:
        raise SystemExit(f"failed requests under load: {figures}")
    return figures, wrk_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:21787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--workers", type=int, default=2, help="tracegraph serve --workers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20, help="each case's measured run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before measuring")
    parser.add_argument("--role", choices=sorted(CALLERS), default="admin")
    parser.add_argument("--cases", default="backward,lookup")
    parser.add_argument(
        "--profile", type=Path, help="also record each worker with py-spy (raw stacks) here"
    )
    args = parser.parse_args()
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        tracegraph_migrate_on_serve=False,
        tracegraph_auth_secret=secrets.token_urlsafe(48),
    )
    caller = CALLERS[args.role]
    wrk_binary()
    print(
        f"tracegraph serve --workers {args.workers}; wrk {args.connections} connections,"
        f" {args.seconds} s per case after {args.warmup} s warm-up; scope {args.role}"
    )
    print(
        "| case | requests/s | p50 / p95 / p99 ms | CPU: service / wrk / Neo4j+rest (s) |"
        " service CPU per request |"
    )
    print("|---|---:|---|---|---:|")
    with service(settings, args.workers) as served, tempfile.TemporaryDirectory() as tmp:
        token = mint_token(
            settings,
            role=caller.role,
            user="bench",
            customer=caller.customer_id,
            supplier=caller.supplier_id,
            ttl=timedelta(hours=2),
        )
        client = GraphQLClient(served.port, token)
        files: dict[str, Path] = {}
        try:  # before the load: uvicorn drops a kept-alive connection left idle
            for case in args.cases.split(","):
                files[case] = Path(tmp) / f"{case}.jsonl"
                files[case].write_bytes(b"\n".join(bodies(client, case)) + b"\n")
        finally:
            client.close()
        for case, body_file in files.items():
            load(served.port, token, body_file, args.connections, args.warmup)
            row = measure(served, token, body_file, args, case)
            print(f"| {case} | {row}", flush=True)


def measure(served: Served, token: str, body_file: Path, args: Any, case: str) -> str:
    port, pid = served
    spies = [] if args.profile is None else profilers(pid, args.profile, case, args.seconds)
    service_cpu, machine = _cpu_seconds(pid), _machine_busy_seconds()
    figures, wrk_cpu = load(port, token, body_file, args.connections, args.seconds)
    for spy in spies:
        spy.wait()
    service_cpu = _cpu_seconds(pid) - service_cpu
    machine = _machine_busy_seconds() - machine
    rest = machine - service_cpu - wrk_cpu
    requests = figures["requests"]
    return (
        f"{requests / figures['seconds']:.0f} | {figures['p50']:.2f} / {figures['p95']:.2f} /"
        f" {figures['p99']:.2f} | {service_cpu:.1f} / {wrk_cpu:.1f} / {rest:.1f} |"
        f" {service_cpu / requests * 1000:.2f} ms |"
    )


def profilers(pid: int, into: Path, case: str, seconds: int) -> list[subprocess.Popen[bytes]]:
    """py-spy on each worker (or the one process), sampling without pausing it."""
    into.mkdir(parents=True, exist_ok=True)
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split() or [str(pid)]
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        raise SystemExit("--profile needs py-spy: pip install -e '.[bench]'")
    return [
        subprocess.Popen(
            [
                str(spy),
                "record",
                "--nonblocking",
                "--format",
                "raw",
                "--rate",
                "250",
                "--duration",
                str(seconds),
                "--pid",
                child,
                "--output",
                str(into / f"{case}-{child}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for child in children
    ]


if __name__ == "__main__":
    main()

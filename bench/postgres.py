"""PostgreSQL head-to-head (issue 15): the same graph, the same traces, alternating call by call.

    python -m bench.postgres --uri bolt://127.0.0.1:22787 --password tracegraph-local

Builds the bench families on the Neo4j graph if missing (``bench/traces.py``'s target family and
a genealogy ``--deep-levels`` deep), starts PostgreSQL 15 from this script in a temporary
directory on 127.0.0.1:``--pg-port`` (as the ``postgres`` user when run as root; installed with
apt-get where missing: ``make bench-postgres-deps``), exports the graph to it (one table per
label, one per relationship type with (src, dst) and (dst, src) btree indexes, COPY streamed
from the driver, ``VACUUM ANALYZE``), checks that both hold the same counts per label and type
and give the same answer for every call timed, then times each trace on both, one call of each
per iteration, which goes first alternating: tracegraph's named query through the async driver as
the API runs it (``bench/traces.py``), and the recursive CTE of ``bench/sql/traces.sql`` through
asyncpg (a pooled connection per call, the statement prepared once per connection, the JSON
decoded). Also ``RETURN 1`` against ``SELECT 1``: client CPU per call. Prints a markdown table.

PostgreSQL is tuned for a read benchmark on this machine: shared_buffers an eighth of RAM (at most
4 GB), effective_cache_size half, work_mem 64 MB, JIT off, and durability off (fsync,
synchronous_commit, full_page_writes: the data is a copy, rebuilt on any crash). ``--pg-dir``
keeps the cluster for the next run, which exports nothing and stops if the counts differ:
``--refresh`` exports again the labels and types whose counts changed, ``--reexport`` all.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import uvloop
from asyncpg.pool import PoolConnectionProxy
from neo4j import AsyncDriver, AsyncGraphDatabase

from bench import traces
from graph import queries
from graph.database import Database
from graph.migrations import migrate
from tracegraph.settings import load_settings

SQL_DIR = Path(__file__).resolve().parent / "sql"
EXPORT = queries.load_queries(Path(__file__).resolve().parent / "cypher", label="bench/cypher")
SAMPLE = 20_000  # nodes (relationships) of a label (type) read to find its columns
# The API's hard bound on genealogy depth: what the deep cases ask for.
DEEP_MAX_DEPTH = 20
ADMIN_SCOPE = traces.CALLERS["admin"].scope()


def load_sql(name: str) -> dict[str, str]:
    """The ``-- name:`` blocks of ``bench/sql/<name>.sql``, by name."""
    blocks: dict[str, str] = {}
    current: str | None = None
    for line in (SQL_DIR / f"{name}.sql").read_text().splitlines():
        header = re.match(r"^--\s*name:\s*(\w+)\s*$", line)
        if header:
            current = header[1]
            blocks[current] = ""
        elif current is not None:
            blocks[current] += line + "\n"
    return {key: text.strip() for key, text in blocks.items()}


# -- PostgreSQL: binaries, a cluster of our own, its settings ----------------------------------


def pg_bindir() -> Path:
    """PostgreSQL 15's binaries (Debian's layout), installed with apt-get when missing."""
    for candidate in (Path("/usr/lib/postgresql/15/bin"), *_other_bindirs()):
        if (candidate / "initdb").exists():
            return candidate
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit("PostgreSQL not found: install postgresql-15 (make bench-postgres-deps)")
    print("installing PostgreSQL with apt-get ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    installed = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "postgresql-15"], check=False, env=env
    )
    if installed.returncode != 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
    return pg_bindir()


def _other_bindirs() -> list[Path]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    on_path = shutil.which("initdb")
    return [*found, *([Path(on_path).resolve().parent] if on_path else [])]


def tuning(memory: int) -> dict[str, str]:
    """Settings for a read benchmark on a machine with ``memory`` bytes of RAM."""
    mib = memory // (1024 * 1024)
    return {
        "shared_buffers": f"{max(128, min(mib // 8, 4096))}MB",
        "effective_cache_size": f"{max(512, mib // 2)}MB",
        "work_mem": "64MB",
        "maintenance_work_mem": f"{max(64, min(mib // 16, 2048))}MB",
        "jit": "off",
        "random_page_cost": "1.1",
        "effective_io_concurrency": "200",
        # A copy of the graph, rebuilt on any crash: durability is not what is measured.
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "wal_level": "minimal",
        "max_wal_senders": "0",
        "max_wal_size": "8GB",
        "checkpoint_timeout": "30min",
        "log_min_messages": "warning",
    }


@dataclass
class Postgres:
    """A PostgreSQL cluster in ``base``/data, run by this process (as ``postgres`` if root)."""

    bindir: Path
    base: Path
    port: int

    @property
    def data(self) -> Path:
        return self.base / "data"

    def _run(self, *command: str) -> None:
        user = "postgres" if os.geteuid() == 0 else None
        subprocess.run(
            [str(self.bindir / command[0]), *command[1:]],
            check=True,
            user=user,
            stdout=subprocess.DEVNULL,
            cwd=self.base,
        )

    def init(self) -> bool:
        """Create the cluster unless it is there; whether it was created."""
        if (self.data / "PG_VERSION").exists():
            return False
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        settings = {
            **tuning(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.data}'",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# bench/postgres.py\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        return True

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.base / "postgres.log"),
            "-o", f"-p {self.port}", "-w", "-t", "120", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@contextmanager
def postgres(port: int, keep: Path | None) -> Iterator[tuple[Postgres, bool]]:
    """A running cluster and whether it is new; stopped (and removed unless kept) at the end."""
    bindir = pg_bindir()
    base = keep or Path(tempfile.mkdtemp(prefix="tracegraph-pg-"))
    base.mkdir(parents=True, exist_ok=True)
    server = Postgres(bindir, base.resolve(), port)
    try:
        created = server.init()
        server.start()
        try:
            yield server, created
        finally:
            server.stop()
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("json", encoder=_json_text, decoder=orjson.loads, schema="pg_catalog")


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


# -- The export --------------------------------------------------------------------------------

# Neo4j value types -> (SQL type, how the value leaves Cypher, how Python makes it ready for COPY).
Convert = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _float(value: Any) -> Any:
    return None if value is None else float(value)


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _date(value: Any) -> Any:
    return None if value is None else date.fromisoformat(value)


def _local(value: Any) -> Any:
    return None if value is None else datetime.fromisoformat(value)


def _instant(value: Any) -> Any:
    return None if value is None else datetime.fromtimestamp(value / 1000, UTC)


SIMPLE_TYPES: dict[frozenset[str], tuple[str, str, Convert]] = {
    frozenset({"STRING"}): ("text", "", _same),
    frozenset({"INTEGER"}): ("bigint", "", _same),
    frozenset({"FLOAT"}): ("double precision", "", _float),
    frozenset({"INTEGER", "FLOAT"}): ("double precision", "", _float),
    frozenset({"BOOLEAN"}): ("boolean", "", _same),
    frozenset({"DATE"}): ("date", "text", _date),
    frozenset({"LOCAL DATETIME"}): ("timestamp", "text", _local),
    frozenset({"ZONED DATETIME"}): ("timestamptz", "epoch", _instant),
    frozenset({"LIST<STRING>"}): ("text[]", "", _same),
    frozenset({"LIST<INTEGER>"}): ("bigint[]", "", _same),
    frozenset({"LIST<FLOAT>"}): ("double precision[]", "", _same),
}
SCALARS = frozenset({"STRING", "INTEGER", "FLOAT", "BOOLEAN"})


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    leaves_as: str  # "", "text" or "epoch"
    convert: Convert


def _column(key: str, seen: Sequence[str]) -> Column | None:
    types = frozenset(re.sub(r" NOT NULL", "", t) for t in seen if t != "NULL")
    if "LIST<NOTHING>" in types:  # an empty list has no element type: it takes the others'
        typed = any(t.startswith("LIST<") and t != "LIST<NOTHING>" for t in types)
        types = (types - {"LIST<NOTHING>"}) | (set() if typed else {"LIST<STRING>"})
    if not types:
        return None
    known = SIMPLE_TYPES.get(types)
    if known is not None:
        return Column(key, *known)
    if types <= SCALARS:  # mixed scalars: kept as their text
        return Column(key, "text", "", _text)
    return None  # durations, points, times, mixed lists: no trace reads them


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_of(name: str) -> str:
    """The table of a label or relationship type: its name in lower case."""
    return name.lower()


def _nid(element_id: str) -> int:
    return int(element_id.rpartition(":")[2])


@dataclass(frozen=True)
class Table:
    name: str  # label or relationship type
    is_node: bool
    columns: tuple[Column, ...]

    @property
    def sql(self) -> str:
        return _ident(table_of(self.name))

    def ddl(self) -> str:
        ids = ("nid bigint",) if self.is_node else ("src bigint", "dst bigint")
        cols = [f"{_ident(c.name)} {c.sql_type}" for c in self.columns]
        return f"CREATE UNLOGGED TABLE {self.sql} ({', '.join([*ids, *cols])})"

    def params(self) -> dict[str, Any]:
        return {
            "label" if self.is_node else "type": self.name,
            "keys": [c.name for c in self.columns],
            "as_text": [c.name for c in self.columns if c.leaves_as == "text"],
            "as_epoch": [c.name for c in self.columns if c.leaves_as == "epoch"],
        }


async def _read(driver: AsyncDriver, name: str, **params: Any) -> list[dict[str, Any]]:
    query = EXPORT[name]
    async with driver.session() as session:
        result = await session.run(query.text, query.bind(params))
        return await result.data()


async def tables(driver: AsyncDriver) -> list[Table]:
    (names,) = await _read(driver, "export_labels")
    found: list[Table] = []
    for is_node, kinds, query in (
        (True, names["labels"], "export_node_keys"),
        (False, names["types"], "export_rel_keys"),
    ):
        for kind in kinds:
            rows = await _read(
                driver, query, sample=SAMPLE, **({"label": kind} if is_node else {"type": kind})
            )
            columns = [_column(row["key"], row["types"]) for row in rows]
            skipped = [row["key"] for row, c in zip(rows, columns, strict=True) if c is None]
            if skipped:
                print(f"  {kind}: not exported (no SQL type): {', '.join(skipped)}")
            found.append(Table(kind, is_node, tuple(c for c in columns if c is not None)))
    clash = {table_of(t.name) for t in found if t.is_node} & {
        table_of(t.name) for t in found if not t.is_node
    }
    if clash:
        raise SystemExit(f"a label and a relationship type share a table name: {clash}")
    return found


async def _rows(driver: AsyncDriver, table: Table) -> AsyncIterator[tuple[Any, ...]]:
    """The table's rows as the driver streams them (``fetch_size`` records at a time)."""
    query = EXPORT["export_nodes" if table.is_node else "export_rels"]
    converts = [c.convert for c in table.columns]
    async with driver.session() as session:
        result = await session.run(query.text, query.bind(table.params()))
        async for record in result:
            values = [f(v) for f, v in zip(converts, record["values"], strict=True)]
            if table.is_node:
                yield (_nid(record["id"]), *values)
            else:
                yield (_nid(record["src"]), _nid(record["dst"]), *values)


async def export(driver: AsyncDriver, pool: asyncpg.Pool, only: set[str] | None = None) -> None:
    """Every label and type (``only`` those: the others are kept as they are)."""
    started = time.perf_counter()
    found = [t for t in await tables(driver) if only is None or t.name in only]
    async with pool.acquire() as conn:
        for statement in load_sql("functions").values():
            await conn.execute(statement)
        for table in found:
            t0 = time.perf_counter()
            await conn.execute(f"DROP TABLE IF EXISTS {table.sql}")
            await conn.execute(table.ddl())
            ids = ["nid"] if table.is_node else ["src", "dst"]
            await conn.copy_records_to_table(
                table_of(table.name),
                records=_rows(driver, table),
                columns=[*ids, *(c.name for c in table.columns)],
            )
            await _index(conn, table)
            print(f"  {table.name}: {time.perf_counter() - t0:.1f} s", flush=True)
        await conn.execute("VACUUM ANALYZE")
    print(f"exported in {time.perf_counter() - started:.1f} s", flush=True)


# Each label's key (docs/model.md): what a trace looks a row up by.
KEYS = {
    "MaterialLot": "lot_number",
    "Batch": "batch_id",
    "Serial": "serial_number",
    "Order": "order_number",
    "QualityIssue": "issue_id",
}


async def _index(conn: PoolConnectionProxy[Any], table: Table) -> None:
    name = table_of(table.name)
    if table.is_node:
        await conn.execute(f"ALTER TABLE {table.sql} ADD PRIMARY KEY (nid)")
        key = KEYS.get(table.name, "id")
        if any(c.name == key for c in table.columns):
            await conn.execute(
                f"CREATE INDEX {_ident(name + '_key')} ON {table.sql} ({_ident(key)})"
            )
    else:
        await conn.execute(f"CREATE INDEX {_ident(name + '_out')} ON {table.sql} (src, dst)")
        await conn.execute(f"CREATE INDEX {_ident(name + '_in')} ON {table.sql} (dst, src)")


async def count_pairs(driver: AsyncDriver, pool: asyncpg.Pool) -> list[tuple[str, str, int, Any]]:
    """(label or type, "label" or "type", rows in Neo4j, rows in PostgreSQL or None)."""
    (names,) = await _read(driver, "export_labels")
    pairs: list[tuple[str, str, int, Any]] = []
    async with pool.acquire() as conn:
        present = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        for kind, key, query in (
            *((n, "label", "count_label") for n in names["labels"]),
            *((t, "type", "count_type") for t in names["types"]),
        ):
            ((row),) = await _read(driver, query, **{key: kind})
            # Table names are the graph's own labels and types, quoted as identifiers.
            count = f"SELECT count(*) FROM {_ident(table_of(kind))}"  # noqa: S608
            in_pg = await conn.fetchval(count) if table_of(kind) in present else None
            pairs.append((kind, key, row["n"], in_pg))
    return pairs


async def verify_counts(driver: AsyncDriver, pool: asyncpg.Pool) -> tuple[int, int, int]:
    """Rows per label and type in both stores; exits on the first difference. Returns how many
    tables were compared, nodes and relationships."""
    counted: dict[str, int] = {"label": 0, "type": 0}
    pairs = await count_pairs(driver, pool)
    for kind, key, in_graph, in_pg in pairs:
        if in_pg != in_graph:
            raise SystemExit(f"{kind}: Neo4j has {in_graph:,}, PostgreSQL {in_pg}")
        counted[key] += in_graph
    return len(pairs), counted["label"], counted["type"]


# -- The cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    label: str
    cypher: str  # named query
    params: list[dict[str, Any]]  # one per call, taken in turn
    sql: str  # block of bench/sql/traces.sql
    args: list[tuple[Any, ...]]


def _forward_params(lot: str, depth: int, **extra: Any) -> dict[str, Any]:
    return {
        "lot_number": lot,
        "batch_id": None,
        "supplier_id": None,
        "max_depth": depth,
        "scope": ADMIN_SCOPE,
        **extra,
    }


def _backward_params(serial: str, depth: int) -> dict[str, Any]:
    return {
        "serial_number": serial,
        "batch_id": None,
        "issue_id": None,
        "max_depth": depth,
        "scope": ADMIN_SCOPE,
    }


def build_cases(serials: list[str], deep: bool, deep_serials: list[str]) -> list[Case]:
    lot = traces.TARGET_LOT
    cases = [
        Case(
            "forward, target lot: summary + first 100 serials",
            "traces.forward",
            [_forward_params(lot, 10, first=100, after=None)],
            "forward",
            [(lot, 10, 100)],
        ),
        Case(
            "serial list, target lot: all 10,000 serial numbers",
            "traces.forward_serial_numbers",
            [_forward_params(lot, 10)],
            "forward_serial_numbers",
            [(lot, 10)],
        ),
        Case(
            f"backward, {len(serials)} serials in turn",
            "traces.backward",
            [_backward_params(s, 10) for s in serials],
            "backward",
            [(s, 10) for s in serials],
        ),
    ]
    if deep:
        lot, depth = traces.DEEP_LOT, DEEP_MAX_DEPTH
        cases += [
            Case(
                "deep genealogy: forward summary + first 100 serials",
                "traces.forward",
                [_forward_params(lot, depth, first=100, after=None)],
                "forward",
                [(lot, depth, 100)],
            ),
            Case(
                "deep genealogy: all serial numbers",
                "traces.forward_serial_numbers",
                [_forward_params(lot, depth)],
                "forward_serial_numbers",
                [(lot, depth)],
            ),
            Case(
                f"deep genealogy: backward from the last level, {len(deep_serials)} serials",
                "traces.backward",
                [_backward_params(s, depth) for s in deep_serials],
                "backward",
                [(s, depth) for s in deep_serials],
            ),
        ]
    return cases


def _normal(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer as compared: a timeline's ties on (at, kind, subject) may come in any order."""
    out = dict(answer)
    if "timeline" in out:
        out["timeline"] = sorted(
            out["timeline"], key=lambda e: (e["at"], e["kind"], e["subject"], e["detail"])
        )
    return out


async def verify_answers(
    driver: AsyncDriver, database: str, pool: asyncpg.Pool, sql: dict[str, str], case: Case
) -> None:
    """Every call the case makes answers the same on both stores; exits on a difference."""
    text = queries.registry()[case.cypher].text
    for params, args in zip(case.params, case.args, strict=True):
        async with driver.session(database=database) as session:
            result = await session.run(text, params)
            cypher = await result.data()
        async with pool.acquire() as conn:
            rows = [dict(r) for r in await conn.fetch(sql[case.sql], *args)]
        if [_normal(r) for r in cypher] != [_normal(r) for r in rows]:
            dump = Path(tempfile.gettempdir()) / "tracegraph-pg-diff.json"
            dump.write_bytes(orjson.dumps({"params": args, "cypher": cypher, "sql": rows}))
            raise SystemExit(f"{case.label}: the answers differ for {args} (both in {dump})")


# -- Timing ------------------------------------------------------------------------------------


async def time_case(
    driver: AsyncDriver,
    database: str,
    pool: asyncpg.Pool,
    sql: str,
    case: Case,
    *,
    n: int,
    warm: int,
) -> tuple[list[float], list[float]]:
    """Driver and SQL samples of one case: one of each per iteration, first in turn."""
    text = queries.registry()[case.cypher].text

    async def timed_sql(args: tuple[Any, ...]) -> float:
        t0 = time.perf_counter()
        async with pool.acquire() as conn:
            await conn.fetch(sql, *args)
        return (time.perf_counter() - t0) * 1000

    graph: list[float] = []
    relational: list[float] = []
    for i in range(warm + n):
        params, args = case.params[i % len(case.params)], case.args[i % len(case.args)]
        if i % 2:
            g = await traces.timed_driver_call(driver, database, text, params)
            r = await timed_sql(args)
        else:
            r = await timed_sql(args)
            g = await traces.timed_driver_call(driver, database, text, params)
        if i >= warm:
            graph.append(g)
            relational.append(r)
    return graph, relational


async def server_times(
    driver: AsyncDriver, database: str, pool: asyncpg.Pool, sql: str, case: Case, *, n: int
) -> tuple[float, float]:
    """Median time inside each server, taken after the timed calls: Neo4j's result available +
    consumed (whole milliseconds; planning is cached), PostgreSQL's execution time from EXPLAIN
    ANALYZE without per-node timing (EXPLAIN plans afresh; the timed calls reuse their prepared
    plan, so planning is left out). The rest of a call is the client, the driver and the wire."""
    text = queries.registry()[case.cypher].text
    graph: list[float] = []
    relational: list[float] = []
    for i in range(n):
        params, args = case.params[i % len(case.params)], case.args[i % len(case.args)]
        async with driver.session(database=database) as session:
            summary = await (await session.run(text, params)).consume()
        graph.append((summary.result_available_after or 0) + (summary.result_consumed_after or 0))
        async with pool.acquire() as conn:
            plan = await conn.fetchval("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql, *args)
        (top,) = plan if isinstance(plan, list) else orjson.loads(plan)
        relational.append(top["Execution Time"])
    return traces._pct(graph, 0.5), traces._pct(relational, 0.5)


@dataclass(frozen=True)
class Trivial:
    graph_ms: list[float]
    relational_ms: list[float]
    graph_cpu_ms: float
    relational_cpu_ms: float


async def time_trivial(
    driver: AsyncDriver, database: str, pool: asyncpg.Pool, n: int, warm: int
) -> Trivial:
    """``RETURN 1`` against ``SELECT 1``: wall time and this process's CPU per call."""

    async def one_graph() -> None:
        await traces.timed_driver_call(driver, database, "RETURN 1", {})

    async def one_sql() -> None:
        async with pool.acquire() as conn:
            await conn.fetchval("SELECT 1")

    samples: dict[str, list[float]] = {"graph": [], "sql": []}
    cpu = {"graph": 0.0, "sql": 0.0}

    async def timed(side: str, call: Callable[[], Awaitable[None]], keep: bool) -> None:
        c0, t0 = time.process_time(), time.perf_counter()
        await call()
        if keep:
            samples[side].append((time.perf_counter() - t0) * 1000)
            cpu[side] += time.process_time() - c0

    for i in range(warm + n):
        order = (("graph", one_graph), ("sql", one_sql))
        for side, call in order if i % 2 else order[::-1]:
            await timed(side, call, i >= warm)
    return Trivial(samples["graph"], samples["sql"], cpu["graph"] * 1000 / n, cpu["sql"] * 1000 / n)


# -- Report ------------------------------------------------------------------------------------


Row = tuple[str, list[float], list[float], tuple[float, float] | None]


def report(rows: list[Row], trivial: Trivial, n: int, warm: int) -> None:
    pct = traces._pct
    print(f"\niterations={n} warmup={warm}, load average {_loadavg()}, {platform.node()}")
    print(
        "\n| case | tracegraph p50 / p95 ms | PostgreSQL p50 / p95 ms | ratio p50 / p95"
        " | in the server p50 ms: Neo4j / PostgreSQL |\n|---|---|---|---|---|"
    )
    for label, graph, relational, inside in [
        *rows,
        ("`RETURN 1` / `SELECT 1`", trivial.graph_ms, trivial.relational_ms, None),
    ]:
        g50, g95, r50, r95 = (
            pct(graph, 0.5),
            pct(graph, 0.95),
            pct(relational, 0.5),
            pct(relational, 0.95),
        )
        server = f"{inside[0]:.0f} / {inside[1]:.2f}" if inside else ""
        print(
            f"| {label} | {g50:.2f} / {g95:.2f} | {r50:.2f} / {r95:.2f}"
            f" | {g50 / r50:.2f}x / {g95 / r95:.2f}x | {server} |"
        )
    print(
        f"| `RETURN 1` / `SELECT 1`: client CPU per call | {trivial.graph_cpu_ms:.3f} ms"
        f" | {trivial.relational_cpu_ms:.3f} ms"
        f" | {trivial.graph_cpu_ms / trivial.relational_cpu_ms:.2f}x | |"
    )


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- Main --------------------------------------------------------------------------------------


async def prepare_graph(uri: str, user: str, password: str, deep_levels: int) -> None:
    settings = load_settings(
        env_file=None,
        neo4j_uri=uri,
        neo4j_user=user,
        neo4j_password=password,
        tracegraph_migrate_on_serve=False,
        neo4j_tx_timeout_seconds=600.0,
        tracegraph_auth_secret=secrets.token_urlsafe(48),
    )
    db = Database.from_settings(settings)
    try:
        await migrate(db)
        await traces.build(db, 0)
        if deep_levels:
            await traces.build_deep(db, deep_levels)
    finally:
        await db.close()


async def run(args: argparse.Namespace, port: int, created: bool) -> None:
    driver = AsyncGraphDatabase.driver(args.uri, auth=(args.user, args.password))
    pool = await asyncpg.create_pool(
        host="127.0.0.1",
        port=port,
        user="postgres",
        database="postgres",
        min_size=1,
        max_size=2,
        init=_init_connection,
    )
    assert pool is not None
    try:
        database = "neo4j"
        if created or args.reexport:
            if not created:
                async with pool.acquire() as conn:
                    await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            print("exporting the graph to PostgreSQL ...", flush=True)
            await export(driver, pool)
        elif args.refresh:
            stale = {kind for kind, _, n, in_pg in await count_pairs(driver, pool) if n != in_pg}
            if stale:
                print(f"exporting again: {', '.join(sorted(stale))}", flush=True)
                await export(driver, pool, only=stale)
        tables, nodes, rels = await verify_counts(driver, pool)
        print(
            f"same counts in both stores: {tables} labels and types,"
            f" {nodes:,} nodes, {rels:,} relationships"
        )
        sql = load_sql("traces")
        async with pool.acquire() as conn:
            serials = [r[0] for r in await conn.fetch(sql["sample_serials"], args.serials)]
            last = f"{traces.DEEP_PREFIX}L{args.deep_levels - 1}-"
            deep_serials = [
                r[0]
                for r in await conn.fetch(
                    "SELECT min(s.serial_number) FROM batch b"
                    " JOIN produced p ON p.src = b.nid JOIN serial s ON s.nid = p.dst"
                    " WHERE b.batch_id LIKE $1 || '%' GROUP BY b.batch_id ORDER BY b.batch_id",
                    last,
                )
            ]
        # A graph built elsewhere (--no-build) may have no deep family: its cases are left out.
        cases = build_cases(serials, bool(deep_serials), deep_serials)
        for case in cases:
            await verify_answers(driver, database, pool, sql, case)
        print(f"same answers in both stores for every call of {len(cases)} cases", flush=True)
        rows: list[Row] = []
        for case in cases:
            graph, relational = await time_case(
                driver, database, pool, sql[case.sql], case, n=args.iterations, warm=args.warmup
            )
            inside = await server_times(driver, database, pool, sql[case.sql], case, n=args.warmup)
            rows.append((case.label, graph, relational, inside))
        trivial = await time_trivial(driver, database, pool, args.trivial, args.warmup)
        report(rows, trivial, args.iterations, args.warmup)
    finally:
        await pool.close()
        await driver.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:22787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--pg-port", type=int, default=25432)
    parser.add_argument("--pg-dir", type=Path, help="keep the cluster here (reused next run)")
    parser.add_argument("--reexport", action="store_true", help="export again into --pg-dir")
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="export again only the labels and types whose counts differ (then all is checked)",
    )
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--serials", type=int, default=200, help="backward trace start points")
    parser.add_argument("--trivial", type=int, default=2000, help="RETURN 1 / SELECT 1 calls")
    parser.add_argument(
        "--deep-levels", type=int, default=12, help="depth of the deep family (0: none)"
    )
    parser.add_argument(
        "--no-build", action="store_true", help="the graph is read-only: build no bench family"
    )
    args = parser.parse_args(argv)
    if not args.no_build:
        asyncio.run(prepare_graph(args.uri, args.user, args.password, args.deep_levels))
    with postgres(args.pg_port, args.pg_dir) as (server, created):
        uvloop.run(run(args, server.port, created))


if __name__ == "__main__":
    main()

"""The ``tracegraph`` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tracegraph.errors import TracegraphError
from tracegraph.settings import Settings, load_settings

DESCRIPTION = """\
tracegraph: traceability for manufacturers (Neo4j + GraphQL).

Typical first run on a machine without Docker:
  tracegraph db start        fetch (once) and start a local Neo4j Community server
  tracegraph migrate         create constraints and indexes
  tracegraph serve           serve GraphQL on http://127.0.0.1:8000/graphql

Settings come from the environment or a .env file (see README: Configuration).
"""

T = TypeVar("T")


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from tracegraph.app import create_app
    from tracegraph.logs import configure_logging
    from tracegraph.serving import serve

    if args.workers is not None:
        settings = settings.model_copy(update={"tracegraph_workers": args.workers})
    configure_logging(settings.tracegraph_log_level)
    workers = settings.tracegraph_workers
    print(
        f"tracegraph serving GraphQL on http://{settings.tracegraph_host}:"
        f"{settings.tracegraph_port}/graphql (Neo4j: {settings.neo4j_uri}; "
        f"{workers} worker{'s' if workers > 1 else ''})",
        flush=True,
    )
    serve(settings, create_app)
    return 0


def _db(settings: Settings, args: argparse.Namespace) -> int:
    from graph.server import LocalNeo4j

    server = LocalNeo4j(settings)
    if args.db_command == "start":
        result = server.start()
        if result.already_running:
            print("Neo4j is already running; nothing to do.")
        print(result.status.describe())
        return 0
    if args.db_command == "stop":
        print("Neo4j stopped." if server.stop() else "Neo4j was not running; nothing to do.")
        return 0
    status = server.status()
    print(status.describe())
    return 0 if status.running else 3


async def _with_db(settings: Settings, work: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
    from graph import queries
    from graph.database import Database

    queries.registry()
    db = Database.from_settings(settings)
    try:
        await db.verify()
        return await work(db)
    finally:
        await db.close()


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from graph import migrations

    async def work(db: Any) -> int:
        if args.status:
            status = await migrations.migration_status(db)
            for m in status.applied:
                print(f"applied  {m.version:03d}_{m.name}")
            for p in status.pending:
                print(f"pending  {p.version:03d}_{p.name}")
            return 0
        applied = await migrations.migrate(db)
        for migration in applied:
            print(f"applied  {migration.version:03d}_{migration.name}")
        print(f"{len(applied)} migration(s) applied; the schema is up to date.")
        return 0

    return asyncio.run(_with_db(settings, work))


def _analytics(settings: Settings, args: argparse.Namespace) -> int:
    import time

    from graph.analytics import refresh_upstream_suppliers

    started = time.perf_counter()
    batches = asyncio.run(_with_db(settings, refresh_upstream_suppliers))
    print(
        f"recomputed the upstream suppliers of {batches} batches, and the parts produced per"
        f" supplier and day, in {time.perf_counter() - started:.1f} s"
    )
    return 0


def _schema(settings: Settings, args: argparse.Namespace) -> int:
    from schema.root import export_sdl

    export_sdl(Path(args.output))
    print(f"wrote {args.output}")
    return 0


def uses_local_server(settings: Settings) -> bool:
    """True when NEO4J_URI points at the project-local server's Bolt port on this machine."""
    parts = urlsplit(settings.neo4j_uri)
    return (
        parts.hostname in {"127.0.0.1", "localhost"}
        and (parts.port or 7687) == settings.neo4j_bolt_port
    )


DEMO_SCALE = 10_000
DEMO_SEED = 42


def _load(settings: Settings, args: argparse.Namespace) -> int:
    from graph.ingest import Progress, WriteSummary
    from loaders.common import LoadResult

    if args.load_command is None and not args.status and args.remove is None:
        raise TracegraphError(
            "load what? `tracegraph load demo|json|csv ...`, or `--status` / `--remove ID`"
        )
    progress = None if getattr(args, "quiet", True) else Progress(sys.stderr)

    async def work(db: Any) -> int:
        if args.status:
            return await _load_status(db)
        if args.remove is not None:
            from loaders.loads import remove_load

            removal = await remove_load(db, args.remove)
            print(
                f"removed load {removal.load.id} ({removal.load.source}): {removal.nodes} nodes"
                f" and {removal.relationships} relationships it had created"
            )
            return 0
        from graph.migrations import migrate

        # Loading before the constraints exist would crawl (every key looked up by a label
        # scan: a 10M demo load ran at ~1,000 rows/s instead of ~60,000) and could write keys
        # twice, so a load applies what is pending first, as serve does.
        applied = await migrate(db)
        if applied:
            print(f"{len(applied)} pending migration(s) applied first", file=sys.stderr)
        result: LoadResult | WriteSummary
        if args.load_command == "demo":
            from loaders.demo import load_demo

            result = await load_demo(
                db, scale=args.scale, seed=args.seed, batch_size=args.batch_size, progress=progress
            )
        elif args.load_command == "json":
            from loaders.json_store import load_json_store

            result = await load_json_store(
                db,
                Path(args.file),
                skip_invalid=args.skip_invalid,
                update=args.update,
                batch_size=args.batch_size,
                progress=progress,
            )
        else:
            from loaders.csv_dir import load_csv_dir

            result = await load_csv_dir(
                db,
                Path(args.directory),
                skip_invalid=args.skip_invalid,
                update=args.update,
                batch_size=args.batch_size,
                progress=progress,
            )
        if isinstance(result, WriteSummary):
            print(f"loaded: {result.describe()}")
            return 0
        print(f"loaded: {result.summary.describe()}")
        print(
            f"load {result.load_id} complete: {result.unchanged} record(s) already in the graph"
            f" as given, {result.updated} updated"
        )
        if result.rejected:
            print(
                f"rejected {result.rejected} of {result.accepted + result.rejected} record(s);"
                f" see {result.rejects_file}"
            )
            return 1
        return 0

    return asyncio.run(_with_db(settings, work))


async def _load_status(db: Any) -> int:
    from loaders.loads import list_loads

    loads = await list_loads(db)
    if not loads:
        print("no loads recorded")
    for load in loads:
        print(load.describe())
    unfinished = [x for x in loads if x.effective_status in {"failed", "interrupted"}]
    if unfinished:
        print(
            f"{len(unfinished)} load(s) did not finish: the graph holds part of them. Run the same"
            " load command again to complete one, or `tracegraph load --remove ID` to delete"
            " what it created."
        )
    return 0


def _batch_size(text: str) -> int:
    from graph.ingest import check_batch_size

    try:
        return check_batch_size(int(text))
    except (ValueError, TracegraphError) as e:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a batch size (an integer from 1 to 100,000)"
        ) from e


def _scale(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 100_000_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a scale (nodes, 1 to 100,000,000)")
    return value


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    if uses_local_server(settings):
        _db(settings, argparse.Namespace(db_command="start"))
    _migrate(settings, argparse.Namespace(status=False))
    _load_demo_if_empty(settings)
    _print_demo_tokens(settings)
    return _serve(settings, args)


DEMO_TOKEN_TTL_HOURS = 24


def _print_demo_tokens(settings: Settings) -> None:
    """One token per role, for the demo's own customer and supplier (embedded auth only)."""
    from datetime import timedelta

    from graph.about import demo_tenants
    from resolvers.context import Role
    from tracegraph.auth import mint_token

    if settings.tracegraph_auth_mode != "embedded":
        print("TRACEGRAPH_AUTH_MODE=oidc: sign in with your identity provider for a token.")
        return
    tenants = asyncio.run(_with_db(settings, lambda db: db.read(demo_tenants)))
    port = settings.tracegraph_port
    print(
        f"\ndemo tokens (valid {DEMO_TOKEN_TTL_HOURS} h; send as 'Authorization: Bearer <token>';"
        " more with `tracegraph token create`):"
    )
    for role in Role:
        customer = tenants.customer_id if role is Role.BUYER else None
        supplier = tenants.supplier_id if role is Role.SUPPLIER else None
        if role in (Role.BUYER, Role.SUPPLIER) and not (customer or supplier):
            continue  # no customer with orders, or no supplier with lots, to belong to
        token = mint_token(
            settings,
            role=role,
            user=f"demo-{role.value}",
            customer=customer,
            supplier=supplier,
            ttl=timedelta(hours=DEMO_TOKEN_TTL_HOURS),
        )
        whose = f" of {customer or supplier}" if customer or supplier else ""
        print(f"  {role.value}{whose}:\n    {token}")
    if settings.tracegraph_env == "dev":
        print(f"GraphiQL, signed in as admin: http://{settings.tracegraph_host}:{port}/graphiql\n")


def _load_demo_if_empty(settings: Settings) -> None:
    from graph.ingest import Progress
    from loaders.demo import has_domain_data, load_demo

    async def work(db: Any) -> int:
        if await has_domain_data(db):
            print("the graph already holds data; demo data not loaded.")
            return 0
        print(f"loading demo data (~{DEMO_SCALE:,} nodes, seed {DEMO_SEED})...", flush=True)
        summary = await load_demo(db, scale=DEMO_SCALE, seed=DEMO_SEED, progress=Progress())
        print(f"loaded: {summary.describe()}")
        return 0

    asyncio.run(_with_db(settings, work))


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from tracegraph.auth import mint_token

    print(
        mint_token(
            settings,
            role=args.role,
            user=args.user,
            customer=args.customer,
            supplier=args.supplier,
            ttl=args.ttl,
        )
    )
    return 0


def _role(text: str) -> Any:
    from resolvers.context import Role

    try:
        return Role(text)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise argparse.ArgumentTypeError(f"{text!r} is not a role ({names})") from None


def _add_workers_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_workers,
        help="processes sharing the port (default TRACEGRAPH_WORKERS, 1); about one per core",
    )


def _workers(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number from 1 to 64")
    return count


def _ttl(text: str) -> Any:
    from tracegraph.auth import parse_ttl

    try:
        return parse_ttl(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _add_load_parser(sub: Any) -> None:
    load = sub.add_parser(
        "load", help="load data: the demo generator, a JSON data store, CSV files"
    )
    load_actions = load.add_mutually_exclusive_group()
    load_actions.add_argument(
        "--status", action="store_true", help="list the loads and whether each finished"
    )
    load_actions.add_argument(
        "--remove", metavar="ID", help="delete what an unfinished (or any) load created"
    )
    load_sub = load.add_subparsers(dest="load_command", required=False, metavar="SOURCE")
    load_demo = load_sub.add_parser("demo", help="synthetic graph, deterministic for a seed")
    load_demo.add_argument(
        "--scale", type=_scale, default=DEMO_SCALE, help="approximate number of nodes"
    )
    load_demo.add_argument("--seed", type=int, default=DEMO_SEED, help="random seed")
    load_json = load_sub.add_parser("json", help="a seed-000 JSON data store (v1.0 or v2.0)")
    load_json.add_argument("file", help="the JSON file")
    load_csv = load_sub.add_parser("csv", help="a directory of CSV files, one per kind")
    load_csv.add_argument("directory", help="the directory")
    for p in (load_json, load_csv):
        p.add_argument(
            "--skip-invalid",
            action="store_true",
            help="write the valid records and list the others in a .rejects.jsonl file",
        )
        p.add_argument(
            "--update",
            action="store_true",
            help="where the graph holds a key with other facts, this input's facts win",
        )
    for p in (load_demo, load_json, load_csv):
        p.add_argument(
            "--batch-size",
            type=_batch_size,
            default=10_000,
            help="rows per transaction (1 to 100,000)",
        )
        p.add_argument("--quiet", "-q", action="store_true", help="no progress line")
    load.set_defaults(handler=_load)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracegraph",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the GraphQL API (applies pending migrations first)")
    _add_workers_argument(serve)
    serve.set_defaults(handler=_serve)

    db = sub.add_parser("db", help="the project-local Neo4j server (no Docker needed)")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("start", help="fetch Neo4j from Maven Central once, start it, wait for Bolt")
    db_sub.add_parser("stop", help="stop the server this data dir started")
    db_sub.add_parser("status", help="say whether it runs, and where (exit 3 if it does not)")
    db.set_defaults(handler=_db)

    migrate = sub.add_parser("migrate", help="apply pending schema migrations (cypher/schema/)")
    migrate.add_argument(
        "--status", action="store_true", help="list applied and pending, change nothing"
    )
    migrate.set_defaults(handler=_migrate)

    analytics = sub.add_parser("analytics", help="the analytics' stored figures")
    analytics_sub = analytics.add_subparsers(
        dest="analytics_command", required=True, metavar="ACTION"
    )
    analytics_sub.add_parser(
        "refresh",
        help="recompute the suppliers stored upstream of every batch and the parts produced per"
        " supplier and day (the loads and the mutations keep them; for a graph written some"
        " other way)",
    )
    analytics.set_defaults(handler=_analytics)

    schema = sub.add_parser("schema", help="the GraphQL schema")
    schema_sub = schema.add_subparsers(dest="schema_command", required=True, metavar="ACTION")
    export = schema_sub.add_parser("export", help="write the SDL (commit it: a test checks it)")
    export.add_argument("--output", "-o", default="schema.graphql", help="file to write")
    schema.set_defaults(handler=_schema)

    _add_load_parser(sub)

    demo = sub.add_parser(
        "demo",
        help="everything for a first look: local Neo4j, migrations, demo data, then serve",
    )
    _add_workers_argument(demo)  # demo ends by serving, as serve does
    demo.set_defaults(handler=_demo)

    token = sub.add_parser("token", help="bearer tokens of the embedded auth mode")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_sub.add_parser(
        "create", help="mint an HS256 token with TRACEGRAPH_AUTH_SECRET and print it"
    )
    create.add_argument(
        "--role", required=True, type=_role, help="the caller's role (docs/access.md)"
    )
    create.add_argument("--user", required=True, help="the user id (the token's subject)")
    create.add_argument("--customer", help="the buyer's customer id (required for --role buyer)")
    create.add_argument("--supplier", help="the supplier's id (required for --role supplier)")
    create.add_argument("--ttl", type=_ttl, default="8h", help="lifetime: 30m, 8h, 7d (default 8h)")
    token.set_defaults(handler=_token)

    cypher = sub.add_parser("cypher", help="the named Cypher queries")
    cypher_sub = cypher.add_subparsers(dest="cypher_command", required=True, metavar="ACTION")
    show = cypher_sub.add_parser(
        "show", help="print a query as Neo4j runs it (scope rules pasted in), for Browser"
    )
    show.add_argument("name", nargs="?", help="e.g. traces.forward_trace; none: list the names")
    cypher.set_defaults(handler=_cypher)
    return parser


def _cypher(settings: Settings, args: argparse.Namespace) -> int:
    from graph.queries import registry

    if args.name is None:
        print("\n".join(registry().names()))
        return 0
    query = registry()[args.name]
    print(f"// {query.name} ({query.source}, {query.mode}): {query.doc}")
    print(f"// params: {', '.join('$' + p for p in sorted(query.params))}")
    print(query.text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        handler: Callable[[Settings, argparse.Namespace], int] = args.handler
        return handler(settings, args)
    except TracegraphError as e:
        print(f"tracegraph: error: {e}", file=sys.stderr)
        if e.detail:
            print(f"  ({e.detail})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

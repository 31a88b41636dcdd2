"""Analytics benchmark (issue 14 section 6): the four analytics as GraphQL over HTTP, warm.

    python -m bench.analytics --uri bolt://127.0.0.1:21787 --password tracegraph-local

Against a graph the demo generator loaded (``tracegraph load demo --scale 10000000``: one year,
2025), starts ``tracegraph serve`` as deployed (its own process, prod settings, loopback port)
and times, one request at a time on one kept-alive connection, p50 and p95 in ms of:

- the scorecards of all suppliers for the year (totals and monthly trend), and for one month;
- the root-cause Pareto of the year (totals, root causes, top suppliers, lots, machines and
  operators: six Cypher queries in one request);
- cost of quality by month for the year (total and the twelve months);
- the root-cause ranking of 100 defective serials: the first 100 serials made from one lot
  (``--lot``, a trim lot shared by a handful of orders), against every serial made on their days.

Targets: scorecards p95 <= 1 s, Pareto <= 500 ms, cost by month <= 500 ms, ranking <= 1 s.
Reads only: nothing is written to the graph. ``--role`` measures as that role (buyer CUST-001,
supplier SUP-001) instead of admin.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from neo4j import AsyncManagedTransaction

from bench.traces import GraphQLClient, _pct, service
from graph import queries
from graph.about import GraphCounts, graph_counts
from graph.database import Database
from resolvers.context import Caller, Role
from tracegraph.auth import mint_token
from tracegraph.settings import Settings, load_settings

BENCH_QUERIES = queries.load_queries(
    Path(__file__).resolve().parent / "cypher", label="bench/cypher"
)
CALLERS = {
    "admin": Caller(role=Role.ADMIN, user_id="bench"),
    "buyer": Caller(role=Role.BUYER, customer_id="CUST-001", user_id="bench"),
    "supplier": Caller(role=Role.SUPPLIER, supplier_id="SUP-001", user_id="bench"),
}
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
MONTH = {"from": "2025-03-01", "to": "2025-03-31"}
FIGURES = """partsProduced partsAffected defectRatePpm issues issuesHigh issuesCritical
  costOfQuality lotsReceived lotsRejected onTimeDeliveryPercent rating"""
SCORECARDS = f"""query($from: Date, $to: Date) {{
  supplierScorecards(from: $from, to: $to, first: 100) {{
    nodes {{ supplierId total {{ {FIGURES} }} months {{ month {FIGURES} }} }} }} }}"""
PARETO = """query($filter: IssueAnalyticsFilter) {
  rootCausePareto(filter: $filter, measure: COST) {
    total { issues partsAffected totalCost }
    rootCauses { key issues partsAffected cost sharePercent cumulativePercent }
    suppliers(limit: 5) { key issues cost sharePercent }
    lots(limit: 5) { key issues cost sharePercent }
    machines(limit: 5) { key issues cost sharePercent }
    operators(limit: 5) { key issues cost sharePercent } } }"""
COST_BY_MONTH = """query($filter: IssueAnalyticsFilter) {
  costOfQuality(groupBy: MONTH, sort: KEY, filter: $filter) {
    total { issues totalCost chargedToSupplier }
    groups(first: 12) { nodes { key issues scrapCost reworkCost downtimeCost investigationCost
      totalCost chargedToSupplier chargedPercent } } } }"""
RANKING = """query($serials: [String!]) {
  rootCauseRanking(serials: $serials, first: 10) {
    defectiveSerials goodSerials populationFrom populationTo
    factors { rank kind key defective good lift pValue summary } } }"""
TARGETS = {"scorecards": 1000, "pareto": 500, "cost by month": 500, "ranking": 1000}
# Not a target of the issue: what one month's scorecards cost, for comparison.
TARGETS["scorecards, 1 month"] = TARGETS["scorecards"]


async def serials_of(settings: Settings, lot: str, n: int) -> list[str]:
    db = Database.from_settings(settings)

    async def work(tx: AsyncManagedTransaction) -> list[str]:
        (record,) = await queries.read(tx, BENCH_QUERIES["serials_of_lot"], lot_number=lot, n=n)
        return list(record["serials"])

    try:
        return await db.read(work)
    finally:
        await db.close()


async def counts(settings: Settings) -> GraphCounts:
    db = Database.from_settings(settings)
    try:
        return await db.read(graph_counts)
    finally:
        await db.close()


def timed(
    client: GraphQLClient, query: str, variables: dict[str, Any], n: int, warm: int
) -> tuple[list[float], dict[str, Any]]:
    samples: list[float] = []
    answer: dict[str, Any] = {}
    for i in range(warm + n):
        started = time.perf_counter()
        answer, _ = client.post(query, variables)
        if i >= warm:
            samples.append((time.perf_counter() - started) * 1000)
    return samples, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default="bolt://127.0.0.1:21787")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="tracegraph-local")
    parser.add_argument("--lot", default="LOT-06-010000", help="the defective serials' lot")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--role", choices=sorted(CALLERS), default="admin")
    args = parser.parse_args()
    settings = load_settings(
        env_file=None,
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,
        tracegraph_migrate_on_serve=False,
        neo4j_tx_timeout_seconds=120.0,
        tracegraph_auth_secret=secrets.token_urlsafe(48),
    )
    size = asyncio.run(counts(settings))
    serials = asyncio.run(serials_of(settings, args.lot, 100))
    print(
        f"graph: {size.nodes:,} nodes, {size.relationships:,} relationships;"
        f" {len(serials)} serials of {args.lot}"
    )
    caller = CALLERS[args.role]
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("scorecards", SCORECARDS, YEAR),
        ("scorecards, 1 month", SCORECARDS, MONTH),
        ("pareto", PARETO, {"filter": YEAR}),
        ("cost by month", COST_BY_MONTH, {"filter": YEAR}),
        ("ranking", RANKING, {"serials": serials}),
    ]
    with service(settings) as (port, _):
        token = mint_token(
            settings,
            role=caller.role,
            user="bench",
            customer=caller.customer_id,
            supplier=caller.supplier_id,
            ttl=timedelta(hours=4),
        )
        client = GraphQLClient(port, token)
        try:
            print(f"scope: {args.role}; {args.iterations} timed requests each after {args.warmup}")
            print(f"{'case':<20} {'p50 ms':>8} {'p95 ms':>8} {'target':>8}")
            for name, query, variables in cases:
                samples, answer = timed(client, query, variables, args.iterations, args.warmup)
                p50, p95 = _pct(samples, 0.5), _pct(samples, 0.95)
                verdict = "met" if p95 <= TARGETS[name] else "NOT met"
                print(f"{name:<20} {p50:>8.0f} {p95:>8.0f} {TARGETS[name]:>8} {verdict}")
                if name == "ranking":
                    ranking = answer["data"]["rootCauseRanking"]
                    print(
                        f"  {ranking['defectiveSerials']} defective vs"
                        f" {ranking['goodSerials']} good serials;"
                        f" first: {ranking['factors'][0]['summary'] if ranking['factors'] else '-'}"
                    )
        finally:
            client.close()


if __name__ == "__main__":
    main()

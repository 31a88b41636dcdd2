"""Analytics (issue 14) on hand-built figures: every number below is worked out by hand from
tests/data/graphs/analytics.cypher (see its header), and the ranking from a generated genealogy
with a planted cause."""

from __future__ import annotations

import math
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph import queries
from graph.analytics import RatingThreshold, enrichment_p_value
from graph.database import Database
from resolvers.context import Caller, Context, Role
from schema.root import build_schema
from tests.ingest_support import QUERIES
from tests.support import load_fixture_graph
from tracegraph.errors import ConfigError
from tracegraph.settings import load_settings

SCHEMA = build_schema()
ADMIN = Caller(role=Role.ADMIN)
BUYER_2 = Caller(role=Role.BUYER, customer_id="CUST-2")
SUPPLIER_A = Caller(role=Role.SUPPLIER, supplier_id="SUP-A")


async def run(
    db: Database,
    query: str,
    caller: Caller = ADMIN,
    ratings: tuple[RatingThreshold, ...] | None = None,
    **variables: Any,
) -> dict[str, Any]:
    context = Context(db=db, principal=caller)
    if ratings is not None:
        context.rating_thresholds = ratings
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def error_codes(db: Database, query: str) -> list[str]:
    result = await SCHEMA.execute(query, context_value=Context(db=db, principal=ADMIN))
    assert result.errors
    return [e.extensions["code"] for e in result.errors if e.extensions]


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "analytics_figures")
    return db


# -- supplier scorecards ------------------------------------------------------------------------

FIGURES = """partsProduced partsAffected defectRatePpm issues issuesLow issuesMedium issuesHigh
  issuesCritical costOfQuality chargedToSupplier lotsReceived lotsRejected lotsOnTime
  lotsWithPromise onTimeDeliveryPercent rating"""
SCORECARDS = (
    """query($sort: ScorecardSort!, $first: Int!, $after: String, $supplier: String) {
  supplierScorecards(from: "2025-01-01", to: "2025-02-28", sort: $sort, first: $first,
      after: $after, supplierId: $supplier) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { supplierId supplierName total { FIGURES } months { month FIGURES } } } }"""
).replace("FIGURES", FIGURES)


def figures(  # noqa: PLR0917 - one scorecard row, every figure in its place
    produced: int,
    affected: int,
    ppm: float | None,
    severities: tuple[int, int, int, int],
    cost: float | None,
    charged: float | None,
    lots: tuple[int, int, int, int],
    otd: float | None,
    rating: str | None,
) -> dict[str, Any]:
    low, medium, high, critical = severities
    received, rejected, on_time, promised = lots
    return {
        "partsProduced": produced,
        "partsAffected": affected,
        "defectRatePpm": ppm,
        "issues": sum(severities),
        "issuesLow": low,
        "issuesMedium": medium,
        "issuesHigh": high,
        "issuesCritical": critical,
        "costOfQuality": cost,
        "chargedToSupplier": charged,
        "lotsReceived": received,
        "lotsRejected": rejected,
        "lotsOnTime": on_time,
        "lotsWithPromise": promised,
        "onTimeDeliveryPercent": otd,
        "rating": rating,
    }


# SUP-A: P1 (1,000, Jan, through SUB1) and P3 (250, Feb); Q1 (4) and Q2 (2, in SUB1) in Jan:
# 6 / 1,250 = 4,800 PPM; LA1 on time, LA2 late and rejected: 50 %; PPM meets B but OTD only D.
ALPHA: dict[str, Any] = {
    "supplierId": "SUP-A",
    "supplierName": "Alpha",
    "total": figures(1250, 6, 4800.0, (1, 0, 1, 0), 500.0, 400.0, (2, 1, 1, 2), 50.0, "D"),
    "months": [
        {"month": "2025-01-01"}
        | figures(1000, 6, 6000.0, (1, 0, 1, 0), 500.0, 400.0, (1, 0, 1, 1), 100.0, "C"),
        {"month": "2025-02-01"}
        | figures(250, 0, 0.0, (0, 0, 0, 0), 0.0, 0.0, (1, 1, 0, 1), 0.0, "D"),
    ],
}
# SUP-B: P1 (1,000, Jan) and P2 (500, Feb); Q1 (4, Jan) and Q3 (2, Feb): 6 / 1,500 = 4,000 PPM;
# LB1 early and LB2 on the day (rejected by quarantine): 100 % (LB0 and P0 are of December
# 2024, outside).
BETA: dict[str, Any] = {
    "supplierId": "SUP-B",
    "supplierName": "Beta",
    "total": figures(1500, 6, 4000.0, (0, 0, 1, 1), 450.0, 450.0, (2, 1, 2, 2), 100.0, "B"),
    "months": [
        {"month": "2025-01-01"}
        | figures(1000, 4, 4000.0, (0, 0, 1, 0), 400.0, 400.0, (1, 0, 1, 1), 100.0, "B"),
        {"month": "2025-02-01"}
        | figures(500, 2, 4000.0, (0, 0, 0, 1), 50.0, 50.0, (1, 1, 1, 1), 100.0, "B"),
    ],
}
GAMMA: dict[str, Any] = {
    "supplierId": "SUP-C",
    "supplierName": "Gamma",
    "total": figures(0, 0, None, (0, 0, 0, 0), 0.0, 0.0, (0, 0, 0, 0), None, None),
    "months": [],
}


async def test_scorecards_have_the_hand_computed_figures(graph: Database) -> None:
    data = await run(graph, SCORECARDS, sort="SUPPLIER_ID", first=10)
    assert data["supplierScorecards"]["nodes"] == [ALPHA, BETA, GAMMA]
    assert data["supplierScorecards"]["totalCount"] == 3


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("RATING_WORST_FIRST", ["SUP-A", "SUP-B", "SUP-C"]),
        ("DEFECT_RATE_DESC", ["SUP-A", "SUP-B", "SUP-C"]),
        ("ON_TIME_ASC", ["SUP-A", "SUP-B", "SUP-C"]),
        ("COST_DESC", ["SUP-A", "SUP-B", "SUP-C"]),
    ],
)
async def test_scorecards_sort_and_page_in_the_database(
    graph: Database, sort: str, order: list[str]
) -> None:
    seen: list[str] = []
    after = None
    for _ in range(3):
        page = (await run(graph, SCORECARDS, sort=sort, first=1, after=after))["supplierScorecards"]
        seen += [n["supplierId"] for n in page["nodes"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == order


async def test_ratings_apply_the_settings_thresholds_inclusively(graph: Database) -> None:
    thresholds = (
        RatingThreshold(grade="A", max_ppm=4000, min_otd=100),
        RatingThreshold(grade="B", max_ppm=4900, min_otd=50),
        RatingThreshold(grade="C", max_ppm=4900, min_otd=0),
    )
    data = await run(graph, SCORECARDS, ratings=thresholds, sort="RATING_WORST_FIRST", first=10)
    cards = data["supplierScorecards"]["nodes"]
    # B: exactly 4,000 PPM and 100 % -> A; A: 4,800 PPM and exactly 50 % -> B.
    assert [(c["supplierId"], c["total"]["rating"]) for c in cards] == [
        ("SUP-A", "B"),
        ("SUP-B", "A"),
        ("SUP-C", None),
    ]


async def test_one_supplier_scorecard(graph: Database) -> None:
    data = await run(graph, SCORECARDS, sort="SUPPLIER_ID", first=10, supplier="SUP-B")
    assert data["supplierScorecards"]["nodes"] == [BETA]
    assert data["supplierScorecards"]["totalCount"] == 1


async def test_a_buyer_sees_the_figures_of_its_own_orders_only(graph: Database) -> None:
    data = await run(graph, SCORECARDS, BUYER_2, sort="SUPPLIER_ID", first=10)
    # CUST-2's batches: P2 (500, Feb) from LB1, Q3 in it; costs hidden from buyers.
    beta = {
        "supplierId": "SUP-B",
        "supplierName": "Beta",
        "total": figures(500, 2, 4000.0, (0, 0, 0, 1), None, None, (1, 0, 1, 1), 100.0, "B"),
        "months": [
            {"month": "2025-01-01"}
            | figures(0, 0, None, (0, 0, 0, 0), None, None, (1, 0, 1, 1), 100.0, "A"),
            {"month": "2025-02-01"}
            | figures(500, 2, 4000.0, (0, 0, 0, 1), None, None, (0, 0, 0, 0), None, "B"),
        ],
    }
    masked = {"costOfQuality": None, "chargedToSupplier": None}
    alpha = GAMMA | {
        "supplierId": "SUP-A",
        "supplierName": "Alpha",
        "total": GAMMA["total"] | masked,
    }
    gamma = GAMMA | {"total": GAMMA["total"] | masked}
    assert data["supplierScorecards"]["nodes"] == [alpha, beta, gamma]


async def test_a_supplier_sees_only_its_own_scorecard(graph: Database) -> None:
    data = await run(graph, SCORECARDS, SUPPLIER_A, sort="SUPPLIER_ID", first=10)
    masked = {"costOfQuality": None, "chargedToSupplier": None}
    assert data["supplierScorecards"]["nodes"] == [
        {
            **ALPHA,
            "total": ALPHA["total"] | masked,
            "months": [m | masked for m in ALPHA["months"]],
        }
    ]
    assert data["supplierScorecards"]["totalCount"] == 1
    other = await run(graph, SCORECARDS, SUPPLIER_A, sort="SUPPLIER_ID", first=10, supplier="SUP-B")
    assert other["supplierScorecards"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "nodes": [],
    }


async def test_a_caller_without_row_scope_sees_nothing(graph: Database) -> None:
    # Fail closed: a scope the rules do not know selects no row of any figure.
    async def work(tx: AsyncManagedTransaction) -> list[Any]:
        return await queries.read(
            tx,
            "analytics.scorecard_page",
            supplier_id=None,
            scope={"rows": "nobody", "hidden": [], "customer_id": None, "supplier_id": None},
            date_from=None,
            date_to=None,
            ratings=[],
            sort="supplier_id",
            after=None,
            limit=10,
        )

    assert await graph.read(work) == []


def test_rating_thresholds_are_settings_and_must_tighten() -> None:
    settings = load_settings(env_file=None, analytics_rating_b_max_ppm=3000)
    assert [t.max_ppm for t in settings.rating_thresholds] == [1000, 3000, 20000]
    with pytest.raises(ConfigError, match="tighten"):
        load_settings(env_file=None, analytics_rating_a_min_otd=80)


# -- Pareto -------------------------------------------------------------------------------------

PARETO = """query($measure: ParetoMeasure!, $filter: IssueAnalyticsFilter) {
  rootCausePareto(filter: $filter, measure: $measure) {
    total { issues partsAffected totalCost }
    rootCauses { key issues partsAffected cost sharePercent cumulativePercent }
    suppliers { key name issues sharePercent }
    lots { key issues }
    machines { key name issues partsAffected sharePercent cumulativePercent }
    operators { key issues partsAffected } } }"""
Q1_TO_Q4 = {"from": "2025-01-01", "to": "2025-03-31"}


def entry(  # noqa: PLR0917 - one Pareto bar, every figure in its place
    key: str, issues: int, parts: int, cost: float | None, share: float, cumulative: float
) -> dict[str, Any]:
    return {
        "key": key,
        "issues": issues,
        "partsAffected": parts,
        "cost": cost,
        "sharePercent": pytest.approx(share),
        "cumulativePercent": pytest.approx(cumulative),
    }


async def test_pareto_by_issue_count(graph: Database) -> None:
    data = (await run(graph, PARETO, measure="ISSUES", filter=Q1_TO_Q4))["rootCausePareto"]
    assert data["total"] == {"issues": 4, "partsAffected": 18, "totalCost": 580.0}
    # material Q1+Q3, machine Q2, process Q4 (Q5 is of December 2024); ties by key.
    assert data["rootCauses"] == [
        entry("material", 2, 6, 450.0, 50, 50),
        entry("machine", 1, 2, 100.0, 25, 75),
        entry("process", 1, 10, 30.0, 25, 100),
    ]
    # Blamed: SUP-B by the suspects of Q1 and Q3 (and Q1's notice), SUP-A by Q4's notice.
    assert data["suppliers"] == [
        {"key": "SUP-B", "name": "Beta", "issues": 2, "sharePercent": 50.0},
        {"key": "SUP-A", "name": "Alpha", "issues": 1, "sharePercent": 25.0},
    ]
    assert data["lots"] == [{"key": "LB1", "issues": 2}]
    assert data["operators"] == [
        {"key": "OP-1", "issues": 2, "partsAffected": 14},
        {"key": "OP-2", "issues": 2, "partsAffected": 4},
    ]


async def test_pareto_by_parts_affected_and_cost(graph: Database) -> None:
    parts = (await run(graph, PARETO, measure="PARTS_AFFECTED", filter=Q1_TO_Q4))["rootCausePareto"]
    assert parts["rootCauses"] == [
        entry("process", 1, 10, 30.0, 1000 / 18, 1000 / 18),
        entry("material", 2, 6, 450.0, 600 / 18, 1600 / 18),
        entry("machine", 1, 2, 100.0, 200 / 18, 100),
    ]
    # M-2: Q2 (in SUB1) and Q4 = 12 parts; M-1: Q1 and Q3 = 6.
    assert parts["machines"] == [
        {"key": "M-2", "name": "Knitter 2", "issues": 2, "partsAffected": 12}
        | {"sharePercent": pytest.approx(1200 / 18), "cumulativePercent": pytest.approx(1200 / 18)},
        {"key": "M-1", "name": "Knitter 1", "issues": 2, "partsAffected": 6}
        | {"sharePercent": pytest.approx(600 / 18), "cumulativePercent": pytest.approx(100)},
    ]
    cost = (await run(graph, PARETO, measure="COST", filter=Q1_TO_Q4))["rootCausePareto"]
    assert cost["rootCauses"] == [
        entry("material", 2, 6, 450.0, 45000 / 580, 45000 / 580),
        entry("machine", 1, 2, 100.0, 10000 / 580, 55000 / 580),
        entry("process", 1, 10, 30.0, 3000 / 580, 100),
    ]


@pytest.mark.parametrize(
    ("extra", "causes"),
    [
        ({"severity": ["HIGH", "CRITICAL"]}, [("material", 2)]),
        ({"customerId": "CUST-2"}, [("material", 1)]),
        # PN-1: ORD-1 (Q1 in P1, Q2 in SUB1) and ORD-3 (Q4 in P3).
        ({"partNumber": "PN-1"}, [("machine", 1), ("material", 1), ("process", 1)]),
        ({"supplierId": "SUP-B"}, [("material", 2)]),
        ({"supplierId": "SUP-A"}, [("process", 1)]),
        (
            {"from": None, "to": None},
            [("material", 2), ("machine", 1), ("process", 1), ("uninvestigated", 1)],
        ),
    ],
)
async def test_pareto_filters(
    graph: Database, extra: dict[str, Any], causes: list[tuple[str, int]]
) -> None:
    data = await run(graph, PARETO, measure="ISSUES", filter=Q1_TO_Q4 | extra)
    found = data["rootCausePareto"]["rootCauses"]
    assert [(e["key"], e["issues"]) for e in found] == causes
    assert found[-1]["cumulativePercent"] == pytest.approx(100)


async def test_pareto_lists_take_their_own_limit(graph: Database) -> None:
    data = await run(
        graph,
        """{ rootCausePareto { rootCauses(limit: 1) { key cumulativePercent }
             operators(limit: 2) { key } } }""",
    )
    # Every date: material 2 of 5 issues (Q5 is uninvestigated); operators OP-1 and OP-2 only.
    assert data["rootCausePareto"] == {
        "rootCauses": [{"key": "material", "cumulativePercent": 40.0}],
        "operators": [{"key": "OP-1"}, {"key": "OP-2"}],
    }
    codes = await error_codes(graph, "{ rootCausePareto { lots(limit: 0) { key } } }")
    assert codes == ["INVALID_INPUT"]


async def test_pareto_for_a_buyer_counts_its_issues_and_hides_costs(graph: Database) -> None:
    data = (await run(graph, PARETO, BUYER_2, measure="COST", filter=None))["rootCausePareto"]
    # CUST-2: Q3 (P2) and Q5 (P0); cost ranks nothing for a role that cannot see it.
    assert data["total"] == {"issues": 2, "partsAffected": 9, "totalCost": None}
    assert data["rootCauses"] == [
        {"key": "material", "issues": 1, "partsAffected": 2, "cost": None}
        | {"sharePercent": None, "cumulativePercent": None},
        {"key": "uninvestigated", "issues": 1, "partsAffected": 7, "cost": None}
        | {"sharePercent": None, "cumulativePercent": None},
    ]


# -- cost of quality ----------------------------------------------------------------------------

COST = """query($group: CostGroup!, $sort: CostSort!, $filter: IssueAnalyticsFilter,
    $first: Int!, $after: String) {
  costOfQuality(groupBy: $group, sort: $sort, filter: $filter) {
    total { key issues partsAffected scrapCost reworkCost downtimeCost investigationCost
      totalCost chargedToSupplier chargedPercent }
    groups(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      nodes { key name issues scrapCost reworkCost downtimeCost investigationCost totalCost
        chargedToSupplier chargedPercent } } } }"""


def cost_row(  # noqa: PLR0917 - one cost row, every figure in its place
    key: str | None,
    name: str | None,
    issues: int,
    split: tuple[float, float, float, float],
    total: float,
    charged: float,
) -> dict[str, Any]:
    scrap, rework, downtime, investigation = split
    return {
        "key": key,
        "name": name,
        "issues": issues,
        "scrapCost": scrap,
        "reworkCost": rework,
        "downtimeCost": downtime,
        "investigationCost": investigation,
        "totalCost": total,
        "chargedToSupplier": charged,
        "chargedPercent": pytest.approx(charged / total * 100),
    }


async def test_cost_of_quality_by_month(graph: Database) -> None:
    data = (await run(graph, COST, group="MONTH", sort="KEY", filter=Q1_TO_Q4, first=10))[
        "costOfQuality"
    ]
    total = cost_row(None, None, 4, (320.0, 110.0, 60.0, 90.0), 580.0, 450.0)
    del total["name"]
    assert data["total"] == total | {"partsAffected": 18}
    assert data["groups"]["totalCount"] == 3
    assert data["groups"]["nodes"] == [
        cost_row("2025-01", None, 2, (300.0, 100.0, 50.0, 50.0), 500.0, 400.0),
        cost_row("2025-02", None, 1, (20.0, 10.0, 10.0, 10.0), 50.0, 50.0),
        cost_row("2025-03", None, 1, (0.0, 0.0, 0.0, 30.0), 30.0, 0.0),
    ]


async def test_cost_of_quality_by_order_customer_and_supplier(graph: Database) -> None:
    first = (await run(graph, COST, group="ORDER", sort="TOTAL_DESC", filter=Q1_TO_Q4, first=2))[
        "costOfQuality"
    ]["groups"]
    assert [(n["key"], n["name"], n["totalCost"]) for n in first["nodes"]] == [
        ("ORD-1", "PN-1", 500.0),
        ("ORD-2", "PN-2", 50.0),
    ]
    assert first["pageInfo"]["hasNextPage"]
    rest = (
        await run(
            graph,
            COST,
            group="ORDER",
            sort="TOTAL_DESC",
            filter=Q1_TO_Q4,
            first=2,
            after=first["pageInfo"]["endCursor"],
        )
    )["costOfQuality"]["groups"]
    assert [(n["key"], n["totalCost"]) for n in rest["nodes"]] == [("ORD-3", 30.0)]
    customers = (await run(graph, COST, group="CUSTOMER", sort="TOTAL_DESC", first=10))[
        "costOfQuality"
    ]["groups"]["nodes"]
    # Every date: CUST-1 has Q1, Q2, Q4 (530); CUST-2 Q3 and Q5 (50 + 70).
    assert [(n["key"], n["name"], n["totalCost"], n["chargedToSupplier"]) for n in customers] == [
        ("CUST-1", "Globex", 530.0, 400.0),
        ("CUST-2", "Initech", 120.0, 50.0),
    ]
    suppliers = (await run(graph, COST, group="SUPPLIER", sort="TOTAL_DESC", first=10))[
        "costOfQuality"
    ]["groups"]["nodes"]
    sup_a = cost_row("SUP-A", "Alpha", 1, (0.0, 0.0, 0.0, 30.0), 30.0, 0.0)
    assert suppliers == [
        cost_row("SUP-B", "Beta", 2, (220.0, 110.0, 60.0, 60.0), 450.0, 450.0),
        sup_a | {"chargedPercent": 0.0},
    ]


async def test_cost_of_quality_is_hidden_from_buyers(graph: Database) -> None:
    data = (await run(graph, COST, BUYER_2, group="ORDER", sort="TOTAL_DESC", first=10))[
        "costOfQuality"
    ]
    assert data["total"]["issues"] == 2
    assert data["total"]["totalCost"] is None
    assert [(n["key"], n["issues"], n["totalCost"]) for n in data["groups"]["nodes"]] == [
        ("ORD-0", 1, None),
        ("ORD-2", 1, None),
    ]


async def test_a_cost_cursor_of_another_grouping_is_refused(graph: Database) -> None:
    page = await run(graph, COST, group="ORDER", sort="TOTAL_DESC", first=1)
    cursor = page["costOfQuality"]["groups"]["pageInfo"]["endCursor"]
    result = await SCHEMA.execute(
        COST,
        variable_values={"group": "CUSTOMER", "sort": "TOTAL_DESC", "first": 1, "after": cursor},
        context_value=Context(db=graph, principal=ADMIN),
    )
    assert result.errors
    assert result.errors[0].extensions == {"code": "INVALID_CURSOR"}


# -- the v1 shape -------------------------------------------------------------------------------


async def test_quality_issues_in_the_v1_shape(graph: Database) -> None:
    data = await run(
        graph,
        """{ qualityIssues(sort: ISSUE_ID, first: 2) { nodes { v1 { type description
             parts_affected severity date machine } } } }""",
    )
    assert [n["v1"] for n in data["qualityIssues"]["nodes"]] == [
        {
            "type": "crack",
            "description": "Crack",
            "parts_affected": 4,
            "severity": "high",
            "date": "2025-01-20",
            "machine": "M-1",
        },
        {
            "type": "scratch",
            "description": "Scratch",
            "parts_affected": 2,
            "severity": "low",
            "date": "2025-01-25",
            "machine": "M-2",
        },
    ]
    # v1 answered an empty string where no machine was recorded (P0 has none).
    q5 = await run(graph, '{ qualityIssue(id: "Q5") { ... on QualityIssue { v1 { machine } } } }')
    assert q5["qualityIssue"]["v1"] == {"machine": ""}


# -- root-cause ranking -------------------------------------------------------------------------

DAY, NEXT_DAY = "2025-05-05", "2025-05-06"
SERIALS_PER_BATCH = 25


def genealogy() -> dict[str, list[dict[str, Any]]]:
    """40 finished batches P00-P39 (25 serials each) on DAY, each from one sub-assembly U<i>
    that consumed the bulk lot BULK (shared by all), one of ten yarn lots, and for U00-U04 the
    planted lot PLANT; four more on NEXT_DAY. Machines, shifts and operators rotate with
    different periods, so a machine on a shift picks out its own batches."""
    lots = [{"lot": "BULK", "supplier": "S-BULK", "date": DAY}]
    lots += [{"lot": f"Y{k}", "supplier": f"S-Y{k % 2}", "date": DAY} for k in range(10)]
    lots += [{"lot": "PLANT", "supplier": "S-Y1", "date": DAY}]
    batches, links, serials = [], [], []
    for i in range(44):
        day = DAY if i < 40 else NEXT_DAY
        for level, prefix, shift in ((0, "U", 1), (1, "P", 0)):
            batches.append(
                {
                    "id": f"{prefix}{i:02d}",
                    "date": day,
                    "level": level,
                    "quantity": SERIALS_PER_BATCH,
                    "machine": f"M-{(i + shift) % 4}",
                    "operator": f"OP-{(i + 3 * shift) % 5}",
                    "shift": "ABC"[(i + shift) % 3],
                }
            )
        links += [
            {"batch": f"U{i:02d}", "input": "BULK"},
            {"batch": f"U{i:02d}", "input": f"Y{i % 10}"},
            {"batch": f"P{i:02d}", "input": f"U{i:02d}"},
        ]
        if i < 5:
            links.append({"batch": f"U{i:02d}", "input": "PLANT"})
        serials += [
            {"batch": f"P{i:02d}", "serial": serial(i, k), "status": "ok"}
            for k in range(SERIALS_PER_BATCH)
        ]
    return {"lots": lots, "batches": batches, "links": links, "serials": serials}


def serial(batch: int, k: int) -> str:
    return f"SN-{batch:02d}-{k:02d}"


async def plant(db: Database) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        await queries.write(tx, QUERIES["plant_genealogy"], **genealogy())

    await db.write(work)


# 41 defective serials from the five batches made from PLANT (9 + 8 + 8 + 8 + 8), two elsewhere.
PLANTED_LOT = [serial(0, k) for k in range(9)]
PLANTED_LOT += [serial(b, k) for b in range(1, 5) for k in range(8)]
PLANTED_LOT += [serial(20, 0), serial(30, 0)]
# Machine M-1 on shift B makes P01, P13, P25, P37 (i % 4 == 1 and i % 3 == 1), and U00, U12, U24,
# U36 (sub-assemblies of P00, P12, P24, P36): 8 defective from each of the first four, 2 others.
PLANTED_MACHINE_SHIFT = [serial(b, k) for b in (1, 13, 25, 37) for k in range(8)]
PLANTED_MACHINE_SHIFT += [serial(6, 0), serial(18, 0)]

RANKING = """query($serials: [String!], $issue: String, $status: Boolean! = false, $since: Date,
    $to: Date, $first: Int! = 10) {
  rootCauseRanking(serials: $serials, issueId: $issue, defectiveStatus: $status, from: $since,
      to: $to, first: $first) {
    defectiveSerials goodSerials populationFrom populationTo
    factors { rank kind key name defective good defectivePercent goodPercent lift pValue
      summary } } }"""


async def test_a_planted_lot_ranks_first_and_the_bulk_lot_does_not(db: Database) -> None:
    await plant(db)
    data = (await run(db, RANKING, serials=PLANTED_LOT, first=100))["rootCauseRanking"]
    assert (data["defectiveSerials"], data["goodSerials"]) == (43, 957)
    assert (data["populationFrom"], data["populationTo"]) == (DAY, DAY)
    top = data["factors"][0]
    # PLANT: 41 of 43 defective, 125 - 41 = 84 of 957 good; lift (41/43) / (125/1000).
    assert {k: top[k] for k in ("rank", "kind", "key", "defective", "good")} == {
        "rank": 1,
        "kind": "lot",
        "key": "PLANT",
        "defective": 41,
        "good": 84,
    }
    assert top["lift"] == pytest.approx((41 / 43) / (125 / 1000))
    assert top["goodPercent"] == pytest.approx(84 / 957 * 100)
    assert top["pValue"] == pytest.approx(enrichment_p_value(41, 125, 43, 1000))
    assert top["pValue"] < 1e-30
    assert top["summary"].startswith(
        "lot PLANT is upstream of 41 of 43 defective serials and 8.8 % of good ones (lift 7.6,"
    )
    bulk = next(f for f in data["factors"] if f["key"] == "BULK")
    assert (bulk["defective"], bulk["good"], bulk["lift"], bulk["pValue"]) == (43, 957, 1.0, 1.0)
    assert bulk["rank"] > 1
    # The supplier of PLANT also supplied five yarn lots: weaker evidence, ranked below it.
    supplier = next(f for f in data["factors"] if f["key"] == "S-Y1")
    assert supplier["rank"] > 1
    assert supplier["pValue"] > top["pValue"]


async def test_a_planted_machine_on_a_shift_ranks_first(db: Database) -> None:
    await plant(db)
    data = (await run(db, RANKING, serials=PLANTED_MACHINE_SHIFT))["rootCauseRanking"]
    top = data["factors"][0]
    # 8 batches have M-1 on B upstream (200 serials): 32 of the 34 defective.
    assert {k: top[k] for k in ("kind", "key", "name", "defective", "good")} == {
        "kind": "machine_shift",
        "key": "M-1 / B",
        "name": "M-1 on B",
        "defective": 32,
        "good": 168,
    }
    kinds = [f["kind"] for f in data["factors"][:3]]
    assert "lot" not in kinds


async def test_the_comparison_population_follows_the_date_range(db: Database) -> None:
    await plant(db)
    data = (await run(db, RANKING, serials=PLANTED_LOT, to=NEXT_DAY, first=1))["rootCauseRanking"]
    # Four more finished batches of 25 on the next day join the population as good serials.
    assert (data["defectiveSerials"], data["goodSerials"]) == (43, 1057)
    assert (data["populationFrom"], data["populationTo"]) == (DAY, NEXT_DAY)
    assert data["factors"][0]["key"] == "PLANT"
    assert data["factors"][0]["good"] == 84
    # A range without the defective serials' day still counts their own batches: the next day's
    # 100 serials and the 7 batches (175 serials) the 43 defective ones came from.
    apart = (await run(db, RANKING, serials=PLANTED_LOT, since=NEXT_DAY, to=NEXT_DAY))[
        "rootCauseRanking"
    ]
    assert (apart["defectiveSerials"], apart["goodSerials"]) == (43, 232)
    assert (apart["populationFrom"], apart["populationTo"]) == (NEXT_DAY, NEXT_DAY)


async def test_ranking_from_an_issue_and_from_serial_status(db: Database) -> None:
    await plant(db)

    async def work(tx: AsyncManagedTransaction) -> None:
        await queries.write(
            tx, QUERIES["plant_issue"], issue_id="QI-PLANT", batch="P00", serials=PLANTED_LOT
        )

    await db.write(work)
    by_issue = (await run(db, RANKING, issue="QI-PLANT", first=1))["rootCauseRanking"]
    assert by_issue["defectiveSerials"] == 43
    assert by_issue["factors"][0]["key"] == "PLANT"
    none = (await run(db, RANKING, status=True, first=1))["rootCauseRanking"]
    assert none == {
        "defectiveSerials": 0,
        "goodSerials": 0,
        "populationFrom": None,
        "populationTo": None,
        "factors": [],
    }


async def test_ranking_stays_in_the_callers_scope(db: Database) -> None:
    await plant(db)
    # A supplier of neither lot sees none of these serials: nothing to rank.
    stranger = Caller(role=Role.SUPPLIER, supplier_id="S-NONE")
    data = (await run(db, RANKING, stranger, serials=PLANTED_LOT))["rootCauseRanking"]
    assert data["defectiveSerials"] == 0
    assert data["factors"] == []
    # S-Y1 sees its own lots' serials and batches, and no other supplier or lot.
    own = (
        await run(
            db,
            RANKING,
            Caller(role=Role.SUPPLIER, supplier_id="S-Y1"),
            serials=PLANTED_LOT,
            first=100,
        )
    )["rootCauseRanking"]
    keys = {(f["kind"], f["key"]) for f in own["factors"]}
    assert ("lot", "PLANT") in keys
    assert not {k for k in keys if k[0] in ("lot", "supplier")} - {
        ("lot", "PLANT"),
        ("lot", "Y1"),
        ("lot", "Y3"),
        ("lot", "Y5"),
        ("lot", "Y7"),
        ("lot", "Y9"),
        ("supplier", "S-Y1"),
    }


async def test_ranking_asks_for_one_way_of_naming_the_serials(db: Database) -> None:
    codes = await error_codes(
        db, '{ rootCauseRanking(serials: ["SN-1"], issueId: "QI-1") { defectiveSerials } }'
    )
    assert codes == ["INVALID_INPUT"]
    codes = await error_codes(db, "{ rootCauseRanking { defectiveSerials } }")
    assert codes == ["INVALID_INPUT"]


def test_enrichment_p_value_is_the_fisher_tail() -> None:
    # 4 serials, 2 through the factor, 2 defective, both through it: 1 table of C(4, 2) = 6.
    assert enrichment_p_value(2, 2, 2, 4) == pytest.approx(1 / 6)
    # At least one of the two: 1 - P(none) = 1 - C(2,2)/C(4,2) = 5/6.
    assert enrichment_p_value(1, 2, 2, 4) == pytest.approx(5 / 6)
    assert enrichment_p_value(0, 2, 2, 4) == pytest.approx(1.0)
    # A tail summed in logs: P(X >= 41), X ~ H(1000, 125, 43), by direct (exact) sum.
    exact = sum(math.comb(125, x) * math.comb(875, 43 - x) for x in range(41, 44)) / math.comb(
        1000, 43
    )
    assert enrichment_p_value(41, 125, 43, 1000) == pytest.approx(exact, rel=1e-9)

"""Analytics that point at causes (issue 14): supplier scorecards, root-cause Pareto, cost of
quality and the genealogy root-cause ranking.

Every figure is computed in Cypher (``cypher/analytics/``) within the caller's scope; this module
holds the read models of the answers, the transaction functions, and the one computation Cypher
does not do: the Fisher exact test of the ranking, from the counts Cypher returns.

Ranking statistics. For a factor (a lot, a batch, a machine ...) reached by ``a`` of the ``A``
defective serials and by ``b`` of the ``B`` good ones (``N = A + B``, the comparison population):

- lift = (a / A) / ((a + b) / N): how much more often defective serials have the factor upstream
  than serials in general (1: no more often; a factor upstream of everything has lift 1);
- p = P(X >= a) for X hypergeometric (N serials, a + b of them through the factor, A drawn): the
  one-sided Fisher exact test of "defective serials pass through it more often than chance",
  summed over the table's possible counts with log-binomials (``math.lgamma``), so it stays exact
  for populations of millions.

Factors are ranked by p (the strongest evidence first), then lift, then the more specific kind
(``FACTOR_KINDS`` order), then key. Lift alone would put first any batch that made a single
defective serial and nothing else; the p-value weighs how many defective serials a factor
explains against how many good ones pass through it too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import queries
from graph.entities import ReadModel, native

if TYPE_CHECKING:
    # Not at run time: tracegraph.settings imports this module, and graph.database the settings.
    from graph.database import Database

# Kinds of upstream factor, most specific first (ties in the ranking list them in this order).
FACTOR_KINDS = ("lot", "machine_shift", "machine", "operator", "shift", "supplier", "batch")
_KIND_WORDS = {
    "lot": "lot",
    "machine_shift": "machine on shift",
    "machine": "machine",
    "operator": "operator",
    "shift": "shift",
    "supplier": "supplier",
    "batch": "batch",
}
# The most defective serials one ranking takes (an issue's, a list, or all defective ones).
MAX_DEFECTIVE = 10_000


class RatingThreshold(ReadModel):
    """One grade of the supplier rating: met when the defect rate is at most ``max_ppm`` and the
    on-time delivery at least ``min_otd`` percent."""

    grade: str
    max_ppm: float
    min_otd: float


# The defaults of tracegraph/settings.py (where a context is built without settings: tests).
DEFAULT_RATINGS = (
    RatingThreshold(grade="A", max_ppm=1_000, min_otd=95),
    RatingThreshold(grade="B", max_ppm=5_000, min_otd=90),
    RatingThreshold(grade="C", max_ppm=20_000, min_otd=75),
)


class ScorecardFiguresModel(ReadModel):
    """A supplier's figures over the whole period or one calendar month of it."""

    month: dt.date | None = Field(
        description="First day of the month; null for the whole period.", default=None
    )
    parts_produced: int = Field(
        description="Parts made (quantity of batches that made serials) in the period with one"
        " of the supplier's lots upstream, through any depth of sub-assembly."
    )
    parts_affected: int = Field(
        description="Parts affected by quality issues detected in the period in batches with one"
        " of its lots upstream."
    )
    defect_rate_ppm: float | None = Field(
        description="Parts affected per million parts produced; null when none were produced."
    )
    issues: int = Field(description="Those quality issues.")
    issues_low: int = Field(description="Of which severity low.")
    issues_medium: int = Field(description="Of which severity medium.")
    issues_high: int = Field(description="Of which severity high.")
    issues_critical: int = Field(description="Of which severity critical.")
    cost_of_quality: float | None = Field(
        description="Total cost of those issues; null for roles that do not see quality costs."
    )
    charged_to_supplier: float | None = Field(
        description="The part of it charged to suppliers; null like cost of quality."
    )
    lots_received: int = Field(description="Its lots received in the period.")
    lots_rejected: int = Field(
        description="Of which rejected at incoming inspection (inspection failed, or quarantine"
        " status rejected)."
    )
    lots_on_time: int = Field(description="Of which delivered on or before the promised day.")
    lots_with_promise: int = Field(description="Of which with both a promised and a delivered day.")
    on_time_delivery_percent: float | None = Field(
        description="lotsOnTime / lotsWithPromise (0-100); null when no lot has both days."
    )
    rating: str | None = Field(
        description="A, B, C or D from the thresholds of the settings (docs/api.md); null when"
        " nothing was produced, received or found."
    )


class SupplierScorecardModel(ReadModel):
    """A supplier's scorecard over a period: totals and the month-by-month trend."""

    supplier_id: str = Field(description="The supplier.")
    supplier_name: str | None = Field(description="Its name.", default=None)
    total: ScorecardFiguresModel = Field(description="Figures over the whole period.")
    months: list[ScorecardFiguresModel] = Field(
        description="Figures per calendar month with any activity, oldest first."
    )


class ParetoEntryModel(ReadModel):
    """One bar of a Pareto chart: the quality issues of one key."""

    key: str = Field(
        description="Root-cause category, supplier id, lot number, machine or operator id."
    )
    name: str | None = Field(description="Its name, where it has one.", default=None)
    issues: int = Field(description="Quality issues.")
    parts_affected: int = Field(description="Their parts affected.")
    cost: float | None = Field(
        description="Their total cost; null for roles that do not see quality costs."
    )
    share_percent: float | None = Field(
        description="Its share of the measure over all issues selected (0-100)."
    )
    cumulative_percent: float | None = Field(
        description="Running share down the list, this entry included."
    )


class CostRowModel(ReadModel):
    """Cost of quality of a group of quality issues (costs null for roles that do not see them)."""

    key: str | None = Field(
        description="Month (YYYY-MM), supplier id, order number or customer id; null for the"
        " total.",
        default=None,
    )
    name: str | None = Field(
        description="Supplier or customer name, the order's part number.", default=None
    )
    issues: int = Field(description="Quality issues.")
    parts_affected: int = Field(description="Their parts affected.")
    scrap_cost: float | None = Field(description="Scrap.", default=None)
    rework_cost: float | None = Field(description="Rework.", default=None)
    downtime_cost: float | None = Field(description="Downtime.", default=None)
    investigation_cost: float | None = Field(description="Investigation.", default=None)
    total_cost: float | None = Field(description="Total.", default=None)
    charged_to_supplier: float | None = Field(
        description="Total cost of the issues charged to suppliers.", default=None
    )
    charged_percent: float | None = Field(
        description="chargedToSupplier / totalCost (0-100); null without cost.", default=None
    )


class RankedFactorModel(ReadModel):
    """An upstream factor of the defective serials, with the evidence that it is a cause."""

    rank: int = Field(description="1 = where to look first.")
    kind: str = Field(
        description="lot, machine_shift, machine, operator, shift, supplier or batch."
    )
    key: str = Field(
        description="Lot number, machine id, 'machine / shift', operator, shift, supplier or"
        " batch id."
    )
    name: str | None = Field(description="Its name, where it has one.", default=None)
    defective: int = Field(description="Defective serials with it upstream.")
    good: int = Field(description="Good serials of the comparison population with it upstream.")
    defective_percent: float = Field(description="defective / all defective serials (0-100).")
    good_percent: float | None = Field(
        description="good / all good serials (0-100); null without good serials."
    )
    lift: float = Field(
        description="(defective / all defective) / ((defective + good) / population): how much"
        " more often defective serials have it upstream than serials in general."
    )
    p_value: float = Field(
        description="One-sided Fisher exact test: the chance of at least this many defective"
        " serials through it if defects were independent of it."
    )
    summary: str = Field(description="The finding as a sentence.")


class RootCauseRankingModel(ReadModel):
    """Upstream factors of a set of defective serials ranked against a comparison population."""

    defective_serials: int = Field(
        description="Defective serials ranked (those found, with a producing batch, in scope)."
    )
    good_serials: int = Field(description="Other serials of the comparison population.")
    population_from: dt.date | None = Field(
        description="First production day of the comparison population.", default=None
    )
    population_to: dt.date | None = Field(
        description="Last production day of the comparison population.", default=None
    )
    factors: list[RankedFactorModel] = Field(description="Factors, where to look first first.")


class QualityIssueV1Model(ReadModel):
    """A quality issue as the v1 API answered it (seed 000 section 6.2)."""

    type: str | None = None
    description: str | None = None
    parts_affected: int | None = None
    severity: str | None = None
    date: dt.date | None = None
    machine: str = ""


# -- scorecards --------------------------------------------------------------------------------


def _figures(raw: dict[str, Any]) -> ScorecardFiguresModel:
    return ScorecardFiguresModel(
        month=native(raw.get("month")),
        parts_produced=raw["produced"],
        parts_affected=raw["affected"],
        defect_rate_ppm=raw["ppm"],
        issues=raw["issues"],
        issues_low=raw["low"],
        issues_medium=raw["medium"],
        issues_high=raw["high"],
        issues_critical=raw["critical"],
        cost_of_quality=raw["cost"],
        charged_to_supplier=raw["charged"],
        lots_received=raw["received"],
        lots_rejected=raw["rejected"],
        lots_on_time=raw["on_time"],
        lots_with_promise=raw["promised"],
        on_time_delivery_percent=raw["otd"],
        rating=raw["rating"],
    )


async def scorecard_page(
    tx: AsyncManagedTransaction,
    *,
    supplier_id: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    scope: dict[str, Any],
    ratings: Sequence[RatingThreshold],
    sort: str,
    after: dict[str, Any] | None,
    rows: int,
) -> list[tuple[Any, SupplierScorecardModel]]:
    """One page of scorecards as (sort key, scorecard), in the query's order."""
    found = await queries.read(
        tx,
        "analytics.scorecard_page",
        supplier_id=supplier_id,
        scope=scope,
        date_from=date_from,
        date_to=date_to,
        ratings=[r.model_dump() for r in ratings],
        sort=sort,
        after=after,
        limit=rows,
    )
    return [
        (
            row["sk"],
            SupplierScorecardModel(
                supplier_id=row["supplier_id"],
                supplier_name=row["supplier_name"],
                total=_figures(row["total"]),
                months=[_figures(m) for m in row["months"]],
            ),
        )
        for row in found
    ]


async def scorecard_count(
    tx: AsyncManagedTransaction, *, supplier_id: str | None, scope: dict[str, Any]
) -> int:
    (record,) = await queries.read(
        tx, "analytics.scorecard_count", supplier_id=supplier_id, scope=scope
    )
    return int(record["total"])


# -- stored upstream suppliers -------------------------------------------------------------------

# Batches recomputed per transaction by refresh_upstream_suppliers.
REFRESH_PAGE = 2_000


async def _refresh_page(
    tx: AsyncManagedTransaction, *, after: str | None, size: int
) -> tuple[int, str | None]:
    (row,) = (
        await queries.write(tx, "analytics.refresh_upstream_suppliers", after=after, limit=size)
    ).records
    return int(row["batches"]), row["last"]


# Production days recomputed per transaction by refresh_upstream_suppliers.
REFRESH_DAYS = 31


async def recompute_production_days(
    tx: AsyncManagedTransaction, days: Iterable[dt.date | None]
) -> None:
    """Recompute the parts produced per supplier on each of ``days`` (None: no day) from the
    batches of that day, in the caller's transaction, after its own batch writes."""
    wanted = sorted({native(day) for day in days if day is not None})
    if wanted:
        await queries.write(tx, "analytics.recompute_production_days", days=wanted)


async def _production_days(tx: AsyncManagedTransaction) -> list[dt.date]:
    found = await queries.read(tx, "analytics.production_days_to_refresh")
    return [native(row["day"]) for row in found]


async def refresh_upstream_suppliers(db: Database, *, page: int = REFRESH_PAGE) -> int:
    """Recompute the upstream suppliers stored on every batch (cypher/analytics/upstream.cypher),
    one page of batches per transaction, then the parts produced per supplier and day, a month
    of days per transaction, then the Pareto keys stored on every issue
    (cypher/analytics/issues.cypher), a page of issues per transaction; the number of batches."""
    total = await _page_by_page(db, _refresh_page, page)
    days = await db.read(_production_days)
    for start in range(0, len(days), REFRESH_DAYS):
        await db.write_unbounded(recompute_production_days, days=days[start : start + REFRESH_DAYS])
    await _page_by_page(db, _refresh_issue_page, page)
    return total


async def _page_by_page(
    db: Database,
    refresh: Callable[..., Awaitable[tuple[int, str | None]]],
    page: int,
) -> int:
    """Run ``refresh`` (a page of at most ``page`` after a key: how many, the last key) one
    transaction a page until a page comes back short; how many in all."""
    after: str | None = None
    total = 0
    while True:
        count, last = await db.write_unbounded(refresh, after=after, size=page)
        total += count
        if count < page:
            return total
        after = last


async def _refresh_issue_page(
    tx: AsyncManagedTransaction, *, after: str | None, size: int
) -> tuple[int, str | None]:
    (row,) = (
        await queries.write(tx, "analytics.refresh_issue_keys", after=after, limit=size)
    ).records
    return int(row["issues"]), row["last"]


async def recompute_issue_keys(tx: AsyncManagedTransaction, issue_ids: Iterable[str]) -> None:
    """Recompute the Pareto keys stored on each of ``issue_ids`` (cypher/analytics/issues.cypher)
    in the caller's transaction, after its own writes."""
    wanted = sorted(set(issue_ids))
    if wanted:
        await queries.write(tx, "analytics.recompute_issue_keys", issue_ids=wanted)


# -- Pareto and cost of quality -----------------------------------------------------------------


async def pareto(
    tx: AsyncManagedTransaction,
    *,
    filter: dict[str, Any],
    scope: dict[str, Any],
    measure: str,
    top: int,
) -> dict[str, list[ParetoEntryModel]]:
    """The ``top`` entries of every Pareto dimension, by dimension, in one query: from the keys
    stored on the issues for a caller who sees every row, from the issues' relationships within
    the scope for the others."""
    query = "analytics.pareto" if scope.get("rows") == "all" else "analytics.pareto_scoped"
    found = await queries.read(tx, query, filter=filter, scope=scope, measure=measure, limit=top)
    entries: dict[str, list[ParetoEntryModel]] = {}
    for row in found:
        entries.setdefault(row["dimension"], []).append(
            ParetoEntryModel(
                key=row["key"],
                name=row["name"],
                issues=row["issues"],
                parts_affected=row["parts_affected"],
                cost=row["cost"],
                share_percent=row["share"],
                cumulative_percent=row["cumulative"],
            )
        )
    return entries


def _cost_row(row: Any, key: str | None, name: str | None) -> CostRowModel:
    total, charged = row["total"], row["charged"]
    return CostRowModel(
        key=key,
        name=name,
        issues=row["issues"],
        parts_affected=row["parts_affected"],
        scrap_cost=row["scrap"],
        rework_cost=row["rework"],
        downtime_cost=row["downtime"],
        investigation_cost=row["investigation"],
        total_cost=total,
        charged_to_supplier=charged,
        charged_percent=charged / total * 100 if total and charged is not None else None,
    )


async def issue_totals(
    tx: AsyncManagedTransaction, *, filter: dict[str, Any], scope: dict[str, Any]
) -> CostRowModel:
    """The issues the filter selects in all (a cost row without key)."""
    (row,) = await queries.read(tx, "analytics.issue_totals", filter=filter, scope=scope)
    return _cost_row({**dict(row), "total": row["cost"]}, None, None)


async def cost_page(
    tx: AsyncManagedTransaction,
    *,
    filter: dict[str, Any],
    scope: dict[str, Any],
    group: str,
    sort: str,
    after: dict[str, Any] | None,
    rows: int,
) -> list[tuple[Any, CostRowModel]]:
    found = await queries.read(
        tx,
        "analytics.cost_page",
        filter=filter,
        scope=scope,
        group=group,
        sort=sort,
        after=after,
        limit=rows,
    )
    return [(row["sk"], _cost_row(row, row["key"], row["name"])) for row in found]


async def cost_count(
    tx: AsyncManagedTransaction, *, filter: dict[str, Any], scope: dict[str, Any], group: str
) -> int:
    (record,) = await queries.read(
        tx, "analytics.cost_count", filter=filter, scope=scope, group=group
    )
    return int(record["total"])


# -- root-cause ranking -------------------------------------------------------------------------


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def enrichment_p_value(hits: int, through: int, drawn: int, population: int) -> float:
    """P(X >= hits) for X hypergeometric: ``drawn`` of ``population`` taken, ``through`` of the
    population marked (the one-sided Fisher exact test of a 2x2 table)."""
    low = max(hits, 0, drawn + through - population)
    high = min(through, drawn)
    if low > high:
        return 0.0 if hits > high else 1.0
    whole = _log_choose(population, drawn)
    logs = [
        _log_choose(through, x) + _log_choose(population - through, drawn - x) - whole
        for x in range(low, high + 1)
    ]
    top = max(logs)
    return min(1.0, math.exp(top) * math.fsum(math.exp(v - top) for v in logs))


def _percent_text(value: float) -> str:
    if value == 0 or value >= 10:
        return f"{value:.0f} %"
    if value >= 1:
        return f"{value:.1f}".rstrip("0").rstrip(".") + " %"
    return f"{value:.2g} %"


def rank_factors(
    factors: Sequence[dict[str, Any]], defective: int, population: int
) -> list[RankedFactorModel]:
    """Lift, p-value and the sentence of every factor, ranked (see the module docstring)."""
    good_total = population - defective
    scored = []
    for f in factors:
        a, through = int(f["defective_through"]), int(f["through"])
        good = through - a
        lift = (a / defective) / (through / population) if through and defective else 0.0
        p = enrichment_p_value(a, through, defective, population)
        good_percent = good / good_total * 100 if good_total > 0 else None
        words = f"{_KIND_WORDS.get(f['kind'], f['kind'])} {f['key']}"
        if f.get("name") and f["name"] != f["key"]:
            words += f" ({f['name']})"
        summary = f"{words} is upstream of {a} of {defective} defective serials"
        summary += (
            f" and {_percent_text(good_percent)} of good ones" if good_percent is not None else ""
        )
        summary += f" (lift {lift:.1f}, p = {p:.2g})"
        scored.append(
            (p, -lift, FACTOR_KINDS.index(f["kind"]), str(f["key"]), f, good, lift, summary)
        )
    scored.sort(key=lambda s: s[:4])
    return [
        RankedFactorModel(
            rank=rank,
            kind=f["kind"],
            key=str(f["key"]),
            name=f.get("name"),
            defective=int(f["defective_through"]),
            good=good,
            defective_percent=int(f["defective_through"]) / defective * 100,
            good_percent=good / good_total * 100 if good_total > 0 else None,
            lift=lift,
            p_value=p,
            summary=summary,
        )
        for rank, (p, _l, _k, _key, f, good, lift, summary) in enumerate(scored, start=1)
    ]


async def defective_serials(
    tx: AsyncManagedTransaction,
    *,
    issue_id: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    scope: dict[str, Any],
) -> list[str]:
    """The serials of an issue (``issue_id``), else those with status defective in the range;
    one more than ``MAX_DEFECTIVE`` at most, so the caller can tell the set is too large."""
    if issue_id is not None:
        found = await queries.read(
            tx,
            "analytics.ranking_issue_serials",
            issue_id=issue_id,
            scope=scope,
            limit=MAX_DEFECTIVE + 1,
        )
    else:
        found = await queries.read(
            tx,
            "analytics.ranking_status_serials",
            date_from=date_from,
            date_to=date_to,
            scope=scope,
            limit=MAX_DEFECTIVE + 1,
        )
    return [row["serial"] for row in found]


async def root_cause_ranking(
    tx: AsyncManagedTransaction,
    *,
    serials: Sequence[str],
    date_from: dt.date | None,
    date_to: dt.date | None,
    scope: dict[str, Any],
    first: int,
) -> RootCauseRankingModel:
    found = await queries.read(
        tx,
        "analytics.ranking_counts",
        defective=list(dict.fromkeys(serials))[:MAX_DEFECTIVE],
        date_from=date_from,
        date_to=date_to,
        scope=scope,
    )
    if not found:
        return RootCauseRankingModel(defective_serials=0, good_serials=0, factors=[])
    row = found[0]
    defective, population = int(row["defective"]), int(row["population"])
    ranked = rank_factors(row["factors"], defective, population)
    return RootCauseRankingModel(
        defective_serials=defective,
        good_serials=population - defective,
        population_from=native(row["first_day"]),
        population_to=native(row["last_day"]),
        factors=ranked[:first],
    )

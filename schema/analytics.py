"""Analytics (issue 14): supplier scorecards, root-cause Pareto, cost of quality, and the
genealogy root-cause ranking; every figure computed in Cypher within the caller's scope."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from typing import Annotated, Any

import strawberry

from graph.analytics import (
    CostRowModel,
    ParetoEntryModel,
    RankedFactorModel,
    RootCauseRankingModel,
    ScorecardFiguresModel,
    SupplierScorecardModel,
)
from resolvers import analytics as r
from resolvers.context import Info
from schema.derive import as_answer, derived
from schema.enums import Severity
from schema.listing import DEFAULT_PAGE_SIZE, AfterArg, FirstArg, filter_params
from schema.pagination import Connection, connection


@derived(ScorecardFiguresModel)
class ScorecardFigures:
    pass


@derived(SupplierScorecardModel)
class SupplierScorecard:
    pass


@derived(ParetoEntryModel)
class ParetoEntry:
    pass


@derived(CostRowModel)
class CostRow:
    pass


@derived(RankedFactorModel)
class RankedFactor:
    pass


@derived(RootCauseRankingModel)
class RootCauseRanking:
    pass


@strawberry.enum(
    description="Orders of the scorecards: SUPPLIER_ID; RATING_WORST_FIRST (D first, unrated"
    " last); DEFECT_RATE_DESC (highest PPM first, none produced last); ON_TIME_ASC (lowest"
    " on-time delivery first, none promised last); COST_DESC (costliest first; roles that do not"
    " see quality costs get supplier id order). Ties by supplier id."
)
class ScorecardSort(enum.Enum):
    SUPPLIER_ID = "supplier_id"
    RATING_WORST_FIRST = "rating_worst_first"
    DEFECT_RATE_DESC = "defect_rate_desc"
    ON_TIME_ASC = "on_time_asc"
    COST_DESC = "cost_desc"


@strawberry.enum(description="What a Pareto ranks and shares out.")
class ParetoMeasure(enum.Enum):
    ISSUES = "issues"
    PARTS_AFFECTED = "parts_affected"
    COST = "cost"


@strawberry.enum(description="What cost of quality is grouped by.")
class CostGroup(enum.Enum):
    MONTH = "month"
    SUPPLIER = "supplier"
    ORDER = "order"
    CUSTOMER = "customer"


@strawberry.enum(
    description="Orders of cost groups: TOTAL_DESC (costliest first; by key for roles that do"
    " not see quality costs), KEY (months in order)."
)
class CostSort(enum.Enum):
    TOTAL_DESC = "total_desc"
    KEY = "key"


@strawberry.input(
    description="Which quality issues an analysis counts; every field given must match."
)
class IssueAnalyticsFilter:
    date_from: dt.date | None = strawberry.field(
        default=None, name="from", description="Detected on or after this day."
    )
    date_to: dt.date | None = strawberry.field(
        default=None, name="to", description="Detected on or before this day."
    )
    severity: list[Severity] | None = strawberry.field(default=None, description="Any of these.")
    customer_id: str | None = strawberry.field(
        default=None, description="Found in a batch that went into an order of this customer."
    )
    part_number: str | None = strawberry.field(
        default=None, description="Found in a batch that went into an order of this part number."
    )
    supplier_id: str | None = strawberry.field(
        default=None,
        description="Its investigation suspects a lot of this supplier, or it was notified to it.",
    )


def _filter(value: IssueAnalyticsFilter | None) -> dict[str, Any]:
    return filter_params(value, IssueAnalyticsFilter)


LimitArg = Annotated[int, strawberry.argument(description="How many entries (1-100).")]


@strawberry.type(
    description="Quality issues grouped by root-cause category with cumulative shares, and the"
    " suppliers, lots, machines and operators with the most of them (docs/api.md)."
)
class RootCausePareto:
    measure: ParetoMeasure = strawberry.field(description="What the entries are ranked by.")
    filter: strawberry.Private[dict[str, Any]]
    # The one query every list field of this object shares, started by the first one asked.
    answer: strawberry.Private[dict[str, asyncio.Task[dict[str, list[ParetoEntryModel]]]]]

    async def _entries(self, info: Info, dimension: str, limit: int) -> Any:
        r.check_limit(limit)
        task = self.answer.get("all")
        if task is None:
            task = asyncio.ensure_future(
                r.pareto(info, filter=self.filter, measure=self.measure.value)
            )
            self.answer["all"] = task
        return as_answer((await task).get(dimension, [])[:limit])

    @strawberry.field(description="Issues, parts affected and cost of all the issues selected.")
    async def total(self, info: Info) -> CostRow:
        return as_answer(await r.issue_totals(info, filter=self.filter))  # type: ignore[no-any-return]

    @strawberry.field(
        description="Per root-cause category of the issue's investigation ('uninvestigated'"
        " without one), largest first: the Pareto chart, cumulative shares adding to 100."
    )
    async def root_causes(self, info: Info, limit: LimitArg = 10) -> list[ParetoEntry]:
        return await self._entries(info, "root_cause", limit)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Suppliers of the lots the investigations suspect (or notified of the issue)."
    )
    async def suppliers(self, info: Info, limit: LimitArg = 10) -> list[ParetoEntry]:
        return await self._entries(info, "supplier", limit)  # type: ignore[no-any-return]

    @strawberry.field(description="Lots the investigations suspect.")
    async def lots(self, info: Info, limit: LimitArg = 10) -> list[ParetoEntry]:
        return await self._entries(info, "lot", limit)  # type: ignore[no-any-return]

    @strawberry.field(description="Machines of the batches the issues were found in.")
    async def machines(self, info: Info, limit: LimitArg = 10) -> list[ParetoEntry]:
        return await self._entries(info, "machine", limit)  # type: ignore[no-any-return]

    @strawberry.field(description="Operators of the batches the issues were found in.")
    async def operators(self, info: Info, limit: LimitArg = 10) -> list[ParetoEntry]:
        return await self._entries(info, "operator", limit)  # type: ignore[no-any-return]


@strawberry.type(
    description="Cost of quality of the issues selected: the total and per group, split into"
    " scrap, rework, downtime and investigation, with the part charged to suppliers."
)
class CostOfQuality:
    group_by: CostGroup = strawberry.field(description="What the groups are.")
    filter: strawberry.Private[dict[str, Any]]
    sort: strawberry.Private[str]

    @strawberry.field(description="All the issues selected (key null).")
    async def total(self, info: Info) -> CostRow:
        return as_answer(await r.issue_totals(info, filter=self.filter))  # type: ignore[no-any-return]

    @strawberry.field(description="One row per group, sorted and paged in the database.")
    async def groups(
        self, info: Info, first: FirstArg = DEFAULT_PAGE_SIZE, after: AfterArg = None
    ) -> Connection[CostRow]:
        found = await r.cost_groups(
            info,
            filter=self.filter,
            group=self.group_by.value,
            sort=self.sort,
            first=first,
            after=after,
        )
        return connection(as_answer(found.items), found.has_next_page, found.count)


@strawberry.type(
    description="A quality issue in the v1 API's response shape (seed 000 section 6.2), field"
    " names as v1 spelled them."
)
class QualityIssueV1:
    type: str | None = strawberry.field(description="Issue type.")
    description: str | None = strawberry.field(description="What was found.")
    parts_affected: int | None = strawberry.field(
        name="parts_affected", description="Parts affected."
    )
    severity: str | None = strawberry.field(description="low, medium, high or critical.")
    date: dt.date | None = strawberry.field(description="Day it was detected.")
    machine: str = strawberry.field(
        description="Machine of the batch it was found in ('' when none, as v1 answered)."
    )


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="Supplier scorecards over a period (one supplier with supplierId, else all the"
        " caller sees): defect rate, on-time delivery, cost of quality, issues by severity, lots"
        " received and rejected, a monthly trend and a rating; sorted and paged in the database."
    )
    async def supplier_scorecards(
        self,
        info: Info,
        *,
        supplier_id: Annotated[
            str | None, strawberry.argument(description="Only this supplier.")
        ] = None,
        date_from: Annotated[
            dt.date | None, strawberry.argument(name="from", description="First day counted.")
        ] = None,
        date_to: Annotated[
            dt.date | None, strawberry.argument(name="to", description="Last day counted.")
        ] = None,
        sort: ScorecardSort = ScorecardSort.RATING_WORST_FIRST,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[SupplierScorecard]:
        found = await r.scorecards(
            info,
            supplier_id=supplier_id,
            date_from=date_from,
            date_to=date_to,
            sort=sort.value,
            first=first,
            after=after,
        )
        return connection(as_answer(found.items), found.has_next_page, found.count)

    @strawberry.field(
        description="Root-cause Pareto of the quality issues the filter selects (docs/api.md)."
    )
    def root_cause_pareto(
        self,
        filter: IssueAnalyticsFilter | None = None,
        measure: ParetoMeasure = ParetoMeasure.ISSUES,
    ) -> RootCausePareto:
        return RootCausePareto(measure=measure, filter=_filter(filter), answer={})

    @strawberry.field(description="Cost of quality of the issues the filter selects, grouped.")
    def cost_of_quality(
        self,
        group_by: CostGroup,
        filter: IssueAnalyticsFilter | None = None,
        sort: CostSort = CostSort.TOTAL_DESC,
    ) -> CostOfQuality:
        return CostOfQuality(group_by=group_by, filter=_filter(filter), sort=sort.value)

    @strawberry.field(
        description="Where to look first for the cause of defective serials: every upstream"
        " factor (lot, supplier, batch at any level, machine, operator, shift, machine on shift)"
        " ranked by how much more often defective serials pass through it than the comparison"
        " population (every serial produced in the date range; by default the days the defective"
        " serials were made). Name the defective serials one way: serials, issueId, or"
        " defectiveStatus (every serial with status defective made in the date range)."
    )
    async def root_cause_ranking(
        self,
        info: Info,
        *,
        serials: Annotated[
            list[str] | None, strawberry.argument(description="Defective serial numbers.")
        ] = None,
        issue_id: Annotated[
            str | None, strawberry.argument(description="The serials this issue affects.")
        ] = None,
        defective_status: Annotated[
            bool, strawberry.argument(description="Serials with status defective.")
        ] = False,
        date_from: Annotated[
            dt.date | None,
            strawberry.argument(name="from", description="First production day compared."),
        ] = None,
        date_to: Annotated[
            dt.date | None,
            strawberry.argument(name="to", description="Last production day compared."),
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many factors (1-100).")] = 10,
    ) -> RootCauseRanking:
        return as_answer(  # type: ignore[no-any-return]
            await r.ranking(
                info,
                serials=serials,
                issue_id=issue_id,
                defective_status=defective_status,
                date_from=date_from,
                date_to=date_to,
                first=first,
            )
        )

"""Quality issues worked as mutations over real HTTP (issue 12 §2, §3): reporting an issue on a
batch (its traceability and materials derived like a loaded issue's), costs, the investigation
and action lifecycles per role, supplier notifications and answers, closing, refusals that write
nothing, idempotency, and two clients racing one transition.

Fixture (tests/data/graphs/api.cypher, api_entities): B-1 for ORD-1 of Globex consumed LOT-3
(SUP-002) and the sub-assembly B-SUB made from LOT-1 (SUP-001); it produced SN-1 and SN-2. B-2
(LOT-2, SUP-001) produced SN-3. QI-1 is a loaded issue in B-1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx2
import pytest

from graph.database import Database
from tests.ingest_support import _freeze, fetch
from tests.schema.quality_support import OPERATIONS
from tests.support import http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.auth import mint_token
from tracegraph.settings import Settings

FAILURES = """__typename
  ... on InvalidTransition { message from to allowed pending }
  ... on Forbidden { message operation role }
  ... on ValidationFailed { message errors { path message } }
  ... on Conflict { message currentVersion }
  ... on NotFound { message key }"""
COSTS = (
    "costImpact { scrapCost reworkCost downtimeCost investigationCost totalCost chargedToSupplier }"
)
ISSUE = f"""issueId status type description severity partsAffected detectedAt detectedBy
  detectionPoint reportedBy closedAt {COSTS}
  batch {{ batchId }} serials {{ serialNumber }}
  traceability {{ batchId orderId partNumber customer affectedSerials shift operator }}
  materialsUsed {{ materialId materialName lotNumber supplierId supplierName }}"""
INVESTIGATION = """id status rootCauseCategory rootCauseDetails rootCauseConfirmed investigator
  startedAt closedAt suspectedLots { lotNumber } verificationTests { id name method result }"""
ACTION = "id kind description owner dueDate status overdue startedAt completedAt cancelledAt"
NOTIFICATION = """id message notifiedBy supplierResponse supplierCapaNumber respondedAt
  respondedBy supplier { id }"""
SUCCESS = {
    "QualityIssueChangeResult": f"... on QualityIssueChanged {{ from to issue {{ {ISSUE} }} }}",
    "InvestigationChangeResult": f"""... on InvestigationChanged {{ from to
      investigation {{ {INVESTIGATION} }} issue {{ issueId status }} }}""",
    "ActionChangeResult": f"""... on ActionChanged {{ from to action {{ {ACTION} }}
      issue {{ issueId status }} }}""",
    "SuppliersNotifiedResult": f"""... on SuppliersNotified {{
      notifications {{ {NOTIFICATION} }} issue {{ issueId }} }}""",
    "NotificationAnswerResult": f"""... on NotificationAnswered {{
      notification {{ {NOTIFICATION} }} }}""",
}
# operation -> (input type, result type)
WHO: dict[Role, dict[str, str]] = {
    Role.ADMIN: {},
    Role.QUALITY: {},
    Role.PRODUCTION: {},
    Role.ANALYST: {},
    Role.BUYER: {"customer": "CUST-001"},
    Role.SUPPLIER: {"supplier": "SUP-001"},
}


class Api:
    """A real uvicorn serving the app, and callers of any role and user."""

    def __init__(self, settings: Settings, client: httpx2.Client) -> None:
        self.settings = settings
        self.client = client

    def headers(self, role: Role, user: str | None = None, **who: str) -> dict[str, str]:
        tenant = who or WHO[role]
        token = mint_token(
            self.settings,
            role=role,
            user=user or f"U-{role.value}",
            customer=tenant.get("customer"),
            supplier=tenant.get("supplier"),
            ttl=timedelta(hours=1),
        )
        return {"authorization": f"Bearer {token}"}

    def run(
        self,
        role: Role,
        operation: str,
        given: dict[str, Any],
        *,
        user: str | None = None,
        **who: str,
    ) -> Any:
        input_type, result = OPERATIONS[operation]
        query = (
            f"mutation($input: {input_type}!) {{ {operation}(input: $input) {{"
            f" {FAILURES} {SUCCESS[result]} }} }}"
        )
        answer = self.post(role, query, {"input": given}, user=user, **who)
        assert "errors" not in answer, answer
        return answer["data"][operation]

    def post(
        self,
        role: Role,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        user: str | None = None,
        **who: str,
    ) -> Any:
        response = self.client.post(
            "/graphql",
            headers=self.headers(role, user, **who),
            json={"query": query, "variables": variables or {}},
        )
        assert response.status_code == 200, response.text
        return response.json()

    def issue(self, role: Role, issue_id: str, *, user: str | None = None, **who: str) -> Any:
        answer = self.post(
            role,
            f"""query($id: String!) {{ qualityIssue(id: $id) {{ __typename ... on QualityIssue {{
              {ISSUE} investigation {{ {INVESTIGATION} }}
              correctiveActions {{ {ACTION} }} preventiveActions {{ {ACTION} }}
              supplierNotification {{ {NOTIFICATION} }}
              supplierNotifications {{ {NOTIFICATION} }} }} }} }}""",
            {"id": issue_id},
            user=user,
            **who,
        )
        assert "errors" not in answer, answer
        return answer["data"]["qualityIssue"]


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "api_entities")
    return db


@pytest.fixture(scope="module")
def server(neo4j_settings: Settings) -> Iterator[httpx2.Client]:
    """One app on a real uvicorn for the module (each test empties and reloads the graph)."""
    with http_client(create_app(neo4j_settings)) as client:
        yield client


@pytest.fixture
def api(neo4j_settings: Settings, graph: Database, server: httpx2.Client) -> Api:
    return Api(neo4j_settings, server)


async def written(db: Database) -> Any:
    """The whole graph but the idempotency keys (a refused write keeps its key and answer, so a
    resend replays the refusal)."""
    rows = await fetch(db, "snapshot")
    return _freeze([r for r in rows if r["labels"] != ["IdempotencyKey"]])


async def events(db: Database, operation: str) -> list[dict[str, Any]]:
    return await fetch(db, "events_of", operation=operation)


REPORT = {
    "type": "crack",
    "description": "Crack at the weld seam",
    "severity": "HIGH",
    "partsAffected": 3,
    "batchId": "B-1",
    "serialNumbers": ["SN-1"],
    "detectionPoint": "final_qc",
}
TOMORROW = (dt.datetime.now(dt.UTC).date() + timedelta(days=1)).isoformat()


def report(api: Api, **extra: Any) -> str:
    answer = api.run(Role.QUALITY, "reportQualityIssue", {**REPORT, **extra})
    assert answer["__typename"] == "QualityIssueChanged", answer
    return str(answer["issue"]["issueId"])


def investigation_at(api: Api, state: str | None, **extra: Any) -> str:
    """A new issue in B-1 whose investigation is at ``state`` (None: not opened)."""
    issue = report(api)
    steps = {
        None: [],
        "open": ["openInvestigation"],
        "in_progress": ["openInvestigation", "startInvestigation"],
        "closed": ["openInvestigation", "startInvestigation", "closeInvestigation"],
    }[state]
    for step in steps:
        given: dict[str, Any] = {"issueId": issue}
        if step == "closeInvestigation":
            given |= {"rootCauseCategory": "MATERIAL", "rootCauseConfirmed": True}
        answer = api.run(Role.QUALITY, step, given)
        assert answer["__typename"] == "InvestigationChanged", answer
    return issue


def action_at(api: Api, state: str, owner: str = "U-OWNER") -> str:
    issue = report(api)
    added = api.run(
        Role.QUALITY,
        "addAction",
        {
            "issueId": issue,
            "kind": "CORRECTIVE",
            "description": "Requalify the weld",
            "owner": owner,
            "dueDate": TOMORROW,
        },
    )
    action = str(added["action"]["id"])
    steps = {
        "open": [],
        "in_progress": ["startAction"],
        "done": ["startAction", "completeAction"],
        "cancelled": ["cancelAction"],
    }[state]
    for step in steps:
        assert (
            api.run(Role.QUALITY, step, {"actionId": action})["to"]
            == {
                "startAction": "in_progress",
                "completeAction": "done",
                "cancelAction": "cancelled",
            }[step]
        )
    return action


# -- report ----------------------------------------------------------------------------------


async def test_a_reported_issue_reads_its_traceability_and_materials_from_the_graph(
    graph: Database, api: Api
) -> None:
    before = len(await events(graph, "reportQualityIssue"))
    answer = api.run(
        Role.QUALITY,
        "reportQualityIssue",
        {
            **REPORT,
            "detectedAt": "2025-10-03T08:30:00Z",
            "costImpact": {"scrapCost": 120.5, "reworkCost": 30},
        },
    )
    assert answer["__typename"] == "QualityIssueChanged", answer
    assert (answer["from"], answer["to"]) == (None, "open")
    issue = answer["issue"]
    assert issue["issueId"] == "QI-2025-1003-001"
    assert (issue["status"], issue["type"], issue["severity"]) == ("open", "crack", "high")
    assert (issue["detectedBy"], issue["reportedBy"]) == ("U-quality", "U-quality")
    assert issue["detectedAt"].startswith("2025-10-03T08:30:00")
    assert issue["costImpact"] == {
        "scrapCost": 120.5,
        "reworkCost": 30.0,
        "downtimeCost": 0.0,
        "investigationCost": 0.0,
        "totalCost": 150.5,
        "chargedToSupplier": False,
    }
    assert issue["batch"] == {"batchId": "B-1"}
    assert issue["serials"] == [{"serialNumber": "SN-1"}]
    # The same batch and serial as the loaded QI-1: the same derived traceability and materials.
    loaded = api.issue(Role.QUALITY, "QI-1")
    assert issue["traceability"] == loaded["traceability"]
    assert issue["materialsUsed"] == loaded["materialsUsed"]
    assert issue["traceability"]["orderId"] == "ORD-1"
    assert [m["lotNumber"] for m in issue["materialsUsed"]] == ["LOT-1", "LOT-3"]
    # The buyer of ORD-1 and the suppliers behind B-1 read it; costs stay hidden from them.
    assert api.issue(Role.BUYER, issue["issueId"])["costImpact"]["totalCost"] is None
    assert api.issue(Role.SUPPLIER, issue["issueId"])["issueId"] == issue["issueId"]
    assert api.issue(Role.BUYER, issue["issueId"], customer="CUST-002") == {
        "__typename": "NotFound"
    }
    recorded = await events(graph, "reportQualityIssue")
    assert len(recorded) == before + 1
    assert recorded[-1] == {"by": "U-quality", "entity_key": "QI-2025-1003-001", "role": "quality"}
    # The next issue of the day takes the next number.
    assert report(api, detectedAt="2025-10-03T23:59:00Z") == "QI-2025-1003-002"


REFUSED_REPORTS = [
    ("no such batch", Role.QUALITY, {"batchId": "B-NOPE"}, "NotFound", None),
    # SN-3 was made by B-2, not by B-1 nor a batch made from it.
    (
        "serial of another batch",
        Role.QUALITY,
        {"serialNumbers": ["SN-3"]},
        "ValidationFailed",
        [["input", "serialNumbers", "0"]],
    ),
    (
        "more serials than parts",
        Role.QUALITY,
        {"partsAffected": 1, "serialNumbers": ["SN-1", "SN-2"]},
        "ValidationFailed",
        [["input", "serialNumbers"]],
    ),
    (
        "a serial twice",
        Role.QUALITY,
        {"serialNumbers": ["SN-1", "SN-1"]},
        "ValidationFailed",
        [["input", "serialNumbers"]],
    ),
    (
        "detected tomorrow",
        Role.QUALITY,
        {"detectedAt": f"{TOMORROW}T12:00:00Z"},
        "ValidationFailed",
        [["input", "detectedAt"]],
    ),
    (
        "negative cost and no parts",
        Role.QUALITY,
        {"partsAffected": 0, "costImpact": {"scrapCost": -1}},
        "ValidationFailed",
        [["input", "costImpact", "scrapCost"], ["input", "partsAffected"]],
    ),
    ("blank type", Role.QUALITY, {"type": "  "}, "ValidationFailed", [["input", "type"]]),
    ("production", Role.PRODUCTION, {}, "Forbidden", None),
    ("buyer", Role.BUYER, {}, "Forbidden", None),
    ("supplier", Role.SUPPLIER, {}, "Forbidden", None),
    ("analyst", Role.ANALYST, {}, "Forbidden", None),
]


@pytest.mark.parametrize("case", REFUSED_REPORTS, ids=[r[0] for r in REFUSED_REPORTS])
async def test_a_refused_report_writes_nothing(
    graph: Database, api: Api, case: tuple[Any, ...]
) -> None:
    _, role, given, kind, paths = case
    before = await written(graph)
    answer = api.run(role, "reportQualityIssue", {**REPORT, **given})
    assert answer["__typename"] == kind, answer
    if paths is not None:
        assert sorted(e["path"] for e in answer["errors"]) == sorted(paths)
    assert await written(graph) == before


def test_total_cost_is_never_taken_from_the_client(api: Api) -> None:
    query = """mutation { recordCostImpact(input: {issueId: "QI-1", totalCost: 1}) {
      __typename } }"""
    answer = api.post(Role.QUALITY, query)
    assert answer["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_costs_recorded_keep_total_cost_their_sum(graph: Database, api: Api) -> None:
    issue = report(api, costImpact={"scrapCost": 100})
    first = api.run(Role.QUALITY, "recordCostImpact", {"issueId": issue, "downtimeCost": 40.25})
    assert first["issue"]["costImpact"] == {
        "scrapCost": 100.0,
        "reworkCost": 0.0,
        "downtimeCost": 40.25,
        "investigationCost": 0.0,
        "totalCost": 140.25,
        "chargedToSupplier": False,
    }
    second = api.run(
        Role.QUALITY,
        "recordCostImpact",
        {"issueId": issue, "scrapCost": 10, "investigationCost": 5, "chargedToSupplier": True},
    )
    costs = second["issue"]["costImpact"]
    assert (costs["totalCost"], costs["chargedToSupplier"]) == (55.25, True)
    # A loaded issue's costs: the given one set, the sum recomputed from all four.
    loaded = api.run(Role.QUALITY, "recordCostImpact", {"issueId": "QI-1", "reworkCost": 0})
    assert loaded["issue"]["costImpact"]["totalCost"] == 400.0
    before = await written(graph)
    refusals: list[tuple[Role, dict[str, Any], str]] = [
        (Role.QUALITY, {"issueId": issue}, "ValidationFailed"),  # nothing to record
        (Role.QUALITY, {"issueId": issue, "reworkCost": float("1e13")}, "ValidationFailed"),
        (Role.QUALITY, {"issueId": "QI-NOPE", "reworkCost": 1}, "NotFound"),
        (Role.PRODUCTION, {"issueId": issue, "reworkCost": 1}, "Forbidden"),
    ]
    for role, given, kind in refusals:
        assert api.run(role, "recordCostImpact", given)["__typename"] == kind, given
    assert await written(graph) == before


def test_issues_reported_at_once_on_one_day_take_distinct_numbers(api: Api) -> None:
    with ThreadPoolExecutor(4) as pool:
        numbers = list(pool.map(lambda _: report(api, detectedAt="2025-11-02T10:00:00Z"), range(4)))
    assert sorted(numbers) == [f"QI-2025-1102-00{n}" for n in range(1, 5)]


# -- the investigation's lifecycle -------------------------------------------------------------

INVESTIGATION_OPS = [
    "openInvestigation",
    "startInvestigation",
    "updateInvestigation",
    "addVerificationTest",
    "closeInvestigation",
]
# From each state (None: no investigation yet), the operations that run; the rest are refused.
INVESTIGATION_ALLOWED = {
    None: {"openInvestigation"},
    "open": {"startInvestigation", "updateInvestigation", "addVerificationTest"},
    "in_progress": {"updateInvestigation", "addVerificationTest", "closeInvestigation"},
    "closed": set(),
}
INVESTIGATION_TARGET = {
    "openInvestigation": "open",
    "startInvestigation": "in_progress",
    "closeInvestigation": "closed",
}


def investigation_input(operation: str, issue: str) -> dict[str, Any]:
    given: dict[str, Any] = {"issueId": issue}
    if operation == "updateInvestigation":
        given |= {"investigator": "Eve", "suspectedLots": ["LOT-1"]}
    if operation == "addVerificationTest":
        given |= {"name": "Spectrometry", "method": "OES", "result": "FAIL"}
    if operation == "closeInvestigation":
        given |= {"rootCauseCategory": "MATERIAL", "rootCauseConfirmed": False}
    return given


@pytest.mark.parametrize("state", list(INVESTIGATION_ALLOWED), ids=str)
async def test_every_investigation_transition_allowed_and_refused_per_role(
    graph: Database, api: Api, state: str | None
) -> None:
    for operation in INVESTIGATION_OPS:
        allowed = operation in INVESTIGATION_ALLOWED[state]
        issue = None  # one issue at ``state`` until a change moves it on
        for role in Role:
            issue = issue or investigation_at(api, state)
            before = await written(graph)
            answer = api.run(role, operation, investigation_input(operation, issue))
            case = (state, operation, role.value)
            if role not in (Role.QUALITY, Role.ADMIN):
                assert answer["__typename"] == "Forbidden", case
                assert (answer["operation"], answer["role"]) == (operation, role.value)
            elif not allowed:
                assert answer["__typename"] == "InvalidTransition", (case, answer)
                assert answer["from"] == state, case
                assert operation not in answer["allowed"], case
                assert set(answer["allowed"]) == INVESTIGATION_ALLOWED[state], case
            else:
                assert answer["__typename"] == "InvestigationChanged", (case, answer)
                after = INVESTIGATION_TARGET.get(operation, state)
                assert (answer["from"], answer["to"]) == (state, after), case
                assert answer["investigation"]["status"] == after, case
                issue = None
                continue
            assert await written(graph) == before, case


async def test_an_investigation_from_open_to_closed(graph: Database, api: Api) -> None:
    issue = report(api)
    opened = api.run(
        Role.QUALITY,
        "openInvestigation",
        {"issueId": issue, "investigator": "Eve", "suspectedLots": ["LOT-3"]},
    )
    assert opened["investigation"]["id"] == f"{issue}/INV"
    assert opened["investigation"]["suspectedLots"] == [{"lotNumber": "LOT-3"}]
    assert opened["investigation"]["rootCauseConfirmed"] is False
    assert opened["issue"] == {"issueId": issue, "status": "investigating"}
    started = api.run(Role.ADMIN, "startInvestigation", {"issueId": issue})
    assert started["investigation"]["startedAt"] is not None
    # The suspected lots are replaced, and must be lots behind the issue's batch.
    updated = api.run(
        Role.QUALITY,
        "updateInvestigation",
        {"issueId": issue, "suspectedLots": ["LOT-1"], "rootCauseDetails": "Inclusions"},
    )
    assert updated["investigation"]["suspectedLots"] == [{"lotNumber": "LOT-1"}]
    assert updated["investigation"]["investigator"] == "Eve"
    before = await written(graph)
    outside = api.run(
        Role.QUALITY, "updateInvestigation", {"issueId": issue, "suspectedLots": ["LOT-1", "LOT-2"]}
    )
    assert [e["path"] for e in outside["errors"]] == [["input", "suspectedLots", "1"]]
    nothing = api.run(Role.QUALITY, "updateInvestigation", {"issueId": issue})
    assert nothing["__typename"] == "ValidationFailed"
    # Closing needs a category (none set yet) and an explicit confirmation.
    uncategorised = api.run(
        Role.QUALITY, "closeInvestigation", {"issueId": issue, "rootCauseConfirmed": True}
    )
    assert [e["path"] for e in uncategorised["errors"]] == [["input", "rootCauseCategory"]]
    unsaid = api.post(
        Role.QUALITY,
        "mutation($id: String!) { closeInvestigation(input: {issueId: $id,"
        " rootCauseCategory: MATERIAL}) { __typename } }",
        {"id": issue},
    )
    assert unsaid["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await written(graph) == before
    for bad, paths in [
        ({"name": "", "result": "PASS"}, [["input", "name"]]),
        (
            {"name": "Spectrometry", "result": "PASS", "performedAt": f"{TOMORROW}T23:00:00Z"},
            [["input", "performedAt"]],
        ),
    ]:
        refused = api.run(Role.QUALITY, "addVerificationTest", {"issueId": issue, **bad})
        assert sorted(e["path"] for e in refused["errors"]) == paths
    assert await written(graph) == before
    tested = api.run(
        Role.QUALITY,
        "addVerificationTest",
        {
            "issueId": issue,
            "name": "Spectrometry",
            "method": "OES",
            "result": "FAIL",
            "performedAt": "2025-10-12T09:00:00Z",
        },
    )
    assert tested["investigation"]["verificationTests"] == [
        {"id": f"{issue}/T1", "name": "Spectrometry", "method": "OES", "result": "fail"}
    ]
    closed = api.run(
        Role.QUALITY,
        "closeInvestigation",
        {"issueId": issue, "rootCauseCategory": "MATERIAL", "rootCauseConfirmed": True},
    )
    investigation = closed["investigation"]
    assert (investigation["status"], investigation["rootCauseCategory"]) == ("closed", "material")
    assert investigation["rootCauseConfirmed"] is True
    assert investigation["rootCauseDetails"] == "Inclusions"
    assert investigation["closedAt"] is not None
    trail = [
        len(await events(graph, op))
        for op in (
            "openInvestigation",
            "startInvestigation",
            "updateInvestigation",
            "addVerificationTest",
            "closeInvestigation",
        )
    ]
    # openInvestigation: the investigation's event and the issue's (open -> investigating).
    assert trail == [2, 1, 1, 1, 1]


# -- actions -----------------------------------------------------------------------------------

ACTION_OPS = ["updateAction", "startAction", "completeAction", "cancelAction"]
ACTION_ALLOWED = {
    "open": {"updateAction", "startAction", "cancelAction"},
    "in_progress": {"updateAction", "completeAction", "cancelAction"},
    "done": set(),
    "cancelled": set(),
}
ACTION_TARGET = {
    "startAction": "in_progress",
    "completeAction": "done",
    "cancelAction": "cancelled",
}
# Who may change an action owned by U-OWNER: (role, user, supplier) -> may.
EDITORS = [
    (Role.QUALITY, "U-quality", True),
    (Role.ADMIN, "U-admin", True),
    (Role.PRODUCTION, "U-OWNER", True),  # its owner
    (Role.SUPPLIER, "U-OWNER", True),  # its owner, at the supplier behind the batch
    (Role.PRODUCTION, "U-other", False),
    (Role.SUPPLIER, "U-other", False),
    (Role.BUYER, "U-OWNER", False),  # the role may not, owner or not
    (Role.ANALYST, "U-OWNER", False),
]


def action_input(operation: str, action: str) -> dict[str, Any]:
    given: dict[str, Any] = {"actionId": action, "note": "why"}
    if operation == "updateAction":
        given |= {"description": "Requalify the weld and the welder", "dueDate": TOMORROW}
    return given


@pytest.mark.parametrize("state", list(ACTION_ALLOWED))
async def test_every_action_transition_allowed_and_refused_per_role_and_owner(
    graph: Database, api: Api, state: str
) -> None:
    for operation in ACTION_OPS:
        allowed = operation in ACTION_ALLOWED[state]
        action = None  # one action at ``state`` until a change moves it on
        for role, user, may in EDITORS:
            action = action or action_at(api, state)
            before = await written(graph)
            answer = api.run(role, operation, action_input(operation, action), user=user)
            case = (state, operation, role.value, user)
            if not may:
                assert answer["__typename"] == "Forbidden", (case, answer)
                assert answer["operation"] == operation
            elif not allowed:
                assert answer["__typename"] == "InvalidTransition", (case, answer)
                assert answer["from"] == state
                assert set(answer["allowed"]) == ACTION_ALLOWED[state], case
            else:
                assert answer["__typename"] == "ActionChanged", (case, answer)
                after = ACTION_TARGET.get(operation, state)
                assert (answer["from"], answer["to"]) == (state, after), case
                assert answer["action"]["status"] == after
                action = None
                continue
            assert await written(graph) == before, case


async def test_adding_and_editing_actions(graph: Database, api: Api) -> None:
    issue = report(api)
    given = {
        "issueId": issue,
        "description": "Audit the supplier",
        "owner": "U-OWNER",
        "dueDate": TOMORROW,
    }
    corrective = api.run(Role.QUALITY, "addAction", {**given, "kind": "CORRECTIVE"})
    preventive = api.run(Role.QUALITY, "addAction", {**given, "kind": "PREVENTIVE"})
    second = api.run(Role.ADMIN, "addAction", {**given, "kind": "CORRECTIVE"})
    assert [a["action"]["id"] for a in (corrective, preventive, second)] == [
        f"{issue}/CA1",
        f"{issue}/PA1",
        f"{issue}/CA2",
    ]
    assert corrective["action"]["status"] == "open"
    assert corrective["action"]["overdue"] is False
    read = api.issue(Role.QUALITY, issue)
    assert [a["id"] for a in read["correctiveActions"]] == [f"{issue}/CA1", f"{issue}/CA2"]
    assert [a["id"] for a in read["preventiveActions"]] == [f"{issue}/PA1"]
    # The owner hands it over; the new owner may move it, the old one no longer.
    handed = api.run(
        Role.PRODUCTION,
        "updateAction",
        {"actionId": f"{issue}/CA1", "owner": "U-NEXT"},
        user="U-OWNER",
    )
    assert handed["action"]["owner"] == "U-NEXT"
    refused = api.run(Role.PRODUCTION, "startAction", {"actionId": f"{issue}/CA1"}, user="U-OWNER")
    assert refused["__typename"] == "Forbidden"
    assert "owned by U-NEXT" in refused["message"]
    started = api.run(Role.PRODUCTION, "startAction", {"actionId": f"{issue}/CA1"}, user="U-NEXT")
    assert started["to"] == "in_progress"
    before = await written(graph)
    yesterday = (dt.datetime.now(dt.UTC).date() - timedelta(days=1)).isoformat()
    for operation, bad, paths in [
        (
            "addAction",
            {**given, "kind": "CORRECTIVE", "dueDate": yesterday},
            [["input", "dueDate"]],
        ),
        (
            "addAction",
            {**given, "kind": "CORRECTIVE", "owner": " ", "description": ""},
            [["input", "description"], ["input", "owner"]],
        ),
        ("updateAction", {"actionId": f"{issue}/CA2"}, [["input"]]),
        (
            "updateAction",
            {"actionId": f"{issue}/CA2", "dueDate": yesterday},
            [["input", "dueDate"]],
        ),
    ]:
        answer = api.run(Role.QUALITY, operation, bad)
        assert answer["__typename"] == "ValidationFailed", (bad, answer)
        assert sorted(e["path"] for e in answer["errors"]) == paths
    assert api.run(Role.QUALITY, "startAction", {"actionId": "QI-1/CA9"})["__typename"] == (
        "NotFound"
    )
    assert (
        api.run(Role.PRODUCTION, "addAction", {**given, "kind": "CORRECTIVE"})["__typename"]
        == "Forbidden"
    )
    assert await written(graph) == before
    # A supplier moves no action of an issue it cannot see (B-2's issue is not behind SUP-002).
    other = report(api, batchId="B-2", serialNumbers=[])
    hidden = api.run(Role.QUALITY, "addAction", {**given, "issueId": other, "kind": "CORRECTIVE"})
    before = await written(graph)
    answer = api.run(
        Role.SUPPLIER,
        "startAction",
        {"actionId": hidden["action"]["id"]},
        user="U-OWNER",
        supplier="SUP-002",
    )
    assert answer == {
        "__typename": "NotFound",
        "message": f"no action {hidden['action']['id']!r}",
        "key": hidden["action"]["id"],
    }
    assert await written(graph) == before


async def test_overdue_is_computed_when_read(graph: Database, api: Api) -> None:
    late = action_at(api, "in_progress")
    finished = action_at(api, "done")
    await fetch(graph, "count_label", label="Action")  # the actions exist
    await set_due(graph, [late, finished], dt.date(2020, 1, 1))
    for action, overdue in ((late, True), (finished, False)):
        issue = action.split("/")[0]
        (read,) = api.issue(Role.QUALITY, issue)["correctiveActions"]
        assert (read["id"], read["overdue"]) == (action, overdue)
    # Nothing stored: the property is not on the node.
    rows = await fetch(graph, "snapshot")
    assert all("overdue" not in r["props"] for r in rows if r["labels"] == ["Action"])


async def set_due(db: Database, actions: list[str], due: dt.date) -> None:
    from tests.ingest_support import QUERIES

    async def work(tx: Any) -> None:
        query = QUERIES["set_action_due"]
        await (await tx.run(query.text, query.bind({"ids": actions, "due": due}))).consume()

    await db.write(work)


# -- supplier notifications --------------------------------------------------------------------


async def test_suppliers_behind_the_suspected_lots_are_notified_and_answer_their_own(
    graph: Database, api: Api
) -> None:
    issue = report(api)
    before = await written(graph)
    early = api.run(Role.QUALITY, "notifySupplier", {"issueId": issue})
    assert early["__typename"] == "InvalidTransition"
    assert "no investigation" in early["message"]
    assert await written(graph) == before
    api.run(Role.QUALITY, "openInvestigation", {"issueId": issue})
    before = await written(graph)
    none = api.run(Role.QUALITY, "notifySupplier", {"issueId": issue})
    assert "suspects no supplier's lot" in none["message"]
    assert await written(graph) == before
    api.run(Role.QUALITY, "updateInvestigation", {"issueId": issue, "suspectedLots": ["LOT-1"]})
    before = await written(graph)
    for role in (Role.PRODUCTION, Role.BUYER, Role.SUPPLIER, Role.ANALYST):
        refused = api.run(role, "notifySupplier", {"issueId": issue})
        assert refused["__typename"] == "Forbidden", role
    assert await written(graph) == before
    first = api.run(Role.QUALITY, "notifySupplier", {"issueId": issue, "message": "Cracks"})
    assert [(n["id"], n["supplier"]) for n in first["notifications"]] == [
        (f"{issue}/N-SUP-001", {"id": "SUP-001"})
    ]
    assert first["notifications"][0]["notifiedBy"] == "U-quality"
    before = await written(graph)
    again = api.run(Role.QUALITY, "notifySupplier", {"issueId": issue})
    assert again["__typename"] == "InvalidTransition"
    assert "notified already" in again["message"]
    assert await written(graph) == before
    # A second suspected lot brings in its supplier: only that one is notified now.
    api.run(
        Role.QUALITY, "updateInvestigation", {"issueId": issue, "suspectedLots": ["LOT-1", "LOT-3"]}
    )
    second = api.run(Role.QUALITY, "notifySupplier", {"issueId": issue})
    assert [n["id"] for n in second["notifications"]] == [f"{issue}/N-SUP-002"]
    assert len(await events(graph, "notifySupplier")) == 2


def notified(api: Api) -> tuple[str, dict[str, str]]:
    """An issue whose investigation suspects LOT-1 (SUP-001) and LOT-3 (SUP-002), both notified;
    each supplier's notification."""
    issue = investigation_at(api, "open")
    api.run(
        Role.QUALITY, "updateInvestigation", {"issueId": issue, "suspectedLots": ["LOT-1", "LOT-3"]}
    )
    assert len(api.run(Role.QUALITY, "notifySupplier", {"issueId": issue})["notifications"]) == 2
    return issue, {"SUP-001": f"{issue}/N-SUP-001", "SUP-002": f"{issue}/N-SUP-002"}


async def test_a_supplier_reads_and_answers_only_its_own_notification(
    graph: Database, api: Api
) -> None:
    issue, own = notified(api)
    # Each supplier reads only the notification addressed to it; the plant reads both.
    for supplier, notification in own.items():
        read = api.issue(Role.SUPPLIER, issue, supplier=supplier)
        assert [n["id"] for n in read["supplierNotifications"]] == [notification], supplier
        assert read["supplierNotification"]["id"] == notification
    plant = api.issue(Role.QUALITY, issue)
    assert [n["id"] for n in plant["supplierNotifications"]] == sorted(own.values())
    assert api.issue(Role.BUYER, issue)["supplierNotifications"] == []
    # A supplier answers its own, once; another's is missing to it; the plant does not answer.
    before = await written(graph)
    answer = {"response": "Heat lot recalled", "capaNumber": "CAPA-77"}
    responses: list[tuple[Role, str | None, str, str]] = [
        (Role.SUPPLIER, "SUP-002", own["SUP-001"], "NotFound"),
        (Role.QUALITY, None, own["SUP-001"], "Forbidden"),
        (Role.SUPPLIER, "SUP-001", "QI-NOPE/N", "NotFound"),
    ]
    for role, tenant, target, kind in responses:
        who = {"supplier": tenant} if tenant else {}
        refused = api.run(
            role, "respondToNotification", {"notificationId": target, **answer}, **who
        )
        assert refused["__typename"] == kind, (role, tenant)
    blank = api.run(
        Role.SUPPLIER, "respondToNotification", {"notificationId": own["SUP-001"], "response": ""}
    )
    assert [e["path"] for e in blank["errors"]] == [["input", "response"]]
    assert await written(graph) == before
    answered = api.run(
        Role.SUPPLIER,
        "respondToNotification",
        {"notificationId": own["SUP-001"], **answer},
        user="U-SUP-1",
    )
    notification = answered["notification"]
    assert (notification["supplierResponse"], notification["supplierCapaNumber"]) == (
        "Heat lot recalled",
        "CAPA-77",
    )
    assert notification["respondedBy"] == "U-SUP-1"
    assert notification["respondedAt"] is not None
    before = await written(graph)
    twice = api.run(
        Role.SUPPLIER,
        "respondToNotification",
        {"notificationId": own["SUP-001"], **answer, "idempotencyKey": "other"},
    )
    assert twice["__typename"] == "InvalidTransition"
    assert await written(graph) == before
    recorded = await events(graph, "respondToNotification")
    assert recorded == [{"by": "U-SUP-1", "entity_key": own["SUP-001"], "role": "supplier"}]


# -- closing the issue -------------------------------------------------------------------------


async def test_an_issue_closes_only_when_its_investigation_and_actions_are_finished(
    graph: Database, api: Api
) -> None:
    issue = report(api)
    before = await written(graph)
    bare = api.run(Role.QUALITY, "closeQualityIssue", {"issueId": issue})
    assert bare["__typename"] == "InvalidTransition"
    assert bare["pending"] == ["no investigation was opened"]
    assert await written(graph) == before
    api.run(Role.QUALITY, "openInvestigation", {"issueId": issue})
    given = {"issueId": issue, "description": "Fix", "owner": "U-OWNER", "dueDate": TOMORROW}
    for kind in ("CORRECTIVE", "CORRECTIVE", "PREVENTIVE"):
        api.run(Role.QUALITY, "addAction", {**given, "kind": kind})
    api.run(Role.QUALITY, "startAction", {"actionId": f"{issue}/CA1"})
    before = await written(graph)
    refused = api.run(Role.QUALITY, "closeQualityIssue", {"issueId": issue})
    assert refused["__typename"] == "InvalidTransition"
    assert (refused["from"], refused["to"]) == ("investigating", "closed")
    assert refused["pending"] == [
        f"investigation {issue}/INV is open",
        f"action {issue}/CA1 is in_progress",
        f"action {issue}/CA2 is open",
        f"action {issue}/PA1 is open",
    ]
    assert all(p in refused["message"] for p in refused["pending"])
    for role in (Role.PRODUCTION, Role.BUYER, Role.SUPPLIER, Role.ANALYST):
        assert api.run(role, "closeQualityIssue", {"issueId": issue})["__typename"] == "Forbidden"
    assert await written(graph) == before
    api.run(Role.QUALITY, "completeAction", {"actionId": f"{issue}/CA1"})
    api.run(Role.QUALITY, "cancelAction", {"actionId": f"{issue}/CA2"})
    api.run(Role.QUALITY, "startInvestigation", {"issueId": issue})
    api.run(
        Role.QUALITY,
        "closeInvestigation",
        {"issueId": issue, "rootCauseCategory": "PROCESS", "rootCauseConfirmed": False},
    )
    almost = api.run(Role.QUALITY, "closeQualityIssue", {"issueId": issue})
    assert almost["pending"] == [f"action {issue}/PA1 is open"]
    api.run(Role.QUALITY, "cancelAction", {"actionId": f"{issue}/PA1"})
    closed = api.run(Role.QUALITY, "closeQualityIssue", {"issueId": issue, "note": "done"})
    assert closed["__typename"] == "QualityIssueChanged", closed
    assert (closed["from"], closed["to"]) == ("investigating", "closed")
    assert closed["issue"]["status"] == "closed"
    assert closed["issue"]["closedAt"] is not None
    # Closed: nothing more is added to it, and it does not close twice.
    before = await written(graph)
    for operation, extra in [
        ("closeQualityIssue", {}),
        (
            "addAction",
            {"kind": "CORRECTIVE", "description": "x", "owner": "U", "dueDate": TOMORROW},
        ),
        ("openInvestigation", {}),
        ("notifySupplier", {}),
    ]:
        answer = api.run(Role.QUALITY, operation, {"issueId": issue, **extra})
        assert answer["__typename"] == "InvalidTransition", operation
        assert answer["from"] == "closed", operation
    assert await written(graph) == before


# -- idempotency and races ---------------------------------------------------------------------


async def test_an_idempotency_key_replays_the_first_answer(graph: Database, api: Api) -> None:
    given = {**REPORT, "idempotencyKey": "report-1"}
    first = api.run(Role.QUALITY, "reportQualityIssue", given)
    before = await written(graph)
    again = api.run(Role.QUALITY, "reportQualityIssue", given)
    assert again == first
    assert await written(graph) == before
    other = api.run(Role.QUALITY, "reportQualityIssue", {**given, "partsAffected": 9})
    assert other["__typename"] == "Conflict"
    issue = first["issue"]["issueId"]
    api.run(Role.QUALITY, "openInvestigation", {"issueId": issue})
    step = {"issueId": issue, "idempotencyKey": "start-1"}
    started = api.run(Role.QUALITY, "startInvestigation", step)
    replay = api.run(Role.QUALITY, "startInvestigation", step)
    assert replay["__typename"] == started["__typename"] == "InvestigationChanged"
    assert (replay["from"], replay["to"]) == ("open", "in_progress")
    assert len(await events(graph, "startInvestigation")) == 1
    # Keys are the caller's: another user's same key is another request.
    fresh = api.run(Role.QUALITY, "startInvestigation", step, user="U-Q2")
    assert fresh["__typename"] == "InvalidTransition"


@pytest.mark.parametrize(
    ("operation", "prepare"),
    [
        ("startInvestigation", "open"),
        ("closeInvestigation", "in_progress"),
        ("completeAction", "action in_progress"),
        ("cancelAction", "action open"),
        ("respondToNotification", "notified"),
    ],
)
async def test_two_clients_racing_one_transition_end_with_one_success_and_one_event(
    graph: Database, api: Api, operation: str, prepare: str
) -> None:
    role, given = Role.QUALITY, {}
    if prepare.startswith("action"):
        given = {"actionId": action_at(api, prepare.split()[1])}
    elif prepare == "notified":
        issue = investigation_at(api, "open")
        api.run(Role.QUALITY, "updateInvestigation", {"issueId": issue, "suspectedLots": ["LOT-1"]})
        (note,) = api.run(Role.QUALITY, "notifySupplier", {"issueId": issue})["notifications"]
        role, given = Role.SUPPLIER, {"notificationId": note["id"], "response": "On it"}
    else:
        given = investigation_input(operation, investigation_at(api, prepare))
    before = len(await events(graph, operation))
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(lambda user: api.run(role, operation, given, user=user), ["U-A", "U-B"])
        )
    kinds = [a["__typename"] for a in answers]
    assert kinds.count("InvalidTransition") == 1, answers
    succeeded = {"ActionChanged", "InvestigationChanged", "NotificationAnswered"}
    assert len([k for k in kinds if k in succeeded]) == 1, answers
    assert len(await events(graph, operation)) == before + 1


# -- a deep genealogy, end to end ----------------------------------------------------------------


@pytest.fixture
async def deep(db: Database) -> Database:
    """tests/data/graphs/traces.cypher: B5 (for ORD-1 of Northwind) <- B4 <- B3 <- B1, B2 <-
    LOT-A1 (SUP-A), LOT-B1 (SUP-B); B4 also consumed LOT-A2 (SUP-A)."""
    await load_fixture_graph(db, "genealogy")
    return db


TRACE_ISSUES = "issues { issueId batchId status totalCost }"


async def test_an_issue_three_levels_above_its_lots_worked_to_closure_is_in_every_trace(
    deep: Database, neo4j_settings: Settings, server: httpx2.Client
) -> None:
    api = Api(neo4j_settings, server)
    reported = api.run(
        Role.QUALITY,
        "reportQualityIssue",
        {
            "type": "paint blister",
            "severity": "MEDIUM",
            "partsAffected": 2,
            "batchId": "B5",
            "serialNumbers": ["SN-B5-1"],
            "detectedAt": "2025-02-20T10:00:00Z",
            "costImpact": {"scrapCost": 200},
        },
    )
    issue = reported["issue"]
    issue_id = issue["issueId"]
    assert issue_id == "QI-2025-0220-001"
    assert (issue["traceability"]["orderId"], issue["traceability"]["customer"]) == (
        "ORD-1",
        "Northwind",
    )
    assert [m["lotNumber"] for m in issue["materialsUsed"]] == ["LOT-A1", "LOT-A2", "LOT-B1"]
    steps: list[tuple[Role, str, dict[str, Any], dict[str, str]]] = [
        (Role.QUALITY, "openInvestigation", {"suspectedLots": ["LOT-A1", "LOT-A2"]}, {}),
        (Role.QUALITY, "startInvestigation", {}, {}),
        (Role.QUALITY, "addVerificationTest", {"name": "Adhesion", "result": "FAIL"}, {}),
        (
            Role.QUALITY,
            "addAction",
            {"kind": "CORRECTIVE", "description": "Strip", "owner": "U-LINE", "dueDate": TOMORROW},
            {},
        ),
        (
            Role.QUALITY,
            "addAction",
            {"kind": "PREVENTIVE", "description": "Bake", "owner": "U-Q", "dueDate": TOMORROW},
            {},
        ),
        (Role.QUALITY, "notifySupplier", {"message": "Blisters over your lots"}, {}),
        (
            Role.SUPPLIER,
            "respondToNotification",
            {
                "notificationId": f"{issue_id}/N-SUP-A",
                "response": "Primer lot replaced",
                "capaNumber": "A-1",
            },
            {"supplier": "SUP-A"},
        ),
        (Role.PRODUCTION, "startAction", {"actionId": f"{issue_id}/CA1"}, {}),
        (Role.PRODUCTION, "completeAction", {"actionId": f"{issue_id}/CA1"}, {}),
        (Role.QUALITY, "cancelAction", {"actionId": f"{issue_id}/PA1"}, {}),
        (
            Role.QUALITY,
            "closeInvestigation",
            {"rootCauseCategory": "MATERIAL", "rootCauseConfirmed": True},
            {},
        ),
        (Role.QUALITY, "recordCostImpact", {"reworkCost": 50}, {}),
        (Role.QUALITY, "closeQualityIssue", {"note": "contained and fixed"}, {}),
    ]
    for role, operation, given, who in steps:
        keyed = given if {"actionId", "notificationId"} & set(given) else {"issueId": issue_id}
        user = "U-LINE" if role is Role.PRODUCTION else None
        answer = api.run(role, operation, {**keyed, **given}, user=user, **who)
        assert answer["__typename"] not in {
            "NotFound",
            "Forbidden",
            "ValidationFailed",
            "InvalidTransition",
            "Conflict",
        }, (operation, answer)
    read = api.issue(Role.QUALITY, issue_id)
    assert read["status"] == "closed"
    assert read["investigation"]["status"] == "closed"
    assert [n["supplierCapaNumber"] for n in read["supplierNotifications"]] == ["A-1"]
    assert read["costImpact"]["totalCost"] == 250.0
    seen = {"issueId": issue_id, "batchId": "B5", "status": "closed", "totalCost": 250.0}
    # Forward from a suspected lot, four levels down: the issue is among those it reached.
    forward = api.post(
        Role.QUALITY,
        f'{{ forwardTrace(from: {{lotNumber: "LOT-A1"}}) {{ {TRACE_ISSUES} }} }}',
    )["data"]["forwardTrace"]
    assert seen in forward["issues"]
    # Backward from the issue: every lot and supplier behind it, and the issue on the timeline.
    backward = api.post(
        Role.QUALITY,
        f'{{ backwardTrace(from: {{issueId: "{issue_id}"}}) {{ lots {{ lotNumber }}'
        " suppliers { id } timeline { kind subject } } }",
    )["data"]["backwardTrace"]
    assert sorted(lot["lotNumber"] for lot in backward["lots"]) == ["LOT-A1", "LOT-A2", "LOT-B1"]
    assert sorted(s["id"] for s in backward["suppliers"]) == ["SUP-A", "SUP-B"]
    assert {"kind": "ISSUE_FOUND", "subject": issue_id} in backward["timeline"]
    # The recall impact of the other suspected lot counts it, closed, with its cost.
    impact = api.post(
        Role.QUALITY,
        f'{{ impact(lotNumber: "LOT-A2") {{ totals {{ costImpact }} {TRACE_ISSUES} }} }}',
    )["data"]["impact"]
    assert seen in impact["issues"]
    assert impact["totals"]["costImpact"] == 250.0 + 50.5  # and QI-2's, in B5 too

"""What the shop-floor tests share: the API served by a real uvicorn, callers of every role as
bearer tokens, one way to send each mutation over HTTP, and snapshots of what they write."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2

from graph.database import Database
from tests.ingest_support import fetch
from tests.support import bearer, serve_app
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.settings import Settings

FAILURE_FIELDS = {
    "InputRefused": "message input inputKind reason remaining unit",
    "SerialsTaken": "message serialNumbers count",
    "InvalidTransition": "message from to allowed",
    "Forbidden": "message operation role",
    "ValidationFailed": "message errors { path message }",
    "Conflict": "message currentVersion",
    "NotFound": "message key",
}
LOT = "lotNumber quantity unit receivedDate expiryDate inspectionResult quarantineStatus"
BATCH = "batchId productionDate quantity level status serialStart serialEnd"
# Per mutation: its input type, its success payload, the failures its union holds.
OPERATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "receiveLot": (
        "ReceiveLotInput",
        f"... on LotReceived {{ lot {{ {LOT} promisedAt deliveredAt }} }}",
        ("NotFound", "Forbidden", "ValidationFailed", "Conflict"),
    ),
    "recordBatch": (
        "RecordBatchInput",
        f"... on BatchRecorded {{ batch {{ {BATCH} }} }}",
        ("NotFound", "Forbidden", "ValidationFailed", "InvalidTransition", "Conflict"),
    ),
    "consume": (
        "ConsumeInput",
        f"""... on Consumed {{ batch {{ {BATCH} }} inputLot {{ lotNumber }}
          inputBatch {{ batchId level }} quantity linkQuantity unit remaining }}""",
        ("InputRefused", "NotFound", "Forbidden", "ValidationFailed", "Conflict"),
    ),
    "produceSerials": (
        "ProduceSerialsInput",
        f"... on SerialsProduced {{ batch {{ {BATCH} }} count first last }}",
        (
            "SerialsTaken",
            "InvalidTransition",
            "NotFound",
            "Forbidden",
            "ValidationFailed",
            "Conflict",
        ),
    ),
    "scrap": (
        "ScrapInput",
        """... on Scrapped { scrap { id quantity unit reason scrappedAt scrappedBy }
          input inputKind remaining unit }""",
        ("InputRefused", "NotFound", "Forbidden", "ValidationFailed", "Conflict"),
    ),
}


def mutation(operation: str) -> str:
    input_type, success, failures = OPERATIONS[operation]
    selection = " ".join(f"... on {name} {{ {FAILURE_FIELDS[name]} }}" for name in failures)
    return (
        f"mutation($input: {input_type}!) {{ {operation}(input: $input) {{ __typename"
        f" {success} {selection} }} }}"
    )


@dataclass(frozen=True)
class Api:
    """The served API: its URL and a header of each role's token."""

    url: str
    headers: dict[Role, dict[str, str]]

    async def call(self, role: Role, operation: str, given: dict[str, Any]) -> Any:
        async with httpx2.AsyncClient(base_url=self.url, timeout=60) as client:
            return await send(client, self.headers[role], operation, given)

    async def query(self, role: Role, text: str, **variables: Any) -> Any:
        async with httpx2.AsyncClient(base_url=self.url, timeout=60) as client:
            response = await client.post(
                "/graphql",
                headers=self.headers[role],
                json={"query": text, "variables": variables},
            )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


async def send(
    client: httpx2.AsyncClient, headers: dict[str, str], operation: str, given: dict[str, Any]
) -> Any:
    response = await client.post(
        "/graphql",
        headers=headers,
        json={"query": mutation(operation), "variables": {"input": given}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"][operation]


def serve(settings: Settings) -> Iterator[Api]:
    with serve_app(create_app(settings), settings=settings) as url:
        yield Api(
            url,
            {
                role: bearer(
                    settings,
                    role,
                    customer="CUST-001" if role is Role.BUYER else None,
                    supplier="SUP-001" if role is Role.SUPPLIER else None,
                )
                for role in Role
            },
        )


async def snapshot(db: Database) -> dict[str, Any]:
    (row,) = await fetch(db, "shop_snapshot")
    return row


async def events(db: Database) -> list[dict[str, Any]]:
    return await fetch(db, "shop_events")

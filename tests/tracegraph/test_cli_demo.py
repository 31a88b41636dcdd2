"""`tracegraph demo` prints a working token per role, for tenants that exist in the graph."""

from __future__ import annotations

import asyncio
import re

import httpx2
import pytest

from graph.database import Database
from tests.support import bearer, load_fixture_graph, tracegraph_process
from tracegraph.access import Role
from tracegraph.auth import TokenVerifier
from tracegraph.cli import _print_demo_tokens
from tracegraph.settings import Settings


async def test_demo_prints_a_token_per_role(
    neo4j_settings: Settings, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    await load_fixture_graph(db, "api_entities")
    # _print_demo_tokens runs its own event loop, as the CLI does: off this test's loop.
    await asyncio.to_thread(_print_demo_tokens, neo4j_settings)
    printed = capsys.readouterr().out
    tokens = re.findall(r"^  (\w+)(?: of (\S+))?:\n    (\S+)$", printed, re.M)
    assert [role for role, _, _ in tokens] == [r.value for r in Role]
    verifier = TokenVerifier(neo4j_settings)
    for role, tenant, token in tokens:
        caller = await verifier.verify(token)
        assert caller.role is Role(role)
        assert (caller.customer_id or caller.supplier_id or "") == tenant
    assert {r: t for r, t, _ in tokens if t} == {"buyer": "CUST-001", "supplier": "SUP-001"}
    assert "/graphiql" in printed


def test_demo_loads_the_demo_data_and_serves(neo4j_settings: Settings, db: Database) -> None:
    """The README's run command end to end (against the test server, so no local one starts):
    migrations, the demo data into the empty graph, the tokens, then the API answering."""
    with tracegraph_process(neo4j_settings, "demo", seconds=180) as (_, url):
        answer = httpx2.post(
            f"{url}/graphql",
            json={"query": "{ about { nodeCount } }"},
            headers=bearer(neo4j_settings),
            timeout=30,
        )
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["about"]["nodeCount"] > 1000

"""DataLoaders keep Cypher round trips fixed however many parents a list holds."""

from __future__ import annotations

import pytest

from graph.database import Database
from resolvers.context import Caller, Context, Role
from schema.root import build_schema
from tests.support import count_statements, load_fixture_graph

NESTED = """{ orders(first: 100) { nodes { orderNumber customer { id }
               batches { batchId inputLots { lotNumber supplier { id name } } } } } }"""


async def _round_trips(db: Database) -> tuple[int, int]:
    with count_statements() as counter:
        result = await build_schema().execute(
            NESTED, context_value=Context(db=db, principal=Caller(role=Role.ADMIN))
        )
    assert result.errors is None, result.errors
    assert result.data is not None
    orders = result.data["orders"]["nodes"]
    suppliers = {
        lot["supplier"]["id"]
        for order in orders
        for batch in order["batches"]
        for lot in batch["inputLots"]
    }
    assert all(order["customer"] is not None for order in orders)
    return counter[0], len(suppliers)


@pytest.mark.parametrize(("fixture", "orders"), [("api_orders_10", 10), ("api_orders_50", 50)])
async def test_nested_lists_cost_one_query_per_level(
    db: Database, fixture: str, orders: int
) -> None:
    await load_fixture_graph(db, fixture)
    statements, suppliers = await _round_trips(db)
    assert suppliers == orders * 4  # every leaf was resolved
    # orders page + customer + batches + inputLots + supplier, whatever the number of orders.
    assert statements == 5

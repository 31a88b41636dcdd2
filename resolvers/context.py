"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from graph.database import Database
from tracegraph.access import READS, Role

__all__ = ["Caller", "Context", "Info", "Role"]


@dataclass(frozen=True)
class Caller:
    """Who is asking; traces and lists take this scope so row-level access needs no rewrite."""

    role: Role = Role.ADMIN
    customer_id: str | None = None
    supplier_id: str | None = None
    # The token's subject; not part of the Cypher scope (no rule reads it yet).
    user_id: str | None = None

    def scope(self) -> dict[str, Any]:
        """The caller as Cypher parameters (``$scope``): its row scope from the role table
        (``rows``: all, customer or supplier; cypher/scope/visible.cypher reads it) and the
        customer or supplier it belongs to."""
        return {
            "rows": READS[self.role].scope.name.lower(),
            "customer_id": self.customer_id,
            "supplier_id": self.supplier_id,
        }


@dataclass
class Context:
    db: Database
    caller: Caller
    # DataLoaders are created lazily per request and keyed by name (see resolvers.loaders).
    loaders: dict[str, Any] = field(default_factory=dict)
    # The most items one page of a list may hold (Settings.graphql_max_page_size).
    max_page_size: int = 100


Info = StrawberryInfo[Context, None]

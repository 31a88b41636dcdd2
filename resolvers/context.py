"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from graph.analytics import DEFAULT_RATINGS, RatingThreshold
from graph.database import Database
from tracegraph.access import READS, Role
from tracegraph.blobs import UploadPolicy
from tracegraph.errors import UnauthenticatedError

__all__ = ["Caller", "Context", "Info", "Role"]


@dataclass(frozen=True)
class Caller:
    """Who is asking, as a verified token says (tracegraph.auth); never a default.

    There is deliberately no default role: a caller that nobody authenticated cannot exist.
    """

    role: Role
    customer_id: str | None = None
    supplier_id: str | None = None
    # The token's subject: who did it, in the events writes record.
    user_id: str | None = None

    def scope(self) -> dict[str, Any]:
        """The caller as Cypher parameters (``$scope``), all from the one role table:

        - ``rows``: all, customer or supplier (cypher/scope/visible.cypher's row rules);
        - ``customer_id`` / ``supplier_id``: whose rows those are;
        - ``hidden``: the field groups the role does not read (cypher/scope/fields.cypher masks
          them to null in every projection).
        """
        reads = READS[self.role]
        return {
            "rows": reads.scope.name.lower(),
            "customer_id": self.customer_id,
            "supplier_id": self.supplier_id,
            "hidden": sorted(group.name.lower() for group in reads.hidden),
        }


@dataclass
class Context:
    db: Database
    # None until a token is verified: over HTTP the auth middleware verified it before the request
    # got here; a websocket gets its caller from the connection_init payload.
    principal: Caller | None
    # DataLoaders are created lazily per request and keyed by name (see resolvers.loaders).
    loaders: dict[str, Any] = field(default_factory=dict)
    # The most items one page of a list may hold (Settings.graphql_max_page_size).
    max_page_size: int = 100
    # A websocket's connection_init payload (strawberry sets it).
    connection_params: dict[str, Any] | None = None
    # Lots whose mass balance is off by more than this percentage are flagged (massBalance).
    mass_balance_tolerance_percent: float = 5.0
    # Where uploaded files go (uploadDocument); None where uploads are not served.
    uploads: UploadPolicy | None = None
    # Supplier rating grades of the scorecards (Settings.rating_thresholds).
    rating_thresholds: tuple[RatingThreshold, ...] = DEFAULT_RATINGS

    @property
    def caller(self) -> Caller:
        """The authenticated caller; failing closed when there is none."""
        if self.principal is None:
            raise UnauthenticatedError("sign in first: this API answers only authenticated callers")
        return self.principal


Info = StrawberryInfo[Context, None]

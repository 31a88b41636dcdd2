"""The ``About`` type: what is serving this API and what it serves from."""

from __future__ import annotations

import strawberry


@strawberry.type(description="The service, the Neo4j behind it, and the size of the graph.")
class About:
    version: str = strawberry.field(description="tracegraph's own version.")
    neo4j_version: str = strawberry.field(description="Neo4j server version, e.g. 5.26.19.")
    neo4j_edition: str = strawberry.field(description="community or enterprise.")
    apoc_version: str | None = strawberry.field(description="APOC core version, if installed.")
    migrations_applied: int = strawberry.field(description="Schema migrations applied.")
    migrations_pending: int = strawberry.field(description="Schema migrations not yet applied.")
    node_count: int = strawberry.field(description="Nodes in the graph.")
    relationship_count: int = strawberry.field(description="Relationships in the graph.")

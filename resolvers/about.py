"""Resolvers for ``about``: proves GraphQL -> resolver -> named Cypher -> Neo4j end to end."""

from __future__ import annotations

from graph import about as about_tx
from graph import migrations
from resolvers.context import Info
from schema.about import About
from tracegraph import __version__
from tracegraph.errors import DatabaseError


async def resolve_about(info: Info) -> About:
    ctx = info.context
    server = await ctx.db.read(about_tx.server_info)
    counts = await ctx.db.read(about_tx.graph_counts)
    try:
        apoc: str | None = await ctx.db.read(about_tx.apoc_version)
    except DatabaseError:
        apoc = None  # a server without APOC still serves everything but the APOC traces
    status = await migrations.migration_status(ctx.db)
    return About(
        version=__version__,
        neo4j_version=server.version,
        neo4j_edition=server.edition,
        apoc_version=apoc,
        migrations_applied=len(status.applied),
        migrations_pending=len(status.pending),
        node_count=counts.nodes,
        relationship_count=counts.relationships,
    )

"""The root ``Query``: the per-concept query types merged into one.

Each concept keeps its root fields in its own module (``AboutQuery`` here, the entity lookups, the
traces); adding a concept means adding its type to ``ROOT_TYPES``.
"""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from resolvers.about import resolve_about
from schema.about import About
from schema.entity_query import EntityQuery
from schema.traces import TraceQuery


@strawberry.type
class AboutQuery:
    about: About = strawberry.field(
        resolver=resolve_about,
        description="What serves this API: versions, migrations, graph size.",
    )


ROOT_TYPES: tuple[type, ...] = (AboutQuery, EntityQuery, TraceQuery)

Query = merge_types("Query", ROOT_TYPES)

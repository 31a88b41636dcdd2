"""The schema object, its extensions and the SDL export."""

from __future__ import annotations

from pathlib import Path

import strawberry

from schema.query import Query


def build_schema() -> strawberry.Schema:
    # Errors are shaped and masked in the HTTP view (tracegraph.app), which needs the originals.
    return strawberry.Schema(query=Query)


def export_sdl(path: Path) -> None:
    path.write_text(build_schema().as_str() + "\n", encoding="utf-8")

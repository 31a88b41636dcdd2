"""The schema object, its extensions and the SDL export."""

from __future__ import annotations

from pathlib import Path

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from schema.query import Query


def build_schema() -> strawberry.Schema:
    # Errors are shaped and masked in the HTTP view (tracegraph.app), which needs the originals.
    # Clients send the same few documents over and over: parse and validate each one once
    # (measured by bench/traces.py: ~4 ms of every trace request was validation).
    # The classes: strawberry keeps their bounded LRU caches (128 documents) at module level.
    return strawberry.Schema(query=Query, extensions=[ParserCache, ValidationCache])


def export_sdl(path: Path) -> None:
    path.write_text(build_schema().as_str() + "\n", encoding="utf-8")

"""Transaction functions describing the database itself."""

from __future__ import annotations

from neo4j import AsyncManagedTransaction
from pydantic import BaseModel

from graph import queries


class ServerInfo(BaseModel):
    version: str
    edition: str


class GraphCounts(BaseModel):
    nodes: int
    relationships: int


async def server_info(tx: AsyncManagedTransaction) -> ServerInfo:
    result = await queries.run(tx, "meta.server_info")
    record = await result.single(strict=True)
    return ServerInfo(version=record["version"], edition=record["edition"])


async def apoc_version(tx: AsyncManagedTransaction) -> str:
    result = await queries.run(tx, "meta.apoc_version")
    record = await result.single(strict=True)
    return str(record["version"])


async def graph_counts(tx: AsyncManagedTransaction) -> GraphCounts:
    result = await queries.run(tx, "meta.graph_counts")
    record = await result.single(strict=True)
    return GraphCounts(nodes=record["nodes"], relationships=record["relationships"])


async def ping(tx: AsyncManagedTransaction) -> bool:
    result = await queries.run(tx, "meta.ping")
    record = await result.single(strict=True)
    return bool(record["ok"] == 1)


async def constraint_names(tx: AsyncManagedTransaction) -> list[str]:
    result = await queries.run(tx, "meta.constraint_names")
    record = await result.single(strict=True)
    return list(record["names"])


async def index_names(tx: AsyncManagedTransaction) -> list[str]:
    result = await queries.run(tx, "meta.index_names")
    record = await result.single(strict=True)
    return list(record["names"])

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
    (record,) = await queries.read(tx, "meta.server_info")
    return ServerInfo(version=record["version"], edition=record["edition"])


async def apoc_version(tx: AsyncManagedTransaction) -> str:
    (record,) = await queries.read(tx, "meta.apoc_version")
    return str(record["version"])


async def graph_counts(tx: AsyncManagedTransaction) -> GraphCounts:
    (record,) = await queries.read(tx, "meta.graph_counts")
    return GraphCounts(nodes=record["nodes"], relationships=record["relationships"])


async def ping(tx: AsyncManagedTransaction) -> bool:
    (record,) = await queries.read(tx, "meta.ping")
    return bool(record["ok"] == 1)


async def constraint_names(tx: AsyncManagedTransaction) -> list[str]:
    (record,) = await queries.read(tx, "meta.constraint_names")
    return list(record["names"])


async def index_names(tx: AsyncManagedTransaction) -> list[str]:
    (record,) = await queries.read(tx, "meta.index_names")
    return list(record["names"])


class DemoTenants(BaseModel):
    customer_id: str | None
    supplier_id: str | None


async def demo_tenants(tx: AsyncManagedTransaction) -> DemoTenants:
    (record,) = await queries.read(tx, "meta.demo_tenants")
    return DemoTenants(customer_id=record["customer_id"], supplier_id=record["supplier_id"])

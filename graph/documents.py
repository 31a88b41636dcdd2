"""Attaching an uploaded file's record to what it documents: one write, idempotent like every
mutation (graph.writes). The file itself is already kept by then (tracegraph.blobs); the
resolver takes it away again when this write does not attach it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.writes import Answer, WriteRequest, idempotent, not_found


async def attach(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    order_number: str,
    stage_sequence: int | None,
    qc_check_id: str | None,
    document: Mapping[str, Any],
) -> Answer:
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        written = (
            await queries.write(
                tx,
                "documents.attach",
                order_number=order_number,
                stage_sequence=stage_sequence,
                qc_check_id=qc_check_id,
                scope=actor.scope,
                document=dict(document),
                user_id=actor.user_id,
                role=actor.role,
                operation=request.operation,
            )
        ).records
        if not written or not written[0]["found"]:
            if qc_check_id is not None:
                return not_found("QC check", qc_check_id)
            if stage_sequence is not None:
                return not_found("stage", f"{order_number}/{stage_sequence}")
            return not_found("order", order_number)
        return {"kind": "uploaded", "document": written[0]["document"]}

    return await idempotent(tx, request, work)


async def referenced(tx: AsyncManagedTransaction, sha256: str) -> bool:
    (row,) = await queries.read(tx, "documents.referenced", sha256=sha256)
    return bool(row["referenced"])


async def visible(
    tx: AsyncManagedTransaction, document_id: str, scope: Mapping[str, Any]
) -> dict[str, Any] | None:
    rows = await queries.read(tx, "documents.visible", document_id=document_id, scope=scope)
    return dict(rows[0]) if rows else None

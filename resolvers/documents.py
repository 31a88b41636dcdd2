"""uploadDocument: check the role and the input, keep the file, attach its record in one write.

The file is kept before the write (the write must know its hash), so a write that does not
attach it (the target is missing or not the caller's, or it fails) takes the file away again,
unless another document already keeps the same content.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field, model_validator

from graph import documents
from graph.writes import Answer, validation_failed
from resolvers.context import Info
from resolvers.mutations import (
    KEY,
    TEXT,
    MutationInput,
    answered_write,
    forbidden,
    validated,
    write_request,
)
from tracegraph.blobs import BlobRefused, Stored

OPERATION = "uploadDocument"


class _Upload(MutationInput):
    order_number: str = Field(min_length=1, max_length=KEY)
    stage_sequence: int | None = Field(default=None, ge=1, le=8)
    qc_check_id: str | None = Field(default=None, min_length=1, max_length=KEY)
    description: str | None = Field(default=None, max_length=TEXT)

    @model_validator(mode="after")
    def _one_target(self) -> _Upload:
        if self.stage_sequence is not None and self.qc_check_id is not None:
            raise ValueError("give a stage or a QC check, not both")
        return self


def _file_name(upload: Any) -> str:
    name = str(getattr(upload, "filename", None) or "upload")
    return name.replace("\\", "/").rsplit("/", 1)[-1][:KEY] or "upload"


async def resolve_upload_document(info: Info, raw: Any) -> Answer:
    # Strawberry hands the multipart part over open and leaves it so: close it whatever happens.
    upload = getattr(raw, "file", None)
    try:
        return await _upload(info, raw, upload)
    finally:
        if upload is not None and hasattr(upload, "close"):
            await upload.close()


async def _upload(info: Info, raw: Any, upload: Any) -> Answer:
    refused = forbidden(info, OPERATION)
    if refused:
        return refused
    given = validated(_Upload, raw)
    if isinstance(given, dict):
        return given
    policy = info.context.uploads
    if policy is None or upload is None:
        return validation_failed([(["file"], "send the file as a GraphQL multipart request")])
    try:
        stored = await policy.store.put(
            upload,
            declared=getattr(upload, "content_type", None),
            allowed=policy.allowed,
            limit=policy.max_bytes,
        )
    except BlobRefused as e:
        return validation_failed([(["file"], str(e))])
    request = write_request(info, OPERATION, given)
    # The same key with another file is another request.
    request = dataclasses.replace(request, arguments={**request.arguments, "sha256": stored.sha256})
    document = {
        "id": f"DOC-{uuid.uuid4().hex[:16]}",
        "name": _file_name(upload),
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "description": given.description,
    }

    async def work(tx: AsyncManagedTransaction) -> Answer:
        return await documents.attach(
            tx,
            request,
            order_number=given.order_number,
            stage_sequence=given.stage_sequence,
            qc_check_id=given.qc_check_id,
            document=document,
        )

    try:
        answer = await answered_write(info, work)
    except BaseException:
        await _forget(info, stored)
        raise
    if answer["kind"] != "uploaded":
        await _forget(info, stored)
    return answer


async def _forget(info: Info, stored: Stored) -> None:
    """Take away a file this request added, unless a document keeps the same content."""
    policy = info.context.uploads
    if not stored.created or policy is None:
        return
    if not await info.context.db.read(documents.referenced, stored.sha256):
        policy.store.remove(stored.sha256)

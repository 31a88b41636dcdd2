"""Documents and photos (seed 004): upload one to an order, a stage or a QC check.

Sent as a GraphQL multipart request (the file in the ``file`` variable); downloaded again from
``Document.url`` with the same bearer token (tracegraph.downloads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from graph.entities import DocumentModel
from resolvers.context import Info
from resolvers.documents import resolve_upload_document
from schema.outcomes import Conflict, Forbidden, ValidationFailed, failure
from schema.results import NotFound

if TYPE_CHECKING:
    from schema.order_tracking import Document


@strawberry.type(description="The document as kept.")
class DocumentUploaded:
    document: Annotated[Document, strawberry.lazy("schema.order_tracking")] = strawberry.field(
        description="Its record (name, type, size, hash, who, when, where to download it)."
    )


DocumentResult = Annotated[
    DocumentUploaded | NotFound | Forbidden | ValidationFailed | Conflict,
    strawberry.union("DocumentResult"),
]


@strawberry.input(description="A file for an order, one of its stages, or one of its QC checks.")
class UploadDocumentInput:
    order_number: str = strawberry.field(description="The order (or the one the target is of).")
    file: Upload = strawberry.field(
        description="JPEG, PNG or PDF (decided by its content), at most the upload size limit."
    )
    stage_sequence: int | None = strawberry.field(
        default=None, description="Attach to this stage of the order (1-8)."
    )
    qc_check_id: str | None = strawberry.field(
        default=None, description="Attach to this QC check of the order."
    )
    description: str | None = strawberry.field(default=None, description="What it shows.")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Resending with the same key and file answers the first answer and keeps"
        " nothing new.",
    )


def as_result(answer: dict[str, Any]) -> DocumentResult:
    if answer["kind"] == "uploaded":
        return DocumentUploaded(document=DocumentModel.model_validate(answer["document"]))  # type: ignore[arg-type]  # a model is what the type reads
    return failure(answer)  # type: ignore[return-value]  # never InvalidTransition here


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(
        description="Attach a document or photo (quality, production, the assigned supplier,"
        " admin). Send it as a GraphQL multipart request."
    )
    async def upload_document(self, info: Info, input: UploadDocumentInput) -> DocumentResult:
        return as_result(await resolve_upload_document(info, input))

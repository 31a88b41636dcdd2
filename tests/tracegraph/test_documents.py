"""Documents and photos over real HTTP (issue 11 §5): GraphQL multipart uploads to an order, a
stage and a QC check; the file kept once by its hash; bad files, too-large files, other tenants
and roles refused with nothing kept; downloads only for callers who may see the order."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from graph.database import Database
from tests.ingest_support import fetch
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(64))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
LIMIT = 4096
MUTATION = """mutation($input: UploadDocumentInput!) { uploadDocument(input: $input) {
  __typename
  ... on DocumentUploaded { document { id name contentType size sha256 uploadedBy url } }
  ... on ValidationFailed { message errors { path message } }
  ... on NotFound { message key } ... on Forbidden { message } ... on Conflict { message } } }"""
READ = """{ order(orderNumber: "ORD-1") { ... on Order {
  documents { name contentType sha256 }
  stages { sequence documents { name contentType } }
  qcChecks { id documents { name contentType } } } } }"""


@pytest.fixture
def settings(neo4j_settings: Settings, tmp_path: Path) -> Settings:
    return neo4j_settings.model_copy(
        update={"tracegraph_documents_dir": tmp_path / "docs", "tracegraph_max_upload_bytes": LIMIT}
    )


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "api_entities")
    return db


@pytest.fixture
def client(settings: Settings, graph: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(settings)) as client:
        yield client


def _as(settings: Settings, role: Role, **who: str) -> dict[str, str]:
    return bearer(settings, role, **who)


def upload(
    client: httpx2.Client,
    headers: dict[str, str],
    content: bytes,
    *,
    name: str = "photo.png",
    content_type: str = "image/png",
    **given: Any,
) -> Any:
    given.setdefault("orderNumber", "ORD-1")
    operations = {"query": MUTATION, "variables": {"input": {**given, "file": None}}}
    response = client.post(
        "/graphql",
        headers=headers,
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (name, content, content_type)},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"]["uploadDocument"]


def _kept(settings: Settings) -> list[Path]:
    root = settings.documents_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def _documents(db: Database) -> int:
    rows = await fetch(db, "count_label", label="Document")
    return int(rows[0]["n"])


async def test_upload_to_an_order_a_stage_and_a_check_then_download(
    settings: Settings, graph: Database, client: httpx2.Client
) -> None:
    production = _as(settings, Role.PRODUCTION)
    on_order = upload(client, production, PNG, description="packing list")
    assert on_order["__typename"] == "DocumentUploaded", on_order
    document = on_order["document"]
    assert document["contentType"] == "image/png"
    assert document["size"] == len(PNG)
    assert document["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert document["uploadedBy"] == "test-production"
    on_stage = upload(
        client, production, JPEG, name="knit.jpg", content_type="image/jpeg", stageSequence=2
    )
    on_check = upload(
        client, production, PDF, name="qc.pdf", content_type="application/pdf", qcCheckId="QC-1"
    )
    assert on_stage["__typename"] == on_check["__typename"] == "DocumentUploaded"
    # Kept by hash, byte for byte.
    kept = settings.documents_dir / document["sha256"][:2] / document["sha256"]
    assert kept.read_bytes() == PNG
    assert len(_kept(settings)) == 3
    read = client.post("/graphql", headers=production, json={"query": READ}).json()
    order = read["data"]["order"]
    assert [d["name"] for d in order["documents"]] == ["photo.png"]
    assert [d["name"] for s in order["stages"] for d in s["documents"]] == ["knit.jpg"]
    assert [d["contentType"] for c in order["qcChecks"] for d in c["documents"]] == [
        "application/pdf"
    ]
    events = await fetch(graph, "events_of", operation="uploadDocument")
    assert len(events) == 3
    assert {e["by"] for e in events} == {"test-production"}

    # Downloads: whoever may see ORD-1, with the stored type; others as if it did not exist.
    buyer = _as(settings, Role.BUYER, customer="CUST-001")
    got = client.get(document["url"], headers=buyer)
    assert got.status_code == 200
    assert got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith("attachment")
    other = _as(settings, Role.BUYER, customer="CUST-002")
    assert client.get(document["url"], headers=other).status_code == 404
    assert client.get("/documents/DOC-nope", headers=buyer).status_code == 404
    assert client.get(document["url"]).status_code == 401


async def test_the_same_content_is_kept_once(
    settings: Settings, graph: Database, client: httpx2.Client
) -> None:
    quality = _as(settings, Role.QUALITY)
    first = upload(client, quality, PNG)
    second = upload(client, quality, PNG, name="again.png", stageSequence=1)
    assert first["document"]["id"] != second["document"]["id"]
    assert first["document"]["sha256"] == second["document"]["sha256"]
    assert len(_kept(settings)) == 1
    assert await _documents(graph) == 2


@pytest.mark.parametrize(
    ("content", "name", "content_type", "says"),
    [
        (b"just some text\n", "notes.txt", "text/plain", "not one of the types accepted"),
        (b"just some text\n", "renamed.jpg", "image/jpeg", "not one of the types accepted"),
        (
            PNG,
            "photo.png",
            "application/pdf",
            "sent as application/pdf but its content is image/png",
        ),
        (b"GIF89a" + bytes(64), "anim.gif", "image/gif", "not one of the types accepted"),
        (PNG + bytes(LIMIT), "huge.png", "image/png", f"larger than {LIMIT} bytes"),
        (b"", "empty.png", "image/png", "empty"),
    ],
)
async def test_bad_files_are_refused_and_nothing_is_kept(  # noqa: PLR0917 - fixtures + case
    settings: Settings,
    graph: Database,
    client: httpx2.Client,
    content: bytes,
    name: str,
    content_type: str,
    says: str,
) -> None:
    answer = upload(
        client, _as(settings, Role.PRODUCTION), content, name=name, content_type=content_type
    )
    assert answer["__typename"] == "ValidationFailed", answer
    assert answer["errors"][0]["path"] == ["input", "file"]
    assert says in answer["errors"][0]["message"]
    assert _kept(settings) == []
    assert await _documents(graph) == 0


async def test_a_body_past_the_upload_limit_is_413_before_graphql(
    settings: Settings, client: httpx2.Client
) -> None:
    operations = {"query": MUTATION, "variables": {"input": {"orderNumber": "ORD-1", "file": None}}}
    response = client.post(
        "/graphql",
        headers=_as(settings, Role.PRODUCTION),
        data={"operations": json.dumps(operations), "map": '{"0": ["variables.input.file"]}'},
        files={"0": ("big.png", PNG + bytes(LIMIT + 128 * 1024), "image/png")},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert _kept(settings) == []


async def test_roles_and_scope_refuse_with_nothing_kept(
    settings: Settings, graph: Database, client: httpx2.Client
) -> None:
    for role, who in [(Role.BUYER, {"customer": "CUST-001"}), (Role.ANALYST, {})]:
        answer = upload(client, _as(settings, role, **who), PNG)
        assert answer["__typename"] == "Forbidden", role
    # A supplier uploads only to the orders assigned to it.
    stranger = _as(settings, Role.SUPPLIER, supplier="SUP-002")
    hidden = upload(client, stranger, PNG)
    assert hidden == {"__typename": "NotFound", "message": "no order 'ORD-1'", "key": "ORD-1"}
    missing = upload(client, _as(settings, Role.ADMIN), PNG, stageSequence=7)
    assert missing["__typename"] == "NotFound"
    assert _kept(settings) == []
    assert await _documents(graph) == 0
    assigned = upload(client, _as(settings, Role.SUPPLIER, supplier="SUP-001"), PNG)
    assert assigned["__typename"] == "DocumentUploaded"
    both = upload(client, _as(settings, Role.ADMIN), PNG, stageSequence=1, qcCheckId="QC-1")
    assert both["__typename"] == "ValidationFailed"


async def test_a_resent_upload_is_kept_once_and_a_key_is_for_one_file(
    settings: Settings, graph: Database, client: httpx2.Client
) -> None:
    production = _as(settings, Role.PRODUCTION)
    first = upload(client, production, PNG, idempotencyKey="up-1")
    again = upload(client, production, PNG, idempotencyKey="up-1")
    assert again == first
    assert await _documents(graph) == 1
    other = upload(client, production, JPEG, content_type="image/jpeg", idempotencyKey="up-1")
    assert other["__typename"] == "Conflict"
    assert len(_kept(settings)) == 1  # the JPEG the conflict refused is not kept

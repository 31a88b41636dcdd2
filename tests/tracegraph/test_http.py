"""The HTTP edge of /graphql over a real socket: malformed requests are 4xx JSON answers."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest

from graph.database import Database
from tests.support import bearer, serve_app
from tracegraph.app import create_app
from tracegraph.settings import Settings

LIMIT = 4096


class Target(NamedTuple):
    host: str
    port: int
    authorization: str  # an admin's: these limits hold for callers who got past sign-in

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port


def _target(url: str, settings: Settings) -> Target:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return Target(parts.hostname, parts.port, bearer(settings)["authorization"])


@pytest.fixture(scope="module")
def server(neo4j_settings: Settings) -> Iterator[Target]:
    settings = neo4j_settings.model_copy(
        update={"graphql_max_body_bytes": LIMIT, "graphql_max_query_chars": 1000}
    )
    with serve_app(create_app(settings)) as url:
        yield _target(url, settings)


def _post(
    server: Target, body: bytes, content_type: str = "application/json"
) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection(*server.address, timeout=10)
    headers = {"content-type": content_type, "authorization": server.authorization}
    connection.request("POST", "/graphql", body=body, headers=headers)
    response = connection.getresponse()
    assert response.getheader("content-type", "").startswith("application/json")
    answer = response.status, json.loads(response.read())
    connection.close()
    return answer


def _code(answer: dict[str, Any]) -> str:
    code: str = answer["errors"][0]["extensions"]["code"]
    return code


@pytest.mark.parametrize("body", [b"null", b"123", b'"x"', b"[]", b"[1, 2]", b"{bad", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_400(
    server: Target, body: bytes, db: Database
) -> None:
    status, answer = _post(server, body)
    assert (status, _code(answer)) == (400, "BAD_REQUEST")


@pytest.mark.parametrize(
    "body", [b"{}", b'{"query": 5}', b'{"query": "{ __typename }", "variables": []}']
)
def test_strawberrys_own_refusals_are_json_too(server: Target, body: bytes) -> None:
    status, answer = _post(server, body)
    assert (status, _code(answer)) == (400, "BAD_REQUEST")


def test_media_types_compare_case_insensitively(server: Target) -> None:
    body = b'{"query": "{ __typename }"}'
    for content_type in ("Application/JSON", "application/json; charset=UTF-8"):
        assert _post(server, body, content_type) == (200, {"data": {"__typename": "Query"}})
    status, answer = _post(server, body, "text/plain")
    assert (status, _code(answer)) == (415, "UNSUPPORTED_MEDIA_TYPE")


def test_a_long_query_text_is_refused(server: Target) -> None:
    query = "{ __typename " + " " * 1000 + "}"
    status, answer = _post(server, json.dumps({"query": query}).encode())
    assert (status, _code(answer)) == (413, "QUERY_TOO_LONG")


def test_a_body_past_the_limit_is_refused_without_reading_it(server: Target) -> None:
    # Declared: answered from the headers alone, before any of the 200 MB is sent.
    with socket.create_connection(server.address, timeout=10) as raw:
        raw.sendall(
            b"POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            + f"authorization: {server.authorization}\r\n".encode()
            + b"content-length: 200000000\r\n\r\n"
        )
        started = time.monotonic()
        answer = b""
        while b"REQUEST_TOO_LARGE" not in answer and time.monotonic() - started < 5:
            chunk = raw.recv(4096)  # the head and the body may come in separate packets
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"REQUEST_TOO_LARGE" in answer
    # Streamed without a length: reading stops at the limit.
    connection = http.client.HTTPConnection(*server.address, timeout=10)
    chunks = (b'{"query": "' + b"x" * 1024 for _ in range(64))
    connection.request(
        "POST",
        "/graphql",
        body=chunks,
        headers={"content-type": "application/json", "authorization": server.authorization},
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 413
    assert _code(json.loads(response.read())) == "REQUEST_TOO_LARGE"
    connection.close()


@pytest.mark.parametrize(
    ("declared", "value"),
    [
        ("Int!", "ten"),
        ("Int!", 1.5),
        ("Int!", 1e20),
        ("Int!", None),
        ("Date", "2025-13-45"),
        ("QualityIssueSort", "NOPE"),
    ],
)
def test_bad_variables_are_the_clients_mistake_naming_the_variable(
    server: Target, declared: str, value: Any, db: Database
) -> None:
    uses = {
        "Int!": "lots(first: $v) { totalCount }",
        "Date": "orders(filter: {dueFrom: $v}) { totalCount }",
        "QualityIssueSort": "qualityIssues(sort: $v) { totalCount }",
    }
    query = f"query($v: {declared}) {{ {uses[declared]} }}"
    status, answer = _post(server, json.dumps({"query": query, "variables": {"v": value}}).encode())
    assert status == 200
    assert _code(answer) == "BAD_USER_INPUT"
    assert "$v" in answer["errors"][0]["message"]


def test_a_missing_required_variable_is_bad_user_input(server: Target) -> None:
    query = "query($v: Int!) { lots(first: $v) { totalCount } }"
    status, answer = _post(server, json.dumps({"query": query}).encode())
    assert (status, _code(answer)) == (200, "BAD_USER_INPUT")


def test_half_sent_bodies_time_out_and_excess_requests_are_told_to_retry(
    neo4j_settings: Settings,
) -> None:
    settings = neo4j_settings.model_copy(
        update={"tracegraph_body_timeout_seconds": 1.0, "tracegraph_max_concurrent_requests": 2}
    )
    with serve_app(create_app(settings)) as url:
        target = _target(url, settings)
        holders = [socket.create_connection(target.address, timeout=10) for _ in range(2)]
        for raw in holders:  # headers, then silence: each holds a place
            raw.sendall(
                b"POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                + f"authorization: {target.authorization}\r\n".encode()
                + b"content-length: 100\r\n\r\n{"
            )
        time.sleep(0.2)
        connection = http.client.HTTPConnection(*target.address, timeout=10)
        connection.request(
            "POST",
            "/graphql",
            body=b'{"query": "{ __typename }"}',
            headers={"content-type": "application/json", "authorization": target.authorization},
        )
        busy = connection.getresponse()
        assert busy.status == 503
        assert busy.getheader("retry-after") == "1"
        assert _code(json.loads(busy.read())) == "SERVICE_BUSY"
        connection.close()
        for raw in holders:
            answer = b""
            while b"REQUEST_TIMEOUT" not in answer:
                chunk = raw.recv(4096)
                assert chunk, "closed without an answer"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 408")
            raw.close()
        assert _post(target, b'{"query": "{ __typename }"}') == (
            200,
            {"data": {"__typename": "Query"}},
        )

"""A corpus of hostile requests to /graphql, and one way to send them.

``tests/data/hostile/requests.json`` holds hand-made ones; :func:`corpus` adds generated ones
(bad bodies and media types, doubling fragments, deep and aliased documents, bad variables of
every kind, seeded random text). ``python -m bench.hostile URL`` sends them to a running
service and prints what came back.
"""

from __future__ import annotations

import http.client
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jwt

HAND_MADE = Path(__file__).resolve().parent / "data" / "hostile" / "requests.json"
# What no answer may contain: the database's address and words, Cypher, our files.
INTERNALS = ("bolt://", "neo4j://", "Neo.", "MATCH ", "RETURN ", '.py"', "/work/", "Traceback")


# A Hostile's authorization: the sender's valid token (most of the corpus attacks what lies
# behind sign-in), or a literal header value, or None for no header at all.
SIGNED_IN = "<signed in>"


@dataclass(frozen=True)
class Hostile:
    why: str
    body: bytes
    content_type: str = "application/json"
    method: str = "POST"
    path: str = "/graphql"
    authorization: str | None = SIGNED_IN


def _forged_tokens() -> list[tuple[str, str | None]]:
    claims = {
        "sub": "mallory",
        "role": "admin",
        "iss": "tracegraph",
        "aud": "tracegraph",
        "exp": 4102444800,
    }
    wrong_secret = "a-secret-that-is-not-the-services-0123456789"
    return [
        ("no Authorization header", None),
        ("Basic scheme", "Basic YWRtaW46YWRtaW4="),
        ("Bearer without token", "Bearer"),
        ("Bearer with two tokens", "Bearer a b"),
        ("not a JWT", "Bearer not.a.jwt"),
        ("alg none", "Bearer " + jwt.encode(claims, "", algorithm="none")),
        ("signed with another secret", "Bearer " + jwt.encode(claims, wrong_secret, "HS256")),
        ("a 9000-character token", "Bearer " + "a" * 9000),
        ("header of unicode", "Bearer \u00e9\u00e9"),
    ]


def _json(why: str, body: Any) -> Hostile:
    return Hostile(why, json.dumps(body).encode())


def _doubling(n: int, field: str) -> str:
    lines = [f"fragment F0 on Query {{ {field} }}"]
    lines += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, n)]
    return f"{{ ...F{n - 1} }}\n" + "\n".join(lines)


def corpus(seed: int = 9, random_count: int = 330) -> list[Hostile]:
    items = [_json(c["why"], c["body"]) for c in json.loads(HAND_MADE.read_text("utf-8"))]
    for raw in (
        b"null",
        b"123",
        b'"x"',
        b"[]",
        b"[{}]",
        b"true",
        b"{",
        b"",
        b"\xff\xfe\x00",
        b'{"query": "{ __typename }"' + b" " * 10,
        b"{}" * 50,
    ):
        items.append(Hostile(f"body {raw[:12]!r}", raw))
    for ctype in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; b=x",
        "APPLICATION/JSON",
        "application/graphql",
        "",
    ):
        items.append(Hostile(f"content type {ctype!r}", b'{"query": "{ __typename }"}', ctype))
    for query in ("{ __typename }", "mutation { x }", "{", "%7B"):
        path = "/graphql?query=" + quote(query)
        items.append(Hostile(f"GET {query}", b"", method="GET", path=path))
    for n in (10, 16, 20, 23, 24, 30, 40):
        items.append(_json(f"doubling {n}", {"query": _doubling(n, "__typename")}))
        items.append(_json(f"doubling {n} aliased", {"query": _doubling(n, "a: __typename")}))
    for depth in (13, 20, 60):
        nested = "{ orders { nodes " + "{ batches " * depth + "{ batchId }" + " }" * depth + " } }"
        items.append(_json(f"depth {depth}", {"query": nested}))
    for count in (31, 100, 400):
        aliased = "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"
        items.append(_json(f"{count} aliases", {"query": aliased}))
    items.append(_json("tokens", {"query": "{ " + "__typename " * 3000 + "}"}))
    items.append(_json("long text", {"query": "{ __typename }" + " " * 50_000}))
    uses = {
        "Int!": "lots(first: $v) { totalCount }",
        "Int": "lots(first: $v) { totalCount }",
        "Date": "orders(filter: {dueFrom: $v}) { totalCount }",
        "QualityIssueSort": "qualityIssues(sort: $v) { totalCount }",
        "[Severity!]": "qualityIssues(filter: {severity: $v}) { totalCount }",
        "String!": "lot(lotNumber: $v) { __typename }",
        "ForwardFrom!": "forwardTrace(from: $v) { serialCount }",
    }
    bad_values: list[Any] = [
        "ten",
        1.5,
        1e20,
        -(2**63) - 1,
        None,
        True,
        [],
        {},
        "2025-13-45",
        "NOPE",
        ["LOW", 5],
        {"lotNumber": 5},
        {"nope": "x"},
        "x" * 10_000,
    ]
    for declared, use in uses.items():
        for value in bad_values:
            body = {"query": f"query($v: {declared}) {{ {use} }}", "variables": {"v": value}}
            items.append(_json(f"${declared} = {str(value)[:20]}", body))
        body = {"query": f"query($v: {declared}) {{ {use} }}"}
        items.append(_json(f"${declared} missing", body))
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    alphabet = '{}()[]:$@!."\\ \n\tabcxyz_0123456789.-...lotsordersfirstafter#,=|&'
    fields = ["lots", "orders", "suppliers", "lot", "order", "forwardTrace", "impact", "about"]
    for i in range(random_count):
        if i % 3 == 0:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200)))
        elif i % 3 == 1:
            field = rng.choice(fields)
            arg = rng.choice(["(first: 5)", '(lotNumber: "LOT-1")', "(x: 1)", "", "(first: $f)"])
            text = (
                "{ "
                + field
                + arg
                + " { "
                + rng.choice(["totalCount", "__typename", "nodes { id }", "x"])
                + " } }"
            )
        else:
            text = "query($f: Int) " + "{" * rng.randint(1, 30) + " lots(first: $f) { totalCount }"
        variables = rng.choice([None, {"f": rng.choice([1, "x", None, 10**30])}, "v", [1]])
        items.append(_json(f"random {i}", {"query": text, "variables": variables}))
    items += [
        Hostile(f"auth: {why}", b'{"query": "{ about { nodeCount } }"}', authorization=header)
        for why, header in _forged_tokens()
    ]
    return items


@dataclass(frozen=True)
class Outcome:
    hostile: Hostile
    status: int
    codes: tuple[str, ...]
    seconds: float
    leaked: tuple[str, ...]
    json_body: bool


def send(
    host: str, port: int, hostile: Hostile, *, authorization: str, timeout: float = 30.0
) -> Outcome:
    """Send ``hostile`` (signed in with the header ``authorization`` unless it says otherwise);
    no answer within ``timeout`` is status 0."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    headers = {"content-type": hostile.content_type} if hostile.content_type else {}
    header = authorization if hostile.authorization == SIGNED_IN else hostile.authorization
    if header is not None:
        headers["authorization"] = header
    started = time.monotonic()
    try:
        connection.request(hostile.method, hostile.path, body=hostile.body or None, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        status = response.status
    except (TimeoutError, ConnectionError):
        return Outcome(hostile, 0, (), time.monotonic() - started, (), False)
    finally:
        connection.close()
    seconds = time.monotonic() - started
    text = raw.decode("utf-8", "replace")
    try:
        answer = json.loads(raw)
        codes = tuple(e.get("extensions", {}).get("code", "") for e in answer.get("errors", []))
        is_json = True
    except (ValueError, AttributeError):
        codes, is_json = (), False
    leaked = tuple(word for word in INTERNALS if word in text)
    return Outcome(hostile, status, codes, seconds, leaked, is_json)

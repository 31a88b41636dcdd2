"""Real servers for the auth tests: a JWKS endpoint and a uvicorn app behind AuthMiddleware."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support import serve_app
from tracegraph.auth import AuthMiddleware, TokenVerifier, request_caller
from tracegraph.settings import Settings

ISSUER = "https://idp.test/realms/tracegraph"
AUDIENCE = "tracegraph-api"


@dataclass
class SigningKey:
    kid: str
    alg: str
    private: Any
    jwk: dict[str, Any]

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        return jwt.encode(
            claims, self.private, algorithm=self.alg, headers={"kid": self.kid, **header}
        )


def rsa_key(kid: str) -> SigningKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return SigningKey(kid, "RS256", private, {**jwk, "kid": kid, "use": "sig", "alg": "RS256"})


def ec_key(kid: str) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    jwk = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return SigningKey(kid, "ES256", private, {**jwk, "kid": kid, "use": "sig", "alg": "ES256"})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_signed(header: dict[str, Any], claims: dict[str, Any], secret: bytes | None) -> str:
    """A token PyJWT refuses to make (alg none, HMAC over a public key): the attacks to test."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    if secret is None:
        return signing_input + "."
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "U-001",
        "role": "buyer",
        "customer": "CUST-001",
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


@dataclass
class JwksServer:
    """Serves ``keys`` as a JWKS document and counts the fetches."""

    keys: list[dict[str, Any]]
    fetches: int = 0
    delay_seconds: float = 0.0
    url: str = ""
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)

    def publish(self, *keys: SigningKey) -> None:
        self.keys = [k.jwk for k in keys]


@contextmanager
def jwks_server(*keys: SigningKey) -> Iterator[JwksServer]:
    state = JwksServer([k.jwk for k in keys])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.fetches += 1
            time.sleep(state.delay_seconds)
            body = json.dumps({"keys": state.keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/certs"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


async def _whoami(request: Request) -> JSONResponse:
    caller = request_caller(request.scope)
    assert caller is not None
    return JSONResponse(
        {
            "role": caller.role.value,
            "user": caller.user_id,
            "customer": caller.customer_id,
            "supplier": caller.supplier_id,
        }
    )


async def _open(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "caller": request_caller(request.scope) is not None})


def protected_app(settings: Settings) -> AuthMiddleware:
    routes = [
        Route("/graphql", _whoami, methods=["GET", "POST"]),
        Route("/graphql/sub", _whoami),
        Route("/graphqlx", _open),
        Route("/healthz", _open),
    ]
    return AuthMiddleware(Starlette(routes=routes), TokenVerifier(settings))


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """``protected_app(settings)`` on a real uvicorn on 127.0.0.1 (free port); yields its URL."""
    with serve_app(protected_app(settings), lifespan="off") as url:
        yield url


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


def get(url: str, *, token: str | None = None, authorization: str | None = None) -> Answer:
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if authorization is not None:
        headers["Authorization"] = authorization
    # Only ever the http://127.0.0.1 servers of these tests.
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return Answer(response.status, _lower(response.headers), json.loads(response.read()))
    except urllib.error.HTTPError as e:
        with e:
            return Answer(e.code, _lower(e.headers), json.loads(e.read()))


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}

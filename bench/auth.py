"""Auth benchmark: what token verification adds to a request, cached and uncached.

    python -m bench.auth --iterations 20000

For an embedded HS256 token and provider RS256 / ES256 tokens (keys served by a JWKS endpoint
this script starts on a free loopback port, fetched once), prints the mean µs of
``TokenVerifier.verify_header`` with the cache off (every call checks the signature) and on (the
same token again), and of one request through ``AuthMiddleware`` in front of an empty ASGI app
against the bare app: the per-request cost as deployed, without the network.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import uvloop
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.types import Message, Receive, Scope, Send

from resolvers.context import Role
from tracegraph.auth import AuthMiddleware, TokenVerifier, mint_token
from tracegraph.settings import Settings, load_settings

SECRET = "bench-secret-0123456789-0123456789-0123456789"  # noqa: S105 (a bench fixture)
ISSUER = "https://idp.bench/"
AUDIENCE = "tracegraph-bench"


@contextmanager
def jwks_endpoint(jwks: dict[str, Any]) -> Iterator[str]:
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/certs"
    finally:
        server.shutdown()
        server.server_close()


def provider_tokens() -> tuple[dict[str, Any], dict[str, str]]:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "U-1", "role": "analyst", "exp": now + 3600}
    rsa_private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_private = ec.generate_private_key(ec.SECP256R1())
    keys = [
        {**RSAAlgorithm.to_jwk(rsa_private.public_key(), as_dict=True), "kid": "r", "alg": "RS256"},
        {**ECAlgorithm.to_jwk(ec_private.public_key(), as_dict=True), "kid": "e", "alg": "ES256"},
    ]
    tokens = {
        "RS256": jwt.encode(claims, rsa_private, algorithm="RS256", headers={"kid": "r"}),
        "ES256": jwt.encode(claims, ec_private, algorithm="ES256", headers={"kid": "e"}),
    }
    return {"keys": keys}, tokens


async def mean_us(call: Callable[[], Awaitable[Any]], iterations: int) -> float:
    for _ in range(min(1000, iterations)):
        await call()
    started = time.perf_counter()
    for _ in range(iterations):
        await call()
    return (time.perf_counter() - started) / iterations * 1e6


async def _empty_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def _receive() -> Message:
    return {"type": "http.request", "body": b""}


async def _send(message: Message) -> None:
    pass


async def measure_case(name: str, settings: Settings, token: str, iterations: int) -> None:
    header = f"Bearer {token}"
    uncached = TokenVerifier(settings.model_copy(update={"tracegraph_auth_cache_size": 0}))
    cached = TokenVerifier(settings)
    await uncached.verify_header(header)  # the provider's keys are fetched here, once
    plain = await mean_us(lambda: uncached.verify_header(header), iterations)
    hit = await mean_us(lambda: cached.verify_header(header), iterations)

    middleware = AuthMiddleware(_empty_app, cached)

    def scope() -> Scope:
        return {
            "type": "http",
            "path": "/graphql",
            "headers": [(b"authorization", header.encode())],
            "client": ("127.0.0.1", 1),
        }

    bare = await mean_us(lambda: _empty_app(scope(), _receive, _send), iterations)
    wrapped = await mean_us(lambda: middleware(scope(), _receive, _send), iterations)
    print(
        f"| {name} | {plain:.1f} | {hit:.2f} | {wrapped - bare:.2f} |",
        flush=True,
    )


async def measure(iterations: int) -> None:
    print("| token | verify, uncached (µs) | verify, cached (µs) | middleware added, cached (µs) |")
    print("|---|---|---|---|")
    embedded = load_settings(env_file=None, tracegraph_auth_secret=SECRET)
    token = mint_token(
        embedded, role=Role.BUYER, user="U-1", customer="C-1", ttl=timedelta(hours=1)
    )
    await measure_case("HS256 (embedded)", embedded, token, iterations)
    jwks, tokens = provider_tokens()
    with jwks_endpoint(jwks) as url:
        oidc = load_settings(
            env_file=None,
            tracegraph_auth_mode="oidc",
            tracegraph_oidc_issuer=ISSUER,
            tracegraph_oidc_audience=AUDIENCE,
            tracegraph_oidc_jwks_url=url,
        )
        for alg, provider_token in tokens.items():
            await measure_case(f"{alg} (provider)", oidc, provider_token, iterations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=20_000)
    args = parser.parse_args()
    # The event loop the service runs on (uvicorn picks uvloop).
    uvloop.run(measure(args.iterations))


if __name__ == "__main__":
    main()

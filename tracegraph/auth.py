"""Who is asking: `Authorization: Bearer <JWT>` → :class:`Caller`, or a 401 that says why.

Two ways to trust a token, chosen by ``TRACEGRAPH_AUTH_MODE``:

- ``embedded``: HS256 tokens signed with ``TRACEGRAPH_AUTH_SECRET``, minted by
  ``tracegraph token create`` (:func:`mint_token`); issuer and audience are both ``tracegraph``.
- ``oidc``: tokens of an identity provider, checked against its issuer, audience and the keys it
  publishes at its JWKS URL (RS256/ES256 only; fetched off the event loop, refetched when an
  unknown ``kid`` arrives, at most once per refresh interval).

Verified tokens are cached until they expire, so a request pays for a signature check once per
token, not once per request. PyJWT does all of the cryptography.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from resolvers.context import Caller, Role
from tracegraph.errors import ConfigError, InvalidInputError, TracegraphError, UnauthenticatedError
from tracegraph.settings import Settings

log = logging.getLogger("tracegraph.auth")

REALM = "tracegraph"
# Issuer and audience of embedded tokens: one of them cannot pass for a provider's and back.
EMBEDDED_ISSUER = "tracegraph"
EMBEDDED_AUDIENCE = "tracegraph"
EMBEDDED_ALGORITHM = "HS256"
# Used only in dev when no secret is set, and said so in the logs: anyone can mint with it.
DEV_SECRET = "tracegraph-dev-secret-NOT-FOR-PRODUCTION-0123456789"  # noqa: S105
# Real tokens are well under 8 KiB; a longer header is refused before any parsing.
MAX_TOKEN_CHARS = 8192
MAX_JWKS_BYTES = 1 << 20
JWKS_TIMEOUT_SECONDS = 5.0
STATE_KEY = "caller"
ROLE_NAMES = tuple(r.value for r in Role)


class AuthError(UnauthenticatedError):
    """A request without a valid token: HTTP 401 with an RFC 6750 challenge.

    ``error`` is None when no bearer token was presented at all (RFC 6750 §3.1: no error code
    then), else ``invalid_token``. ``reason`` is a short stable word for logs and tests.
    """

    def __init__(self, reason: str, message: str, *, error: str | None = "invalid_token") -> None:
        super().__init__(message)
        self.reason = reason
        self.error = error
        self.token_sha256: str | None = None

    @property
    def www_authenticate(self) -> str:
        if self.error is None:
            return f'Bearer realm="{REALM}"'
        return (
            f'Bearer realm="{REALM}", error="{self.error}", '
            f'error_description="{_header_safe(str(self))}"'
        )

    def body(self) -> dict[str, str]:
        return {
            "error": self.error or "unauthenticated",
            "reason": self.reason,
            "message": str(self),
        }


class KeysUnavailableError(TracegraphError):
    """The provider's signing keys cannot be fetched: the server's problem, not the caller's."""

    code = "AUTH_KEYS_UNAVAILABLE"


def _header_safe(text: str) -> str:
    # RFC 6750 §3: error_description is printable ASCII without '"' and '\'.
    return re.sub(r"[^\x20-\x21\x23-\x5b\x5d-\x7e]", "?", text)[:200]


def _fingerprint(token: str) -> str:
    """What logs say instead of the token: enough to correlate lines, useless to replay."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


# --- settings ------------------------------------------------------------------------------------


def check_auth_settings(settings: Settings) -> None:
    """Raise :class:`ConfigError` if the auth settings cannot work; the app calls it at start-up."""
    if settings.tracegraph_auth_mode == "embedded":
        if settings.tracegraph_auth_secret is None and settings.tracegraph_env == "prod":
            raise ConfigError(
                "TRACEGRAPH_AUTH_SECRET is not set: in prod, embedded tokens need a secret of at "
                "least 32 bytes (for example the output of `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`), or set TRACEGRAPH_AUTH_MODE=oidc with your "
                "provider's issuer, audience and JWKS URL"
            )
        return
    missing = [
        name.upper()
        for name in (
            "tracegraph_oidc_issuer",
            "tracegraph_oidc_audience",
            "tracegraph_oidc_jwks_url",
        )
        if not getattr(settings, name)
    ]
    if missing:
        raise ConfigError(f"TRACEGRAPH_AUTH_MODE=oidc needs {', '.join(missing)}")
    url = urlsplit(settings.tracegraph_oidc_jwks_url or "")
    loopback = url.hostname in {"127.0.0.1", "localhost", "::1"}
    if url.scheme != "https" and not (url.scheme == "http" and loopback):
        raise ConfigError(
            "TRACEGRAPH_OIDC_JWKS_URL must be an https:// URL (http:// only on this machine), "
            f"got {settings.tracegraph_oidc_jwks_url!r}"
        )


def embedded_secret(settings: Settings) -> str:
    """The HS256 secret; in dev without one, the well-known dev secret (logged loudly)."""
    if settings.tracegraph_auth_secret is not None:
        return settings.tracegraph_auth_secret.get_secret_value()
    check_auth_settings(settings)  # raises in prod
    if not _dev_secret_announced:
        _announce_dev_secret()
    return DEV_SECRET


_dev_secret_announced = False


def _announce_dev_secret() -> None:
    """Once per process: every token minted or checked would otherwise repeat it."""
    global _dev_secret_announced  # noqa: PLW0603 - a once-per-process flag
    _dev_secret_announced = True
    log.warning(
        "TRACEGRAPH_AUTH_SECRET is not set: embedded tokens are signed with the public dev "
        "secret, so anyone can mint one. Never run like this outside a developer machine.",
        extra={"event": "auth_dev_secret"},
    )


# --- claims --------------------------------------------------------------------------------------


def claim(claims: Mapping[str, Any], name: str) -> Any:
    """The claim ``name``: a top-level key as is (URL-like names contain dots), else a dotted path
    into nested objects (``realm_access.roles``); None when absent."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _set_claim(claims: dict[str, Any], name: str, value: Any) -> None:
    *parents, last = name.split(".")
    target = claims
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _id_claim(claims: Mapping[str, Any], name: str) -> str | None:
    value = claim(claims, name)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str) and str(value):
        return str(value)
    return None


def caller_from_claims(claims: Mapping[str, Any], settings: Settings) -> Caller:
    """Map verified claims to the caller, with the claim names the settings give."""
    user_name = settings.tracegraph_auth_claim_user
    user = _id_claim(claims, user_name)
    if user is None:
        raise AuthError("claims", f"the token has no user claim '{user_name}'")
    role_name = settings.tracegraph_auth_claim_role
    raw = claim(claims, role_name)
    # Providers often send a list of roles (Keycloak realm_access.roles): the first one we know.
    candidates = raw if isinstance(raw, list) else [raw]
    role = next((Role(v) for v in candidates if isinstance(v, str) and v in ROLE_NAMES), None)
    if role is None:
        raise AuthError(
            "role",
            f"the token's '{role_name}' claim names no tracegraph role "
            f"(one of {', '.join(ROLE_NAMES)})",
        )
    customer = supplier = None
    if role is Role.BUYER:
        customer = _id_claim(claims, settings.tracegraph_auth_claim_customer)
        if customer is None:
            raise AuthError(
                "claims",
                f"a buyer's token must name its customer "
                f"(claim '{settings.tracegraph_auth_claim_customer}')",
            )
    if role is Role.SUPPLIER:
        supplier = _id_claim(claims, settings.tracegraph_auth_claim_supplier)
        if supplier is None:
            raise AuthError(
                "claims",
                f"a supplier's token must name its supplier "
                f"(claim '{settings.tracegraph_auth_claim_supplier}')",
            )
    return Caller(role=role, customer_id=customer, supplier_id=supplier, user_id=user)


# --- embedded tokens -----------------------------------------------------------------------------

_TTL = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_TTL_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_ttl(text: str) -> timedelta:
    """``90s``, ``30m``, ``8h``, ``7d`` or plain seconds."""
    match = _TTL.match(text)
    if not match or int(match[1]) == 0:
        raise ValueError(f"a lifetime looks like 30m, 8h or 7d (more than 0), got {text!r}")
    return timedelta(seconds=int(match[1]) * _TTL_UNITS[match[2]])


def mint_token(
    settings: Settings,
    *,
    role: Role,
    user: str,
    customer: str | None = None,
    supplier: str | None = None,
    ttl: timedelta,
    now: datetime | None = None,
) -> str:
    """An embedded HS256 token that :class:`TokenVerifier` accepts until ``now + ttl``."""
    if settings.tracegraph_auth_mode != "embedded":
        raise ConfigError(
            "TRACEGRAPH_AUTH_MODE is oidc: tokens come from the identity provider, not from here"
        )
    if not user:
        raise InvalidInputError("user: must not be empty")
    if role is Role.BUYER and not customer:
        raise InvalidInputError("customer: a buyer token must name its customer")
    if role is Role.SUPPLIER and not supplier:
        raise InvalidInputError("supplier: a supplier token must name its supplier")
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": EMBEDDED_ISSUER,
        "aud": EMBEDDED_AUDIENCE,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    _set_claim(claims, settings.tracegraph_auth_claim_user, user)
    _set_claim(claims, settings.tracegraph_auth_claim_role, role.value)
    if customer:
        _set_claim(claims, settings.tracegraph_auth_claim_customer, customer)
    if supplier:
        _set_claim(claims, settings.tracegraph_auth_claim_supplier, supplier)
    return jwt.encode(claims, embedded_secret(settings), algorithm=EMBEDDED_ALGORITHM)


# --- provider keys -------------------------------------------------------------------------------


class JwksKeys:
    """The provider's signing keys by ``kid``, fetched in a worker thread.

    An unknown ``kid`` (key rotation) fetches the set again, but at most once per
    ``refresh_seconds``: tokens with made-up kids must not turn into a flood of fetches.
    """

    def __init__(
        self,
        url: str,
        *,
        algorithms: Sequence[str],
        refresh_seconds: float,
        max_age_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._algorithms = frozenset(algorithms)
        self._refresh_seconds = refresh_seconds
        self._max_age_seconds = max_age_seconds
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._last_failure: str | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> jwt.PyJWK:
        if self._stale():
            async with self._lock:
                if self._stale() and self._may_fetch():
                    await self._refresh("max age" if self._keys else "first use")
        key = self._keys.get(kid)
        if key is not None:
            return key
        async with self._lock:
            # Another request may have fetched the set while this one waited for the lock.
            key = self._keys.get(kid)
            if key is None and self._may_fetch():
                await self._refresh("unknown kid")
                key = self._keys.get(kid)
        if key is not None:
            return key
        if self._fetched_at is None:
            raise KeysUnavailableError(
                f"the signing keys at {self.url} could not be fetched: {self._last_failure}"
            )
        raise AuthError("unknown_key", "the token is signed with a key the provider does not list")

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self._max_age_seconds

    def _may_fetch(self) -> bool:
        return (
            self._attempted_at is None
            or self._clock() - self._attempted_at >= self._refresh_seconds
        )

    async def _refresh(self, why: str) -> None:
        self._attempted_at = self._clock()
        try:
            keys = await asyncio.to_thread(self._fetch)
        except (OSError, ValueError) as e:
            self._last_failure = str(e) or type(e).__name__
            # Keys already held stay in use: a provider outage must not sign everyone out.
            log.error(
                "JWKS fetch failed",
                extra={"event": "jwks_fetch_failed", "url": self.url, "why": why, "error": str(e)},
            )
            if self._fetched_at is None:
                raise KeysUnavailableError(
                    f"the signing keys at {self.url} could not be fetched: {self._last_failure}"
                ) from e
            return
        self._keys = keys
        self._fetched_at = self._clock()
        log.info(
            "JWKS fetched",
            extra={"event": "jwks_fetched", "url": self.url, "why": why, "kids": sorted(keys)},
        )

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        request = urllib.request.Request(  # noqa: S310 (https, or http on loopback: checked at start-up)
            self.url, headers={"Accept": "application/json", "User-Agent": "tracegraph"}
        )
        with urllib.request.urlopen(request, timeout=JWKS_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_JWKS_BYTES + 1)
        if len(body) > MAX_JWKS_BYTES:
            raise ValueError(f"the key set is larger than {MAX_JWKS_BYTES} bytes")
        document = json.loads(body)
        entries = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise ValueError("the document has no 'keys' list")
        keys: dict[str, jwt.PyJWK] = {}
        for entry in entries:
            if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                continue
            kid = entry.get("kid")
            if not isinstance(kid, str):
                continue
            try:
                key = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue  # a key type this PyJWT cannot use is no key of ours
            # The key fixes its algorithm, so a pinned list here is what tokens can use.
            if key.algorithm_name in self._algorithms:
                keys[kid] = key
        return keys


# --- verification --------------------------------------------------------------------------------


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization`` header value, or :class:`AuthError`."""
    if header is None or not header.strip():
        raise AuthError(
            "missing",
            "this endpoint needs a bearer token: send 'Authorization: Bearer <token>'",
            error=None,
        )
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        # RFC 6750 §3.1: another scheme is the same as no credentials; no error code.
        raise AuthError(
            "scheme",
            f"the Authorization header uses the {scheme[:20]!r} scheme; send 'Bearer <token>'",
            error=None,
        )
    token = token.strip()
    if not token or " " in token:
        raise AuthError("malformed", "the Authorization header must be 'Bearer <token>'")
    if len(token) > MAX_TOKEN_CHARS:
        raise AuthError("malformed", f"the token is longer than {MAX_TOKEN_CHARS} characters")
    return token


def _auth_error(e: jwt.PyJWTError) -> AuthError:
    # Subclasses before their bases: ExpiredSignatureError is an InvalidTokenError, and so on.
    table: tuple[tuple[type[jwt.PyJWTError], str, str], ...] = (
        (jwt.ExpiredSignatureError, "expired", "the token has expired; sign in again"),
        (jwt.ImmatureSignatureError, "not_yet_valid", "the token is not valid yet"),
        (jwt.InvalidAudienceError, "audience", "the token is meant for another audience"),
        (
            jwt.InvalidIssuerError,
            "issuer",
            "the token comes from an issuer this API does not trust",
        ),
        (jwt.MissingRequiredClaimError, "claims", ""),
        (jwt.InvalidAlgorithmError, "algorithm", "the token's signing algorithm is not accepted"),
        (jwt.InvalidSignatureError, "signature", "the token's signature does not verify"),
        (jwt.DecodeError, "malformed", "the token is not a well-formed JWT"),
    )
    for kind, reason, message in table:
        if isinstance(e, kind):
            return AuthError(reason, message or str(e))
    return AuthError("invalid", "the token is not valid")


@dataclass
class _Cached:
    caller: Caller
    expires: float


class TokenVerifier:
    """Verifies bearer tokens as the settings say; one per process (it holds the caches)."""

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.time) -> None:
        check_auth_settings(settings)
        self.settings = settings
        self._clock = clock
        self._leeway = settings.tracegraph_auth_leeway_seconds
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._cache_size = settings.tracegraph_auth_cache_size
        self._jwks: JwksKeys | None = None
        self._secret: str | None = None
        if settings.tracegraph_auth_mode == "oidc":
            assert settings.tracegraph_oidc_jwks_url is not None  # check_auth_settings
            self._algorithms = list(settings.tracegraph_oidc_algorithms)
            self._issuer = settings.tracegraph_oidc_issuer
            self._audience = settings.tracegraph_oidc_audience
            self._jwks = JwksKeys(
                settings.tracegraph_oidc_jwks_url,
                algorithms=self._algorithms,
                refresh_seconds=settings.tracegraph_oidc_jwks_refresh_seconds,
                max_age_seconds=settings.tracegraph_oidc_jwks_max_age_seconds,
            )
        else:
            self._algorithms = [EMBEDDED_ALGORITHM]
            self._issuer = EMBEDDED_ISSUER
            self._audience = EMBEDDED_AUDIENCE
            self._secret = embedded_secret(settings)

    async def verify_header(self, header: str | None) -> Caller:
        return await self.verify(bearer_token(header))

    async def verify(self, token: str) -> Caller:
        """The caller a token stands for, or :class:`AuthError` (with the token's fingerprint)."""
        cached = self._cache.get(token)
        if cached is not None:
            if self._clock() < cached.expires:
                self._cache.move_to_end(token)
                return cached.caller
            del self._cache[token]
        try:
            caller, expires = await self._verify(token)
        except AuthError as e:
            e.token_sha256 = _fingerprint(token)
            raise
        if self._cache_size:
            self._cache[token] = _Cached(caller, expires)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return caller

    async def _verify(self, token: str) -> tuple[Caller, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as e:
            raise _auth_error(e) from e
        alg = header.get("alg")
        # Checked before any key is chosen: alg "none", and HS256 signed with a provider's public
        # key (algorithm confusion), never reach a signature check.
        if alg not in self._algorithms:
            raise AuthError(
                "algorithm",
                f"tokens signed with {str(alg)[:10]!r} are not accepted "
                f"(accepted: {', '.join(self._algorithms)})",
            )
        key: jwt.PyJWK | str
        if self._jwks is not None:
            kid = header.get("kid")
            if not isinstance(kid, str) or not kid:
                raise AuthError("unknown_key", "the token's header names no signing key (kid)")
            key = await self._jwks.key(kid)
        else:
            assert self._secret is not None
            key = self._secret
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={
                    "require": ["exp", "iss", "aud"],
                    "enforce_minimum_key_length": True,
                },
            )
        except jwt.PyJWTError as e:
            raise _auth_error(e) from e
        return caller_from_claims(claims, self.settings), float(claims["exp"])


# --- ASGI ----------------------------------------------------------------------------------------


def protects(prefixes: Sequence[str], path: str) -> bool:
    """Whether ``path`` is a prefix or below one (``/graphql/x``, not ``/graphqlx``)."""
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


def log_auth_failure(error: AuthError, *, path: str, client: str | None) -> None:
    log.warning(
        "authentication failed",
        extra={
            "event": "auth_failed",
            "reason": error.reason,
            "detail": str(error),
            "path": path,
            "client": client,
            "token_sha256": error.token_sha256,
        },
    )


def request_caller(scope: Scope) -> Caller | None:
    """The caller :class:`AuthMiddleware` put into the request (``request.state.caller``)."""
    caller = scope.get("state", {}).get(STATE_KEY)
    return caller if isinstance(caller, Caller) else None


class AuthMiddleware:
    """Refuses HTTP requests to data paths without a valid token; others pass untouched.

    A plain ASGI middleware (as RequestIdMiddleware, for the same reason: no task group per
    request). Websockets pass through: their token arrives in the GraphQL ``connection_init``
    payload, which the GraphQL layer verifies with :meth:`TokenVerifier.verify`.
    """

    def __init__(
        self, app: ASGIApp, verifier: TokenVerifier, *, paths: Sequence[str] | None = None
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.paths = tuple(paths if paths is not None else verifier.settings.tracegraph_auth_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not protects(self.paths, scope["path"]):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        try:
            caller = await self.verifier.verify_header(Headers(scope=scope).get("authorization"))
        except AuthError as e:
            log_auth_failure(e, path=scope["path"], client=client[0] if client else None)
            response = JSONResponse(
                e.body(),
                status_code=401,
                headers={"WWW-Authenticate": e.www_authenticate, "Cache-Control": "no-store"},
            )
            await response(scope, receive, send)
            return
        except KeysUnavailableError as e:
            response = JSONResponse(
                {"error": "temporarily_unavailable", "message": str(e)},
                status_code=503,
                headers={"Retry-After": "5"},
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})[STATE_KEY] = caller
        await self.app(scope, receive, send)

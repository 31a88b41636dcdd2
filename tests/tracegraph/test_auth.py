"""Bearer-token authentication over real HTTP: uvicorn + AuthMiddleware, and a real JWKS server."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from resolvers.context import Caller, Role
from tests.tracegraph.auth_support import (
    AUDIENCE,
    ISSUER,
    JwksServer,
    SigningKey,
    claims,
    ec_key,
    get,
    hand_signed,
    jwks_server,
    rsa_key,
    serve,
)
from tracegraph import cli
from tracegraph.auth import (
    DEV_SECRET,
    AuthError,
    TokenVerifier,
    check_auth_settings,
    mint_token,
    parse_ttl,
)
from tracegraph.errors import ConfigError
from tracegraph.settings import Settings, load_settings

SECRET = "a-test-secret-of-more-than-32-bytes-0123456789"
INVALID = 'Bearer realm="tracegraph", error="invalid_token", error_description='


def oidc_settings(jwks_url: str, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "tracegraph_auth_mode": "oidc",
        "tracegraph_oidc_issuer": ISSUER,
        "tracegraph_oidc_audience": AUDIENCE,
        "tracegraph_oidc_jwks_url": jwks_url,
        "tracegraph_auth_leeway_seconds": 0,
    }
    base.update(overrides)
    return load_settings(env_file=None, **base)


def embedded_settings(**overrides: Any) -> Settings:
    base: dict[str, Any] = {"tracegraph_auth_secret": SECRET, "tracegraph_auth_leeway_seconds": 0}
    base.update(overrides)
    return load_settings(env_file=None, **base)


@pytest.fixture(scope="module")
def rs() -> SigningKey:
    return rsa_key("rsa-1")


@pytest.fixture(scope="module")
def es() -> SigningKey:
    return ec_key("ec-1")


@pytest.fixture(scope="module")
def idp(rs: SigningKey, es: SigningKey) -> Iterator[JwksServer]:
    with jwks_server(rs, es) as server:
        yield server


@pytest.fixture(scope="module")
def api(idp: JwksServer) -> Iterator[str]:
    with serve(oidc_settings(idp.url)) as url:
        yield url


def assert_refused(answer: Any, reason: str) -> None:
    assert answer.status == 401, answer.body
    assert answer.headers["www-authenticate"].startswith(INVALID), answer.headers
    assert answer.body["error"] == "invalid_token"
    assert answer.body["reason"] == reason, answer.body
    assert answer.body["message"]


# --- the challenge --------------------------------------------------------------------------------


def test_no_token_is_401_with_a_bare_challenge(api: str) -> None:
    answer = get(f"{api}/graphql")
    assert answer.status == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="tracegraph"'
    assert answer.body["error"] == "unauthenticated"
    assert "Authorization: Bearer" in answer.body["message"]


def test_another_scheme_counts_as_no_token(api: str) -> None:
    answer = get(f"{api}/graphql", authorization="Basic dXNlcjpwYXNz")
    assert answer.status == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="tracegraph"'
    assert answer.body["reason"] == "scheme"


def test_health_and_unlisted_paths_stay_open(api: str) -> None:
    assert get(f"{api}/healthz").status == 200
    assert get(f"{api}/graphqlx").body == {"status": "ok", "caller": False}
    assert get(f"{api}/graphql/sub").status == 401


@pytest.mark.parametrize("value", ["Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Bearer a b"])
def test_malformed_token(api: str, value: str) -> None:
    assert_refused(get(f"{api}/graphql", authorization=value), "malformed")


# --- OIDC tokens ---------------------------------------------------------------------------------


def test_valid_rs256_token_gives_the_caller(api: str, rs: SigningKey) -> None:
    answer = get(f"{api}/graphql", token=rs.sign(claims()))
    assert answer.status == 200
    assert answer.body == {
        "role": "buyer",
        "user": "U-001",
        "customer": "CUST-001",
        "supplier": None,
    }


def test_valid_es256_token_gives_the_caller(api: str, es: SigningKey) -> None:
    token = es.sign(claims(role="supplier", customer=None, supplier="SUP-002", sub="U-9"))
    answer = get(f"{api}/graphql/sub", token=token)
    assert answer.status == 200
    assert answer.body == {
        "role": "supplier",
        "user": "U-9",
        "customer": None,
        "supplier": "SUP-002",
    }


def test_expired_token(api: str, rs: SigningKey) -> None:
    now = int(time.time())
    assert_refused(get(f"{api}/graphql", token=rs.sign(claims(exp=now - 5))), "expired")


def test_token_not_valid_yet(api: str, rs: SigningKey) -> None:
    now = int(time.time())
    assert_refused(get(f"{api}/graphql", token=rs.sign(claims(nbf=now + 300))), "not_yet_valid")


def test_bad_signature(api: str, rs: SigningKey) -> None:
    impostor = rsa_key(rs.kid)  # same kid, another private key
    assert_refused(get(f"{api}/graphql", token=impostor.sign(claims())), "signature")


def test_wrong_audience(api: str, rs: SigningKey) -> None:
    assert_refused(get(f"{api}/graphql", token=rs.sign(claims(aud="another-api"))), "audience")


def test_wrong_issuer(api: str, rs: SigningKey) -> None:
    token = rs.sign(claims(iss="https://evil.test/"))
    assert_refused(get(f"{api}/graphql", token=token), "issuer")


def test_missing_exp(api: str, rs: SigningKey) -> None:
    assert_refused(get(f"{api}/graphql", token=rs.sign(claims(exp=None))), "claims")


def test_alg_none(api: str, rs: SigningKey) -> None:
    token = hand_signed({"alg": "none", "typ": "JWT", "kid": rs.kid}, claims(), None)
    assert_refused(get(f"{api}/graphql", token=token), "algorithm")


def test_alg_confusion_hs256_over_the_public_key(api: str, rs: SigningKey) -> None:
    public_pem = rs.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = hand_signed({"alg": "HS256", "typ": "JWT", "kid": rs.kid}, claims(), public_pem)
    assert_refused(get(f"{api}/graphql", token=token), "algorithm")


def test_refused_algorithms_never_cost_a_key_fetch(rs: SigningKey) -> None:
    with (
        jwks_server(rs) as idp,
        serve(oidc_settings(idp.url, tracegraph_oidc_jwks_refresh_seconds=0)) as api,
    ):
        assert get(f"{api}/graphql", token=rs.sign(claims())).status == 200
        for alg in ("none", "HS256"):
            token = hand_signed({"alg": alg, "kid": f"new-{alg}"}, claims(), b"k" * 32)
            assert_refused(get(f"{api}/graphql", token=token), "algorithm")
        assert idp.fetches == 1


def test_token_alg_must_match_its_key(api: str, es: SigningKey) -> None:
    # An RS256 token naming the EC key's kid: the key fixes the algorithm.
    other = rsa_key(es.kid)
    assert_refused(get(f"{api}/graphql", token=other.sign(claims())), "algorithm")


def test_no_kid(api: str, rs: SigningKey) -> None:
    token = jwt.encode(claims(), rs.private, algorithm="RS256")
    assert_refused(get(f"{api}/graphql", token=token), "unknown_key")


def test_unknown_role_and_missing_tenant_claims(api: str, rs: SigningKey) -> None:
    assert_refused(get(f"{api}/graphql", token=rs.sign(claims(role="root"))), "role")
    assert_refused(get(f"{api}/graphql", token=rs.sign(claims(customer=None))), "claims")
    token = rs.sign(claims(role="supplier", customer="CUST-001"))
    assert_refused(get(f"{api}/graphql", token=token), "claims")
    assert_refused(get(f"{api}/graphql", token=rs.sign(claims(sub=None))), "claims")


def test_failures_are_logged_with_a_reason_and_without_the_token(
    api: str, rs: SigningKey, caplog: pytest.LogCaptureFixture
) -> None:
    token = rs.sign(claims(aud="another-api"))
    with caplog.at_level(logging.WARNING, logger="tracegraph.auth"):
        get(f"{api}/graphql", token=token)
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "auth_failed"]
    assert record.reason == "audience"  # type: ignore[attr-defined]
    assert record.path == "/graphql"  # type: ignore[attr-defined]
    assert len(record.token_sha256) == 16  # type: ignore[attr-defined]
    assert token not in str(record.__dict__)
    assert token.split(".")[2] not in str(record.__dict__)


# --- key rotation --------------------------------------------------------------------------------


def test_unknown_kid_refetches_the_key_set_once() -> None:
    first, second = rsa_key("k1"), ec_key("k2")
    with (
        jwks_server(first) as idp,
        serve(oidc_settings(idp.url, tracegraph_oidc_jwks_refresh_seconds=0)) as api,
    ):
        assert get(f"{api}/graphql", token=first.sign(claims())).status == 200
        assert idp.fetches == 1
        idp.publish(first, second)  # the provider rotates in a new key
        assert get(f"{api}/graphql", token=second.sign(claims())).status == 200
        assert idp.fetches == 2
        assert get(f"{api}/graphql", token=second.sign(claims(sub="U-2"))).status == 200
        assert get(f"{api}/graphql", token=first.sign(claims(sub="U-3"))).status == 200
        assert idp.fetches == 2


def test_refetch_is_rate_limited() -> None:
    first, second = rsa_key("k1"), rsa_key("k2")
    with (
        jwks_server(first) as idp,
        serve(oidc_settings(idp.url, tracegraph_oidc_jwks_refresh_seconds=60)) as api,
    ):
        assert get(f"{api}/graphql", token=first.sign(claims())).status == 200
        idp.publish(first, second)
        for n in range(5):
            made_up = rsa_key(f"made-up-{n}") if n == 0 else second
            assert_refused(get(f"{api}/graphql", token=made_up.sign(claims())), "unknown_key")
        assert idp.fetches == 1


def test_key_fetch_does_not_block_the_event_loop(rs: SigningKey) -> None:
    with jwks_server(rs) as idp, serve(oidc_settings(idp.url)) as api:
        # A wide gap between the fetch's delay and the bound: a busy machine slows /healthz a
        # little, a blocked event loop makes it wait the whole delay.
        idp.delay_seconds = 5.0
        slow = threading.Thread(
            target=get, args=(f"{api}/graphql",), kwargs={"token": rs.sign(claims())}
        )
        slow.start()
        time.sleep(0.2)  # the token request is now waiting for the key set
        started = time.perf_counter()
        assert get(f"{api}/healthz").status == 200
        elapsed = time.perf_counter() - started
        slow.join()
        assert idp.fetches == 1
        assert elapsed < 2.5, f"/healthz waited {elapsed:.2f} s behind the JWKS fetch"


def test_unreachable_key_set_is_503_not_401(rs: SigningKey) -> None:
    with jwks_server(rs) as idp:
        url = idp.url
    with serve(oidc_settings(url)) as api:  # the JWKS server is gone now
        answer = get(f"{api}/graphql", token=rs.sign(claims()))
    assert answer.status == 503
    assert answer.body["error"] == "temporarily_unavailable"
    assert url in answer.body["message"]


async def test_stale_keys_stay_in_use_while_the_provider_is_down(rs: SigningKey) -> None:
    with jwks_server(rs) as idp:
        settings = oidc_settings(
            idp.url,
            tracegraph_oidc_jwks_max_age_seconds=0.01,
            tracegraph_oidc_jwks_refresh_seconds=0,
        )
        verifier = TokenVerifier(settings)
        await verifier.verify(rs.sign(claims()))
    await asyncio.sleep(0.05)  # the keys are now older than their max age, the provider gone
    caller = await verifier.verify(rs.sign(claims(sub="U-2")))
    assert caller.user_id == "U-2"


# --- claim mapping -------------------------------------------------------------------------------


async def test_claim_names_map_a_providers_layout(rs: SigningKey, idp: JwksServer) -> None:
    settings = oidc_settings(
        idp.url,
        tracegraph_auth_claim_user="preferred_username",
        tracegraph_auth_claim_role="realm_access.roles",
        tracegraph_auth_claim_customer="https://tracegraph.example/customer",
    )
    verifier = TokenVerifier(settings)
    token = rs.sign(
        claims(
            role=None,
            customer=None,
            preferred_username="alice",
            realm_access={"roles": ["offline_access", "buyer", "admin"]},
            **{"https://tracegraph.example/customer": "CUST-007"},
        )
    )
    caller = await verifier.verify(token)
    assert caller == Caller(role=Role.BUYER, customer_id="CUST-007", user_id="alice")
    with pytest.raises(AuthError) as e:
        await verifier.verify(rs.sign(claims(preferred_username="bob")))  # roles where "role" was
    assert e.value.reason == "role"


# --- embedded tokens -----------------------------------------------------------------------------


def test_cli_mints_a_token_the_api_accepts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, rs: SigningKey
) -> None:
    monkeypatch.setenv("TRACEGRAPH_AUTH_SECRET", SECRET)
    argv = ["token", "create", "--role", "buyer", "--customer", "CUST-001", "--user", "U-001"]
    assert cli.main([*argv, "--ttl", "8h"]) == 0
    token = capsys.readouterr().out.strip()
    with serve(embedded_settings()) as api:
        answer = get(f"{api}/graphql", token=token)
        assert answer.status == 200
        assert answer.body == {
            "role": "buyer",
            "user": "U-001",
            "customer": "CUST-001",
            "supplier": None,
        }
        forged = jwt.encode(jwt.decode(token, options={"verify_signature": False}), "x" * 40)
        assert_refused(get(f"{api}/graphql", token=forged), "signature")
        # A provider's token means nothing to the embedded mode.
        assert_refused(get(f"{api}/graphql", token=rs.sign(claims())), "algorithm")
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert abs(exp - (time.time() + 8 * 3600)) < 60


def test_cli_refuses_a_buyer_without_customer(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["token", "create", "--role", "buyer", "--user", "U-1"]) == 2
    assert "customer" in capsys.readouterr().err


def test_cli_refuses_to_mint_in_prod_without_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACEGRAPH_ENV", "prod")
    monkeypatch.delenv("TRACEGRAPH_AUTH_SECRET", raising=False)
    assert cli.main(["token", "create", "--role", "admin", "--user", "U-1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "TRACEGRAPH_AUTH_SECRET is not set" in captured.err


async def test_embedded_tokens_follow_the_claim_names() -> None:
    settings = embedded_settings(
        tracegraph_auth_claim_role="tg.role", tracegraph_auth_claim_supplier="tg.supplier"
    )
    token = mint_token(
        settings, role=Role.SUPPLIER, user="U-5", supplier="SUP-1", ttl=parse_ttl("1h")
    )
    assert jwt.decode(token, options={"verify_signature": False})["tg"] == {
        "role": "supplier",
        "supplier": "SUP-1",
    }
    assert await TokenVerifier(settings).verify(token) == Caller(
        role=Role.SUPPLIER, supplier_id="SUP-1", user_id="U-5"
    )


async def test_leeway_bounds_the_clock_skew() -> None:
    past = datetime.now(UTC) - timedelta(hours=1, seconds=10)
    token = mint_token(
        embedded_settings(), role=Role.ADMIN, user="U-1", ttl=timedelta(hours=1), now=past
    )
    lenient = TokenVerifier(embedded_settings(tracegraph_auth_leeway_seconds=30))
    assert (await lenient.verify(token)).role is Role.ADMIN
    with pytest.raises(AuthError) as e:
        await TokenVerifier(embedded_settings()).verify(token)
    assert e.value.reason == "expired"


def test_parse_ttl() -> None:
    assert parse_ttl("8h") == timedelta(hours=8)
    assert parse_ttl("30m") == timedelta(minutes=30)
    assert parse_ttl("7d") == timedelta(days=7)
    assert parse_ttl("90") == timedelta(seconds=90)
    for bad in ("0h", "8w", "-1h", "h", ""):
        with pytest.raises(ValueError, match="lifetime"):
            parse_ttl(bad)


# --- the cache -----------------------------------------------------------------------------------


async def test_cache_returns_the_same_caller_until_the_token_expires() -> None:
    verifier = TokenVerifier(embedded_settings())
    token = mint_token(embedded_settings(), role=Role.ANALYST, user="U-1", ttl=timedelta(seconds=2))
    first = await verifier.verify(token)
    assert await verifier.verify(token) is first  # a fresh verification builds a new Caller
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    await asyncio.sleep(max(0.0, exp - time.time()) + 0.05)
    with pytest.raises(AuthError) as e:
        await verifier.verify(token)
    assert e.value.reason == "expired"


async def test_cache_is_bounded() -> None:
    settings = embedded_settings(tracegraph_auth_cache_size=2)
    verifier = TokenVerifier(settings)
    tokens = [
        mint_token(settings, role=Role.ADMIN, user=f"U-{n}", ttl=timedelta(hours=1))
        for n in range(3)
    ]
    callers = [await verifier.verify(t) for t in tokens]
    assert await verifier.verify(tokens[2]) is callers[2]
    assert await verifier.verify(tokens[0]) is not callers[0]  # evicted, verified anew


# --- settings ------------------------------------------------------------------------------------


def test_prod_without_secret_refuses_to_start() -> None:
    settings = load_settings(env_file=None, tracegraph_env="prod")
    with pytest.raises(ConfigError, match="TRACEGRAPH_AUTH_SECRET is not set"):
        check_auth_settings(settings)
    with pytest.raises(ConfigError, match="TRACEGRAPH_AUTH_SECRET"):
        TokenVerifier(settings)
    check_auth_settings(
        load_settings(env_file=None, tracegraph_env="prod", tracegraph_auth_secret=SECRET)
    )


def test_dev_without_secret_uses_the_dev_secret_loudly_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracegraph.auth

    monkeypatch.setattr(tracegraph.auth, "_dev_secret_announced", False)
    settings = load_settings(env_file=None)
    with caplog.at_level(logging.WARNING, logger="tracegraph.auth"):
        token = mint_token(settings, role=Role.ADMIN, user="U-1", ttl=timedelta(minutes=5))
        mint_token(settings, role=Role.ADMIN, user="U-2", ttl=timedelta(minutes=5))
    assert (
        jwt.decode(token, DEV_SECRET, algorithms=["HS256"], audience="tracegraph")["sub"] == "U-1"
    )
    assert sum("anyone can mint" in r.getMessage() for r in caplog.records) == 1


def test_oidc_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="TRACEGRAPH_OIDC_ISSUER, TRACEGRAPH_OIDC_AUDIENCE"):
        check_auth_settings(
            load_settings(
                env_file=None,
                tracegraph_auth_mode="oidc",
                tracegraph_oidc_jwks_url="https://idp.test/certs",
            )
        )
    with pytest.raises(ConfigError, match="https://"):
        check_auth_settings(oidc_settings("http://idp.test/certs"))
    check_auth_settings(oidc_settings("https://idp.test/certs"))
    check_auth_settings(oidc_settings("http://127.0.0.1:1/certs"))


def test_auth_settings_reject_weak_or_unknown_values() -> None:
    with pytest.raises(ConfigError, match=r"TRACEGRAPH_AUTH_SECRET: .*at least 32 bytes"):
        load_settings(env_file=None, tracegraph_auth_secret="short")
    with pytest.raises(ConfigError, match="TRACEGRAPH_OIDC_ALGORITHMS"):
        load_settings(env_file=None, tracegraph_oidc_algorithms="RS256,HS256")
    with pytest.raises(ConfigError, match="TRACEGRAPH_AUTH_PATHS"):
        load_settings(env_file=None, tracegraph_auth_paths="graphql")


def test_list_settings_read_comma_separated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACEGRAPH_AUTH_PATHS", "/graphql, /export")
    monkeypatch.setenv("TRACEGRAPH_OIDC_ALGORITHMS", "ES256")
    settings = load_settings(env_file=None)
    assert settings.tracegraph_auth_paths == ("/graphql", "/export")
    assert settings.tracegraph_oidc_algorithms == ("ES256",)

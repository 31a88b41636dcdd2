"""Configuration, read once at start-up from the environment and ``.env``.

Nothing here is read at import time: call :func:`load_settings` where a process starts
(CLI command, ASGI factory, test session) and pass the result down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph.analytics import DEFAULT_RATINGS, RatingThreshold
from tracegraph.access import Role
from tracegraph.blobs import SIGNATURES
from tracegraph.errors import ConfigError

NEO4J_URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

Port = Annotated[int, Field(ge=1, le=65535)]
# Neo4j memory sizes as neo4j.conf spells them: 512m, 2g, 1500k.
MemorySize = Annotated[str, Field(pattern=r"^[0-9]+[kmgKMG]$")]


class Settings(BaseSettings):
    """Every setting of tracegraph; environment names are the field names in upper case."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    neo4j_uri: str = Field(
        default="bolt://127.0.0.1:7687",
        description="Where Neo4j's Bolt endpoint is; neo4j:// and neo4j+s:// (Aura) work too.",
    )
    neo4j_user: str = Field(default="neo4j", min_length=1)
    neo4j_password: SecretStr = Field(default=SecretStr("tracegraph-local"))
    neo4j_database: str = Field(default="neo4j", pattern=r"^[A-Za-z][A-Za-z0-9.\-]{2,62}$")
    neo4j_max_pool_size: int = Field(default=50, ge=1, le=1000)
    neo4j_retry_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long transient failures (leader switch, deadlock) are retried.",
    )
    neo4j_tx_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Upper bound of every API transaction."
    )

    tracegraph_host: str = Field(default="127.0.0.1", min_length=1)
    tracegraph_port: Port = 8000
    tracegraph_env: Literal["dev", "prod"] = "dev"

    @property
    def introspection(self) -> bool:
        """Whether the schema answers introspection (and suggests names in its errors)."""
        if self.graphql_introspection is not None:
            return self.graphql_introspection
        return self.tracegraph_env == "dev"

    tracegraph_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    tracegraph_migrate_on_serve: bool = True
    tracegraph_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes serving the port (`serve --workers`); each has its own driver.",
    )

    # GraphQL limits: exceeding one is a GraphQL error with a stable extensions.code.
    graphql_max_depth: int = Field(
        default=12, ge=2, description="Deepest selection nesting (QUERY_TOO_DEEP)."
    )
    graphql_max_aliases: int = Field(
        default=30, ge=1, description="Most aliases in one document (TOO_MANY_ALIASES)."
    )
    graphql_max_tokens: int = Field(
        default=2000, ge=10, description="Most tokens in one document (TOO_MANY_TOKENS)."
    )
    graphql_max_page_size: int = Field(
        default=100, ge=1, le=1000, description="Largest `first` of a list (PAGE_SIZE_EXCEEDED)."
    )
    # Why these defaults (cost = most objects an answer could hold, schema/cost.py): the examples
    # of docs/api.md, the screens the web app is built from, cost 84 to 1,022; a whole forward
    # trace with a full serial page (10,000) and the largest subgraph (5,000) about 20,000; a page
    # of 100 orders with their batches' lots and suppliers 82,101 (tests/schema/test_cost.py runs
    # it). So 200,000 leaves the real queries room and still refuses a page of 100 with three
    # lists nested under it (over 800,000 at 20 each); admin and analyst, who explore the whole
    # graph, may run that one (1,000,000) but not a fourth level.
    graphql_max_cost: int = Field(
        default=200_000,
        ge=1,
        description="Most objects a query may return at worst (QUERY_TOO_COSTLY; schema/cost.py).",
    )
    graphql_max_cost_by_role: Annotated[dict[str, int], NoDecode] = Field(
        default={"admin": 1_000_000, "analyst": 1_000_000},
        description="Roles with a limit of their own, as role=limit pairs, comma-separated.",
    )
    graphql_cost_list_size: int = Field(
        default=20, ge=1, description="Objects assumed per list without a page size (cost)."
    )
    graphql_cache_size: int = Field(
        default=256, ge=0, description="Parsed and validated documents kept per process."
    )
    graphql_introspection: bool | None = Field(
        default=None,
        description="Answer introspection and suggest field names in errors; unset: on in dev,"
        " off in prod.",
    )
    tracegraph_body_timeout_seconds: float = Field(
        default=10.0, gt=0, description="How long a request body may take to arrive (HTTP 408)."
    )
    tracegraph_header_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a request's line and headers may take to arrive (HTTP 408).",
    )
    tracegraph_max_concurrent_requests: int = Field(
        default=64, ge=1, description="GraphQL requests in flight per worker (then HTTP 503)."
    )
    graphql_max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body on /graphql (HTTP 413)."
    )
    graphql_max_query_chars: int = Field(
        default=20_000, ge=100, description="Longest query text (HTTP 413, QUERY_TOO_LONG)."
    )

    # The project-local Neo4j server (``tracegraph db ...``).
    tracegraph_data_dir: Path = Field(default=Path(".tracegraph"))
    tracegraph_cache_dir: Path = Field(default=Path.home() / ".cache" / "tracegraph")
    neo4j_bolt_port: Port = 7687
    neo4j_http_port: Port = 7474
    neo4j_heap_size: MemorySize = "2g"
    neo4j_pagecache_size: MemorySize = "4g"
    neo4j_start_timeout_seconds: float = Field(default=120.0, gt=0)

    # Documents and photos (uploadDocument): files by content hash, metadata in the graph.
    tracegraph_documents_dir: Path | None = Field(
        default=None, description="Where uploaded files are kept; default <data dir>/documents."
    )
    tracegraph_max_upload_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        le=1024**3,
        description="Largest file one upload may carry (a larger one is refused, nothing kept).",
    )
    tracegraph_upload_types: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("image/jpeg", "image/png", "application/pdf"),
        description="Content types an upload may have, comma-separated (of those three).",
    )
    # Mass balance (massBalance): the figure quality auditors quote.
    tracegraph_mass_balance_tolerance_percent: float = Field(
        default=5.0,
        ge=0,
        le=100,
        description="A lot whose unexplained difference exceeds this percentage of what it"
        " received (either way) is flagged.",
    )

    @field_validator("neo4j_uri")
    @classmethod
    def _uri_has_neo4j_scheme(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in NEO4J_URI_SCHEMES or not parts.hostname:
            raise ValueError(
                f"must look like bolt://host:7687 or neo4j+s://host (schemes: "
                f"{', '.join(NEO4J_URI_SCHEMES)}), got {value!r}"
            )
        return value

    @field_validator("neo4j_password")
    @classmethod
    def _password_not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value():
            raise ValueError("must not be empty")
        return value

    @property
    def documents_dir(self) -> Path:
        given = self.tracegraph_documents_dir
        return (given.expanduser() if given else self.data_dir / "documents").resolve()

    @property
    def data_dir(self) -> Path:
        return self.tracegraph_data_dir.expanduser().resolve()

    @property
    def cache_dir(self) -> Path:
        return self.tracegraph_cache_dir.expanduser().resolve()

    # Authentication (tracegraph.auth): who is asking, from an `Authorization: Bearer` JWT.
    tracegraph_auth_mode: Literal["embedded", "oidc"] = Field(
        default="embedded",
        description="embedded: HS256 tokens minted by `tracegraph token create`; oidc: a provider.",
    )
    tracegraph_auth_secret: SecretStr | None = Field(
        default=None, description="The HS256 secret of embedded tokens (required in prod)."
    )
    tracegraph_oidc_issuer: str | None = Field(default=None, description="Expected `iss`.")
    tracegraph_oidc_audience: str | None = Field(default=None, description="Expected `aud`.")
    tracegraph_oidc_jwks_url: str | None = Field(
        default=None, description="Where the provider publishes its signing keys."
    )
    tracegraph_oidc_algorithms: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("RS256", "ES256"), description="Accepted signing algorithms, comma-separated."
    )
    tracegraph_oidc_jwks_refresh_seconds: float = Field(
        default=60.0,
        ge=0,
        description="Least time between two JWKS fetches caused by an unknown `kid`.",
    )
    tracegraph_oidc_jwks_max_age_seconds: float = Field(
        default=3600.0, gt=0, description="Keys older than this are fetched again."
    )
    tracegraph_auth_leeway_seconds: float = Field(
        default=30.0, ge=0, le=300, description="Clock skew allowed on exp, nbf and iat."
    )
    tracegraph_auth_claim_user: str = Field(default="sub", min_length=1)
    tracegraph_auth_claim_role: str = Field(default="role", min_length=1)
    tracegraph_auth_claim_customer: str = Field(default="customer", min_length=1)
    tracegraph_auth_claim_supplier: str = Field(default="supplier", min_length=1)
    tracegraph_auth_paths: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("/graphql", "/documents", "/exports", "/reports"),
        description="Path prefixes that serve data and so need a token, comma-separated.",
    )
    tracegraph_cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Origins (scheme://host[:port]) whose browser pages may call the API, "
        "comma-separated; none by default.",
    )
    tracegraph_auth_cache_size: int = Field(
        default=4096, ge=0, description="Verified tokens kept per process (0: no cache)."
    )

    # Supplier rating (analytics scorecards, docs/api.md): the first grade whose defect rate
    # (PPM) and on-time delivery (%) a supplier meets; D when it meets none. Defaults: A 1,000
    # PPM / 95 %, B 5,000 / 90 %, C 20,000 / 75 % (graph/analytics.py DEFAULT_RATINGS).
    analytics_rating_a_max_ppm: float = Field(
        default=DEFAULT_RATINGS[0].max_ppm,
        ge=0,
        description="Grade A: defect rate at most this many PPM.",
    )
    analytics_rating_a_min_otd: float = Field(
        default=DEFAULT_RATINGS[0].min_otd,
        ge=0,
        le=100,
        description="Grade A: on-time delivery at least this percent.",
    )
    analytics_rating_b_max_ppm: float = Field(
        default=DEFAULT_RATINGS[1].max_ppm,
        ge=0,
        description="Grade B: defect rate at most this many PPM.",
    )
    analytics_rating_b_min_otd: float = Field(
        default=DEFAULT_RATINGS[1].min_otd,
        ge=0,
        le=100,
        description="Grade B: on-time delivery at least this percent.",
    )
    analytics_rating_c_max_ppm: float = Field(
        default=DEFAULT_RATINGS[2].max_ppm,
        ge=0,
        description="Grade C: defect rate at most this many PPM.",
    )
    analytics_rating_c_min_otd: float = Field(
        default=DEFAULT_RATINGS[2].min_otd,
        ge=0,
        le=100,
        description="Grade C: on-time delivery at least this percent.",
    )

    @property
    def rating_thresholds(self) -> tuple[RatingThreshold, ...]:
        """The grades A, B, C, best first (D is the rest)."""
        return (
            RatingThreshold(
                grade="A",
                max_ppm=self.analytics_rating_a_max_ppm,
                min_otd=self.analytics_rating_a_min_otd,
            ),
            RatingThreshold(
                grade="B",
                max_ppm=self.analytics_rating_b_max_ppm,
                min_otd=self.analytics_rating_b_min_otd,
            ),
            RatingThreshold(
                grade="C",
                max_ppm=self.analytics_rating_c_max_ppm,
                min_otd=self.analytics_rating_c_min_otd,
            ),
        )

    @model_validator(mode="after")
    def _grades_in_order(self) -> Settings:
        # A better grade asks at least as much as a worse one, or a supplier could be B and not C.
        a, b, c = self.rating_thresholds
        if not (a.max_ppm <= b.max_ppm <= c.max_ppm and a.min_otd >= b.min_otd >= c.min_otd):
            raise ValueError(
                "analytics rating thresholds must tighten from C to A: "
                "A max PPM <= B <= C and A min OTD >= B >= C"
            )
        return self

    @field_validator(
        "tracegraph_oidc_algorithms",
        "tracegraph_auth_paths",
        "tracegraph_cors_origins",
        "tracegraph_upload_types",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("tracegraph_oidc_algorithms")
    @classmethod
    def _pinned_algorithms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Only asymmetric algorithms: a provider's public key must never double as an HMAC secret.
        unknown = [alg for alg in value if alg not in OIDC_ALGORITHMS]
        if unknown or not value:
            raise ValueError(
                f"must be a non-empty subset of {', '.join(OIDC_ALGORITHMS)}, got {value!r}"
            )
        return value

    @field_validator("tracegraph_upload_types")
    @classmethod
    def _known_upload_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(SIGNATURES))
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: uploads know only {', '.join(SIGNATURES)}")
        return value

    @field_validator("tracegraph_auth_paths")
    @classmethod
    def _paths_are_absolute(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for path in value:
            if not path.startswith("/"):
                raise ValueError(f"each path must start with '/', got {path!r}")
        return value

    @field_validator("graphql_max_cost_by_role", mode="before")
    @classmethod
    def _role_limits(cls, value: object) -> object:
        if isinstance(value, str):
            pairs = [item.strip() for item in value.split(",") if item.strip()]
            limits: dict[str, object] = {}
            for pair in pairs:
                role, sep, limit = pair.partition("=")
                if not sep:
                    raise ValueError(f"each entry reads role=limit, got {pair!r}")
                limits[role.strip()] = limit.strip()
            return limits
        return value

    @field_validator("graphql_max_cost_by_role")
    @classmethod
    def _known_roles(cls, value: dict[str, int]) -> dict[str, int]:
        names = {r.value for r in Role}
        unknown = sorted(set(value) - names)
        if unknown:
            raise ValueError(f"unknown roles {unknown} (roles: {', '.join(sorted(names))})")
        if any(limit < 1 for limit in value.values()):
            raise ValueError("every limit is at least 1")
        return value

    @field_validator("tracegraph_cors_origins")
    @classmethod
    def _origins_are_origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # An origin is exactly scheme://host[:port]: a path or a "*" would silently match nothing
        # or everything, and credentials-bearing requests must never be allowed from everywhere.
        for origin in value:
            parts = urlsplit(origin)
            if (
                parts.scheme not in ("http", "https")
                or not parts.hostname
                or origin.endswith("/")
                or parts.path
            ):
                raise ValueError(
                    f"each origin looks like https://app.example.com[:port], got {origin!r}"
                )
        return value

    @field_validator("tracegraph_auth_secret")
    @classmethod
    def _secret_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        # RFC 7518 section 3.2: an HS256 key at least as long as the hash (32 bytes).
        if value is not None and len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"must be at least {MIN_SECRET_BYTES} bytes long")
        return value


# Read by the auth validators above (looked up when they run, so defining them here is fine).
OIDC_ALGORITHMS = ("RS256", "ES256")
MIN_SECRET_BYTES = 32


def load_settings(env_file: Path | None = Path(".env"), **overrides: Any) -> Settings:
    """Read settings, turning pydantic's report into one :class:`ConfigError` naming each field."""
    try:
        return Settings(_env_file=env_file, **overrides)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from e

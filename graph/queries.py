"""The query loader: named, parameter-checked Cypher read from ``cypher/`` at start-up.

A query file is a sequence of blocks::

    // name: lot_by_number
    // What the query answers, for the reader (and GraphiQL / Browser users).
    // params: $lot_number
    MATCH (lot:MaterialLot {lot_number: $lot_number}) RETURN lot

The comment lines directly under ``// name:`` are the block's documentation; ``// params:`` declares
every ``$parameter`` the body uses. Loading fails with file:line on an empty body, a duplicate name
inside a namespace, text before the first header, or a parameter used but not declared (or declared
but not used). Every block pastes unchanged into Neo4j Browser after ``:param`` lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from neo4j import AsyncManagedTransaction, AsyncResult

from tracegraph.errors import QueryLoadError, QueryParameterError

MIGRATIONS_DIR = "schema"

_NAME_RE = re.compile(r"^//\s*name:\s*(?P<name>\S*)\s*$")
_PARAMS_RE = re.compile(r"^//\s*params:\s*(?P<params>.*)$")
_IDENT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM_USE_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# String literals and comments may contain '$' without it being a parameter.
_STRIP_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")


@dataclass(frozen=True)
class NamedQuery:
    """One Cypher statement with its declared parameters and where it came from."""

    name: str
    text: str
    params: frozenset[str]
    source: str
    doc: str = ""

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Return ``params`` if they are exactly the declared ones, else raise."""
        given = set(params)
        if given != self.params:
            missing = sorted(self.params - given)
            extra = sorted(given - self.params)
            raise QueryParameterError(
                f"query {self.name} ({self.source}) called with wrong parameters:"
                f" missing {missing}, unexpected {extra}"
            )
        return dict(params)


@dataclass
class QueryRegistry:
    """All named queries, by ``namespace.name``."""

    queries: dict[str, NamedQuery] = field(default_factory=dict)

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise QueryLoadError(f"no Cypher query named {name!r} in cypher/") from None

    def __contains__(self, name: object) -> bool:
        return name in self.queries

    def __len__(self) -> int:
        return len(self.queries)

    def names(self) -> list[str]:
        return sorted(self.queries)


def _walk(
    node: Traversable, prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Traversable]]:
    for child in sorted(node.iterdir(), key=lambda t: t.name):
        if child.is_dir():
            if child.name.startswith(("_", ".")) or (not prefix and child.name == MIGRATIONS_DIR):
                continue
            yield from _walk(child, (*prefix, child.name))
        elif child.name.endswith(".cypher"):
            yield prefix, child


def parse_query_file(text: str, *, namespace: tuple[str, ...], label: str) -> list[NamedQuery]:
    """Parse one query file; ``label`` (e.g. ``cypher/traces/forward.cypher``) is used in errors."""
    blocks: list[tuple[int, str, list[tuple[int, str]]]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        header = _NAME_RE.match(line.strip())
        if header:
            name = header["name"]
            if not _IDENT_RE.match(name):
                raise QueryLoadError(
                    f"{label}:{lineno}: query name {name!r} must be lower_snake_case"
                )
            blocks.append((lineno, name, []))
        elif blocks:
            blocks[-1][2].append((lineno, line))
        elif line.strip() and not line.strip().startswith("//"):
            raise QueryLoadError(f"{label}:{lineno}: Cypher before the first '// name:' header")
    return [_parse_block(label, namespace, start, name, lines) for start, name, lines in blocks]


def _parse_block(  # noqa: PLR0912 - one pass over the block keeps line numbers exact
    label: str, namespace: tuple[str, ...], start: int, name: str, lines: list[tuple[int, str]]
) -> NamedQuery:
    doc: list[str] = []
    declared: dict[str, int] = {}
    body: list[tuple[int, str]] = []
    in_header = True
    for lineno, line in lines:
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            params = _PARAMS_RE.match(stripped)
            if params:
                for raw in params["params"].split(","):
                    param = raw.strip().lstrip("$")
                    if not param:
                        continue
                    if param in declared:
                        raise QueryLoadError(
                            f"{label}:{lineno}: parameter ${param} declared twice in {name}"
                        )
                    declared[param] = lineno
            else:
                doc.append(stripped.lstrip("/").strip())
            continue
        if in_header and not stripped:
            continue
        in_header = False
        body.append((lineno, line))
    text = "\n".join(line for _, line in body).strip().rstrip(";").strip()
    if not _STRIP_RE.sub("", text).strip():
        raise QueryLoadError(f"{label}:{start}: query {name} is empty")
    used: dict[str, int] = {}
    for lineno, line in body:
        for match in _PARAM_USE_RE.finditer(_STRIP_RE.sub("", line)):
            used.setdefault(match[1], lineno)
    for param, lineno in used.items():
        if param not in declared:
            raise QueryLoadError(
                f"{label}:{lineno}: query {name} uses ${param}, which its '// params:' line"
                " does not declare"
            )
    for param, lineno in declared.items():
        if param not in used:
            raise QueryLoadError(
                f"{label}:{lineno}: query {name} declares ${param} but never uses it"
            )
    return NamedQuery(
        name=".".join((*namespace, name)),
        text=text,
        params=frozenset(declared),
        source=f"{label}:{start}",
        doc=" ".join(d for d in doc if d),
    )


def load_queries(root: Traversable | None = None, *, label: str = "cypher") -> QueryRegistry:
    """Load every query under ``root`` (default: the installed ``cypher`` package)."""
    base = root if root is not None else files("cypher")
    registry = QueryRegistry()
    for namespace, resource in _walk(base, ()):
        file_label = "/".join((label, *namespace, resource.name))
        for query in parse_query_file(
            resource.read_text(encoding="utf-8"), namespace=namespace, label=file_label
        ):
            if query.name in registry.queries:
                raise QueryLoadError(
                    f"{query.source}: duplicate query name {query.name}"
                    f" (first defined at {registry.queries[query.name].source})"
                )
            registry.queries[query.name] = query
    return registry


@cache
def registry() -> QueryRegistry:
    """The process-wide registry; the app and CLI call this first so a bad file fails start-up."""
    return load_queries()


# Counts statements sent to Neo4j in the current context; tests use it to bound round trips.
statement_counter: ContextVar[list[int] | None] = ContextVar("statement_counter", default=None)


async def run(tx: AsyncManagedTransaction, name: str, /, **params: Any) -> AsyncResult:
    """Run the named query with exactly its declared parameters."""
    query = registry()[name]
    counter = statement_counter.get()
    if counter is not None:
        counter[0] += 1
    # The text is ours, read from cypher/ at start-up; user values only ever travel as parameters.
    return await tx.run(query.text, query.bind(params))

"""The query loader: named, parameter-checked Cypher read from ``cypher/`` at start-up.

A query file is a sequence of blocks::

    // name: lot_by_number
    // What the query answers, for the reader (and GraphiQL / Browser users).
    // params: $lot_number
    MATCH (lot:MaterialLot {lot_number: $lot_number}) RETURN lot

The comment lines directly under ``// name:`` are the block's documentation; ``// params:`` declares
every ``$parameter`` the body uses; ``// mode: write`` marks a query that writes (queries read by
default), and only :func:`write` runs it, as only :func:`read` runs the others.

A block headed ``// fragment: name(var)`` is a named piece of Cypher (a predicate over ``var``)
that queries include as ``{{namespace.name(x)}}``: the loader pastes it in with ``x`` for
``var``, in parentheses. The caller's scope is written once per label this way
(``cypher/scope/visible.cypher``). ``NamedQuery.text`` is the expanded text, what Neo4j runs and
what ``tracegraph cypher show NAME`` prints for Neo4j Browser.

Loading fails with file:line on an empty body, a duplicate name inside a namespace, text before the
first header, an unknown fragment or mode, or a parameter used but not declared (or declared but
not used, fragments' parameters included).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from neo4j import AsyncManagedTransaction, Record, SummaryCounters

from tracegraph.errors import QueryLoadError, QueryModeError, QueryParameterError

MIGRATIONS_DIR = "schema"

_NAME_RE = re.compile(r"^//\s*name:\s*(?P<name>\S*)\s*$")
_FRAGMENT_RE = re.compile(r"^//\s*fragment:\s*(?P<name>\w+)\((?P<var>[a-z_]\w*)\)\s*$")
_MODE_RE = re.compile(r"^//\s*mode:\s*(?P<mode>\S*)\s*$")
_USE_RE = re.compile(r"\{\{\s*(?P<name>[\w.]+)\((?P<arg>[a-z_]\w*)\)\s*\}\}")
MODES = ("read", "write")
_PARAMS_RE = re.compile(r"^//\s*params:\s*(?P<params>.*)$")
_IDENT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM_USE_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# String literals and comments may contain '$' without it being a parameter.
_STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_STRIP_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")


@dataclass(frozen=True)
class NamedQuery:
    """One Cypher statement with its declared parameters and where it came from."""

    name: str
    text: str
    params: frozenset[str]
    source: str
    doc: str = ""
    mode: str = "read"

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
    """All named queries, by ``namespace.name``, and the fragments they were expanded with."""

    queries: dict[str, NamedQuery] = field(default_factory=dict)
    fragments: dict[str, Fragment] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Fragment:
    """A named piece of Cypher over one variable, pasted into the queries that include it."""

    name: str
    var: str
    text: str
    params: frozenset[str]
    source: str

    def paste(self, arg: str) -> str:
        # The variable as a whole identifier only: not a property, label or parameter name, and
        # never inside a string literal.
        variable = re.compile(rf"(?<![\w.:$`]){re.escape(self.var)}\b")
        parts = _STRING_RE.split(self.text)
        strings = _STRING_RE.findall(self.text)
        pasted = [variable.sub(arg, part) for part in parts]
        body = "".join(p + s for p, s in zip(pasted, [*strings, ""], strict=True))
        return f"({body})"


@dataclass
class _Block:
    start: int
    name: str
    var: str | None  # set for a fragment
    lines: list[tuple[int, str]] = field(default_factory=list)


def _blocks(text: str, label: str) -> list[_Block]:
    blocks: list[_Block] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = _NAME_RE.match(stripped)
        fragment = _FRAGMENT_RE.match(stripped)
        if header or fragment:
            name = header["name"] if header else fragment["name"]  # type: ignore[index]
            if header and not _IDENT_RE.match(name):
                raise QueryLoadError(
                    f"{label}:{lineno}: query name {name!r} must be lower_snake_case"
                )
            blocks.append(_Block(lineno, name, fragment["var"] if fragment else None))
        elif stripped.startswith("// fragment:"):
            raise QueryLoadError(
                f"{label}:{lineno}: a fragment header reads '// fragment: name(var)'"
            )
        elif blocks:
            blocks[-1].lines.append((lineno, line))
        elif stripped and not stripped.startswith("//"):
            raise QueryLoadError(f"{label}:{lineno}: Cypher before the first '// name:' header")
    return blocks


def parse_query_file(
    text: str,
    *,
    namespace: tuple[str, ...],
    label: str,
    fragments: Mapping[str, Fragment] | None = None,
) -> list[NamedQuery]:
    """Parse one query file; ``label`` (e.g. ``cypher/traces/forward.cypher``) is used in errors.

    ``fragments`` are the ones its queries may include (by default, those of this file)."""
    known = (
        dict(fragments)
        if fragments is not None
        else resolve_fragments(parse_fragments(text, namespace, label))
    )
    return [
        _parse_block(label, namespace, block, known)
        for block in _blocks(text, label)
        if block.var is None
    ]


def parse_fragments(text: str, namespace: tuple[str, ...], label: str) -> dict[str, Fragment]:
    """The fragments of one file, as written (see :func:`resolve_fragments`)."""
    found: dict[str, Fragment] = {}
    for block in _blocks(text, label):
        if block.var is None:
            continue
        query = _parse_block(label, namespace, block, None)
        found[query.name] = Fragment(query.name, block.var, query.text, query.params, query.source)
    return found


def resolve_fragments(fragments: Mapping[str, Fragment]) -> dict[str, Fragment]:
    """Fragments with the fragments they include pasted in, their parameters then checked."""
    done: dict[str, Fragment] = {}

    def resolve(name: str, stack: tuple[str, ...]) -> Fragment:
        if name in done:
            return done[name]
        fragment = fragments[name]
        if name in stack:
            raise QueryLoadError(f"{fragment.source}: fragment {name} includes itself")
        text = fragment.text
        for used in {m["name"] for m in _USE_RE.finditer(text)}:
            if used not in fragments:
                raise QueryLoadError(f"{fragment.source}: no fragment named {used!r}")
            resolve(used, (*stack, name))
        text = _USE_RE.sub(lambda m: done[m["name"]].paste(m["arg"]), text)
        used_params = set(_PARAM_USE_RE.findall(_STRIP_RE.sub("", text)))
        if used_params != fragment.params:
            raise QueryLoadError(
                f"{fragment.source}: fragment {name} uses {sorted(used_params)} but declares"
                f" {sorted(fragment.params)}"
            )
        done[name] = Fragment(name, fragment.var, text, fragment.params, fragment.source)
        return done[name]

    for name in fragments:
        resolve(name, ())
    return done


def _parse_block(  # noqa: PLR0912 - one pass over the block keeps line numbers exact
    label: str,
    namespace: tuple[str, ...],
    block: _Block,
    fragments: Mapping[str, Fragment] | None,
) -> NamedQuery:
    """One block; with ``fragments`` None (a fragment as written) nothing is pasted or checked
    against its parameters yet."""
    name = block.name
    doc: list[str] = []
    declared: dict[str, int] = {}
    mode = "read"
    body: list[tuple[int, str]] = []
    in_header = True
    for lineno, line in block.lines:
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            params = _PARAMS_RE.match(stripped)
            mode_line = _MODE_RE.match(stripped)
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
            elif mode_line:
                mode = mode_line["mode"]
                if mode not in MODES:
                    raise QueryLoadError(
                        f"{label}:{lineno}: mode of {name} must be one of {MODES}, not {mode!r}"
                    )
            else:
                doc.append(stripped.lstrip("/").strip())
            continue
        if in_header and not stripped:
            continue
        in_header = False
        body.append(
            (lineno, line if fragments is None else _expand(label, lineno, line, fragments))
        )
    # Comment lines after the body introduce what follows, not this block.
    while body and (not body[-1][1].strip() or body[-1][1].strip().startswith("//")):
        body.pop()
    text = "\n".join(line for _, line in body).strip().rstrip(";").strip()
    if not _STRIP_RE.sub("", text).strip():
        raise QueryLoadError(f"{label}:{block.start}: query {name} is empty")
    used: dict[str, int] = {}
    for lineno, line in body if fragments is not None else ():
        for match in _PARAM_USE_RE.finditer(_STRIP_RE.sub("", line)):
            used.setdefault(match[1], lineno)
    for param, lineno in used.items():
        if param not in declared:
            raise QueryLoadError(
                f"{label}:{lineno}: query {name} uses ${param}, which its '// params:' line"
                " does not declare"
            )
    for param, lineno in declared.items() if fragments is not None else ():
        if param not in used:
            raise QueryLoadError(
                f"{label}:{lineno}: query {name} declares ${param} but never uses it"
            )
    return NamedQuery(
        name=".".join((*namespace, name)),
        text=text,
        params=frozenset(declared),
        source=f"{label}:{block.start}",
        doc=" ".join(d for d in doc if d),
        mode=mode,
    )


def _expand(label: str, lineno: int, line: str, fragments: Mapping[str, Fragment]) -> str:
    def paste(match: re.Match[str]) -> str:
        fragment = fragments.get(match["name"])
        if fragment is None:
            raise QueryLoadError(f"{label}:{lineno}: no fragment named {match['name']!r}")
        return fragment.paste(match["arg"])

    return _USE_RE.sub(paste, line)


def load_queries(root: Traversable | None = None, *, label: str = "cypher") -> QueryRegistry:
    """Load every query under ``root`` (default: the installed ``cypher`` package)."""
    base = root if root is not None else files("cypher")
    sources = [
        (namespace, "/".join((label, *namespace, resource.name)), resource.read_text("utf-8"))
        for namespace, resource in _walk(base, ())
    ]
    fragments: dict[str, Fragment] = {}
    for namespace, file_label, text in sources:
        for name, fragment in parse_fragments(text, namespace, file_label).items():
            if name in fragments:
                raise QueryLoadError(
                    f"{fragment.source}: duplicate fragment name {name}"
                    f" (first defined at {fragments[name].source})"
                )
            fragments[name] = fragment
    fragments = resolve_fragments(fragments)
    registry = QueryRegistry(fragments=fragments)
    for namespace, file_label, text in sources:
        for query in parse_query_file(
            text, namespace=namespace, label=file_label, fragments=fragments
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
    """The process-wide registry of production queries (``cypher/``); the app and CLI call this
    first so a bad file fails start-up. Test and bench queries live beside their code."""
    return load_queries()


@dataclass(frozen=True)
class Written:
    """What a write query returned, consumed inside its transaction, and what it changed."""

    records: list[Record]
    counters: SummaryCounters


def _named(query: str | NamedQuery) -> NamedQuery:
    return registry()[query] if isinstance(query, str) else query


async def _send(tx: AsyncManagedTransaction, query: NamedQuery, params: Mapping[str, Any]) -> Any:
    # The text is ours, read from cypher/ at start-up; user values only ever travel as parameters.
    return await tx.run(query.text, query.bind(params))


async def read(
    tx: AsyncManagedTransaction, query: str | NamedQuery, /, **params: Any
) -> list[Record]:
    """Run a read query with exactly its declared parameters; its records, all fetched."""
    named = _named(query)
    if named.mode != "read":
        raise QueryModeError(f"query {named.name} ({named.source}) writes: run it with write()")
    result = await _send(tx, named, params)
    return [record async for record in result]


async def stream(
    tx: AsyncManagedTransaction, query: str | NamedQuery, /, **params: Any
) -> AsyncIterator[Record]:
    """Run a read query and yield its records as the driver fetches them (``fetch_size`` at a
    time): for answers too large to hold. Iterate it to the end inside the transaction function."""
    named = _named(query)
    if named.mode != "read":
        raise QueryModeError(f"query {named.name} ({named.source}) writes: run it with write()")
    result = await _send(tx, named, params)
    async for record in result:
        yield record


async def write(tx: AsyncManagedTransaction, query: str | NamedQuery, /, **params: Any) -> Written:
    """Run a ``// mode: write`` query; its records and counters, consumed in the transaction."""
    named = _named(query)
    if named.mode != "write":
        raise QueryModeError(
            f"query {named.name} ({named.source}) is a read: run it with read(), or mark it"
            " '// mode: write'"
        )
    result = await _send(tx, named, params)
    records = [record async for record in result]
    summary = await result.consume()
    return Written(records=records, counters=summary.counters)

from __future__ import annotations

from pathlib import Path

import pytest

from graph.database import Database
from graph.queries import load_queries, parse_query_file, registry, run, statement_counter
from tracegraph.errors import QueryLoadError, QueryParameterError


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_namespaces_docs_and_params(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "traces/forward.cypher",
        "// name: forward_trace\n// Everything downstream.\n// params: $lot, $depth\n"
        "MATCH (l {n: $lot}) RETURN l LIMIT $depth\n\n"
        "// name: other\nRETURN '$not_a_param' AS s // $nor_this\n",
    )
    _write(tmp_path, "top.cypher", "// name: ping\nRETURN 1")
    reg = load_queries(tmp_path, label="q")
    assert reg.names() == ["ping", "traces.forward_trace", "traces.other"]
    forward = reg["traces.forward_trace"]
    assert forward.params == {"lot", "depth"}
    assert forward.doc == "Everything downstream."
    assert forward.source == "q/traces/forward.cypher:1"
    assert forward.text.startswith("MATCH")
    assert reg["traces.other"].params == frozenset()


def test_migrations_dir_is_not_a_query_namespace(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "schema/001_x.cypher",
        "CREATE CONSTRAINT x IF NOT EXISTS FOR (n:X) REQUIRE n.id IS UNIQUE;",
    )
    _write(tmp_path, "a/b.cypher", "// name: q\nRETURN 1")
    assert load_queries(tmp_path).names() == ["a.q"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "// name: empty\n// just a comment\n\n// name: next\nRETURN 1",
            "f.cypher:1: query empty is empty",
        ),
        ("// name: a\nRETURN $x", "f.cypher:2: query a uses $x"),
        (
            "// name: a\n// params: $x, $y\nRETURN $x",
            "f.cypher:2: query a declares $y but never uses it",
        ),
        ("// name: a\n// params: $x, $x\nRETURN $x", "f.cypher:2: parameter $x declared twice"),
        ("RETURN 1\n// name: a\nRETURN 2", "f.cypher:1: Cypher before the first"),
        (
            "// name: Bad-Name\nRETURN 1",
            "f.cypher:1: query name 'Bad-Name' must be lower_snake_case",
        ),
        (
            "// name: a\nRETURN 1\n// name: b\nMATCH (n)\nWHERE n.x = $late\nRETURN n",
            "f.cypher:5: query b uses $late",
        ),
    ],
)
def test_malformed_files_fail_with_file_and_line(text: str, message: str) -> None:
    with pytest.raises(QueryLoadError) as err:
        parse_query_file(text, namespace=(), label="f.cypher")
    assert message in str(err.value)


def test_duplicate_names_in_a_namespace_fail_naming_both_places(tmp_path: Path) -> None:
    _write(tmp_path, "ns/a.cypher", "// name: same\nRETURN 1")
    _write(tmp_path, "ns/b.cypher", "\n\n// name: same\nRETURN 2")
    with pytest.raises(
        QueryLoadError,
        match=r"cypher/ns/b.cypher:3: duplicate query name ns.same"
        r" \(first defined at cypher/ns/a.cypher:1\)",
    ):
        load_queries(tmp_path)


def test_same_name_in_different_namespaces_is_fine(tmp_path: Path) -> None:
    _write(tmp_path, "x/a.cypher", "// name: same\nRETURN 1")
    _write(tmp_path, "y/a.cypher", "// name: same\nRETURN 1")
    assert load_queries(tmp_path).names() == ["x.same", "y.same"]


def test_bind_requires_exactly_the_declared_params() -> None:
    (query,) = parse_query_file("// name: a\n// params: $x\nRETURN $x", namespace=("n",), label="f")
    assert query.bind({"x": 1}) == {"x": 1}
    with pytest.raises(QueryParameterError, match=r"missing \['x'\], unexpected \['y'\]"):
        query.bind({"y": 1})


def test_unknown_query_name_is_a_clear_error() -> None:
    with pytest.raises(QueryLoadError, match=r"no Cypher query named 'nope\.nothing'"):
        registry()["nope.nothing"]


def test_shipped_queries_all_load() -> None:
    reg = registry()
    assert "meta.ping" in reg
    assert all(q.source.startswith("cypher/") for q in reg.queries.values())


async def test_run_executes_and_counts_statements(db: Database) -> None:
    async def two_pings(tx: object) -> int:
        total = 0
        for _ in range(2):
            result = await run(tx, "meta.ping")  # type: ignore[arg-type]
            record = await result.single(strict=True)
            total += record["ok"]
        return total

    counter = [0]
    token = statement_counter.set(counter)
    try:
        assert await db.read(two_pings) == 2
    finally:
        statement_counter.reset(token)
    assert counter == [2]

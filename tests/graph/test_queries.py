from __future__ import annotations

import re
from pathlib import Path

import pytest
from neo4j import AsyncManagedTransaction

from graph.database import Database
from graph.queries import load_queries, parse_query_file, read, registry, write
from tests.support import count_statements
from tracegraph.errors import QueryLoadError, QueryModeError, QueryParameterError


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


async def test_read_fetches_inside_the_transaction_and_counts_statements(db: Database) -> None:
    async def two_pings(tx: AsyncManagedTransaction) -> tuple[int, list[object]]:
        rows = [await read(tx, "meta.ping") for _ in range(2)]
        return sum(r[0]["ok"] for r in rows), [type(r) for r in rows]

    with count_statements() as counter:
        total, kinds = await db.read(two_pings)
    assert total == 2
    assert kinds == [list, list]  # records, not an open result
    assert counter == [2]


async def test_the_read_runner_refuses_a_write_query_and_the_reverse(db: Database) -> None:
    record = registry()["meta.record_migration"]
    assert record.mode == "write"
    assert registry()["meta.ping"].mode == "read"

    async def write_as_read(tx: AsyncManagedTransaction) -> object:
        return await read(tx, "meta.record_migration", version=999, name="x", checksum="y")

    async def read_as_write(tx: AsyncManagedTransaction) -> object:
        return await write(tx, "meta.ping")

    with pytest.raises(QueryModeError, match=r"meta.record_migration .* writes"):
        await db.write(write_as_read)
    with pytest.raises(QueryModeError, match=r"meta.ping .* is a read"):
        await db.write(read_as_write)


def test_every_shipped_query_that_writes_is_marked_write() -> None:
    writes = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b")
    for query in registry().queries.values():
        body = re.sub(r"'[^']*'", "", query.text)
        assert bool(writes.search(body)) == (query.mode == "write"), query.name


def test_mode_must_be_read_or_write(tmp_path: Path) -> None:
    _write(tmp_path, "f.cypher", "// name: a\n// mode: upsert\nRETURN 1")
    with pytest.raises(QueryLoadError, match=r"f.cypher:2: mode of a must be one of"):
        load_queries(tmp_path, label="")


def test_fragments_are_pasted_with_their_variable_and_parameters(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "scope/visible.cypher",
        "// fragment: Thing(n)\n// params: $scope\nn.owner = $scope.id OR n.n = 'n'\n",
    )
    _write(
        tmp_path,
        "api/things.cypher",
        "// name: things\n// params: $scope\nMATCH (t:Thing) WHERE {{scope.Thing(t)}} RETURN t\n",
    )
    reg = load_queries(tmp_path, label="q")
    assert reg["api.things"].text == (
        "MATCH (t:Thing) WHERE (t.owner = $scope.id OR t.n = 'n') RETURN t"
    )
    assert reg.names() == ["api.things"]  # a fragment is not a query


def test_fragment_parameters_must_be_declared_and_unknown_fragments_refused(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "scope/v.cypher", "// fragment: T(n)\n// params: $scope\nn.a = $scope.a\n")
    _write(tmp_path, "api/a.cypher", "// name: a\nMATCH (t) WHERE {{scope.T(t)}} RETURN t\n")
    with pytest.raises(QueryLoadError, match=r"q/api/a.cypher:2: query a uses \$scope"):
        load_queries(tmp_path, label="q")
    _write(tmp_path, "api/a.cypher", "// name: a\nMATCH (t) WHERE {{scope.Nope(t)}} RETURN t\n")
    with pytest.raises(QueryLoadError, match=r"q/api/a.cypher:2: no fragment named 'scope.Nope'"):
        load_queries(tmp_path, label="q")


def test_the_service_loads_no_test_or_bench_query() -> None:
    names = registry().names()
    assert not [n for n in names if n.startswith(("admin.", "bench."))]
    assert "meta.forget_migrations" not in names
    assert all(
        "DETACH DELETE n\nRETURN count(*) AS deleted" not in q.text
        for q in registry().queries.values()
    )

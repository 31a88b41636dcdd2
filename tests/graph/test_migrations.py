from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from graph import about
from graph.database import Database
from graph.migrations import load_migrations, migrate, migration_status, parse_migration
from tests.admin import forget_migrations
from tracegraph.errors import MigrationError

# Versions from 900 up are reserved for these tests; real migrations stay below.
A = "CREATE CONSTRAINT mtest_a IF NOT EXISTS FOR (n:MigrationTestA) REQUIRE n.id IS UNIQUE;\n"
B = "CREATE INDEX mtest_b IF NOT EXISTS FOR (n:MigrationTestB) ON (n.day);\n"
BROKEN = "CREATE CONSTRAINT mtest_c IF NOT EXISTS FOR (n:MigrationTestC) REQUIRE n.id IS UNIQE;\n"


@pytest_asyncio.fixture
async def scratch(db: Database) -> AsyncIterator[Database]:
    yield db
    for statement in (
        "DROP CONSTRAINT mtest_a IF EXISTS",
        "DROP INDEX mtest_b IF EXISTS",
        "DROP CONSTRAINT mtest_c IF EXISTS",
    ):
        await db.run_schema(statement)
    await forget_migrations(db, min_version=900)
    await migrate(db)  # the real ones stay applied for the next test


def _dir(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_real_migrations_parse() -> None:
    versions = [m.version for m in load_migrations()]
    assert versions == sorted(versions)
    assert versions[0] == 1


def test_statements_split_with_their_lines() -> None:
    m = parse_migration("// c\n" + A + "\n" + B, label="x.cypher", version=900, name="x")
    assert [s.source for s in m.statements] == ["x.cypher:2", "x.cypher:4"]


def test_ddl_without_if_not_exists_is_refused() -> None:
    with pytest.raises(
        MigrationError, match=r"x.cypher:2: CREATE CONSTRAINT/INDEX must say IF NOT EXISTS"
    ):
        parse_migration(
            "\nCREATE INDEX i FOR (n:X) ON (n.a);", label="x.cypher", version=1, name="x"
        )


def test_bad_file_names_and_duplicate_versions(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match=r"named NNN_lower_name\.cypher"):
        load_migrations(_dir(tmp_path, {"1_x.cypher": A}))
    (tmp_path / "1_x.cypher").unlink()
    with pytest.raises(MigrationError, match=r"version 900 already used"):
        load_migrations(_dir(tmp_path, {"900_a.cypher": A, "900_b.cypher": B}))


async def test_fresh_then_rerun_is_a_no_op(scratch: Database, tmp_path: Path) -> None:
    ms = load_migrations(_dir(tmp_path, {"900_a.cypher": A, "901_b.cypher": B}))
    applied = await migrate(scratch, ms)
    assert [m.version for m in applied] == [900, 901]
    assert "mtest_a" in await scratch.read(about.constraint_names)
    assert "mtest_b" in await scratch.read(about.index_names)
    assert await migrate(scratch, ms) == []
    status = await migration_status(scratch, ms)
    assert status.pending == ()
    assert {900, 901} <= {a.version for a in status.applied}


async def test_partial_failure_records_nothing_and_recovers(
    scratch: Database, tmp_path: Path
) -> None:
    ms = load_migrations(_dir(tmp_path, {"900_a.cypher": A + BROKEN}))
    with pytest.raises(MigrationError, match=r"900_a.cypher:2: migration failed"):
        await migrate(scratch, ms)
    # The first statement ran, but the version is not recorded: it is still pending.
    assert "mtest_a" in await scratch.read(about.constraint_names)
    assert [p.version for p in (await migration_status(scratch, ms)).pending] == [900]
    fixed = load_migrations(_dir(tmp_path, {"900_a.cypher": A + BROKEN.replace("UNIQE", "UNIQUE")}))
    assert [m.version for m in await migrate(scratch, fixed)] == [900]
    assert "mtest_c" in await scratch.read(about.constraint_names)


async def test_editing_an_applied_migration_is_refused(scratch: Database, tmp_path: Path) -> None:
    await migrate(scratch, load_migrations(_dir(tmp_path, {"900_a.cypher": A})))
    edited = load_migrations(_dir(tmp_path, {"900_a.cypher": "// edited\n" + A}))
    with pytest.raises(MigrationError, match="changed after it was applied"):
        await migrate(scratch, edited)

"""Schema migrations: ``cypher/schema/NNN_name.cypher`` applied in order, each exactly once.

A migration file is a list of schema statements separated by ``;``. Every ``CREATE CONSTRAINT`` and
``CREATE INDEX`` must say ``IF NOT EXISTS`` so a migration interrupted half-way can simply be run
again. Applied versions are recorded as ``(:SchemaMigration {version, name, checksum})`` nodes; a
file edited after it was applied is refused rather than silently skipped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from tracegraph.errors import MigrationError

_FILE_RE = re.compile(r"^(?P<version>\d{3})_(?P<name>[a-z0-9_]+)\.cypher$")
_DDL_RE = re.compile(r"^\s*CREATE\s+(?:\w+\s+)?(CONSTRAINT|INDEX)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    text: str
    source: str


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    checksum: str
    statements: tuple[Statement, ...]
    source: str


@dataclass(frozen=True)
class AppliedMigration:
    version: int
    name: str
    checksum: str


@dataclass(frozen=True)
class MigrationStatus:
    applied: tuple[AppliedMigration, ...]
    pending: tuple[Migration, ...]


def parse_migration(text: str, *, label: str, version: int, name: str) -> Migration:
    statements: list[Statement] = []
    current: list[str] = []
    start = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("//")):
            continue
        if not current:
            start = lineno
        current.append(line)
        if stripped.endswith(";"):
            statements.append(_statement(current, label=label, start=start))
            current = []
    if current:
        statements.append(_statement(current, label=label, start=start))
    if not statements:
        raise MigrationError(f"{label}:1: migration has no statements")
    return Migration(
        version=version,
        name=name,
        checksum=hashlib.sha256(text.encode()).hexdigest()[:16],
        statements=tuple(statements),
        source=label,
    )


def _statement(lines: list[str], *, label: str, start: int) -> Statement:
    text = "\n".join(lines).strip().rstrip(";").strip()
    if _DDL_RE.match(text) and not re.search(r"\bIF\s+NOT\s+EXISTS\b", text, re.IGNORECASE):
        raise MigrationError(
            f"{label}:{start}: CREATE CONSTRAINT/INDEX must say IF NOT EXISTS (migrations re-run)"
        )
    return Statement(text=text, source=f"{label}:{start}")


def load_migrations(
    root: Traversable | None = None, *, label: str = "cypher/schema"
) -> list[Migration]:
    base = root if root is not None else files("cypher").joinpath("schema")
    found: dict[int, Migration] = {}
    for resource in sorted(base.iterdir(), key=lambda t: t.name):
        if resource.is_dir() or resource.name.startswith((".", "_")):
            continue
        file_label = f"{label}/{resource.name}"
        match = _FILE_RE.match(resource.name)
        if not match:
            raise MigrationError(f"{file_label}: migration files are named NNN_lower_name.cypher")
        version = int(match["version"])
        if version in found:
            raise MigrationError(
                f"{file_label}: version {version:03d} already used by {found[version].source}"
            )
        found[version] = parse_migration(
            resource.read_text(encoding="utf-8"),
            label=file_label,
            version=version,
            name=match["name"],
        )
    return [found[v] for v in sorted(found)]


async def _applied(tx: AsyncManagedTransaction) -> list[AppliedMigration]:
    return [
        AppliedMigration(version=r["version"], name=r["name"], checksum=r["checksum"])
        for r in await queries.read(tx, "meta.applied_migrations")
    ]


async def _record(tx: AsyncManagedTransaction, *, migration: Migration) -> None:
    await queries.write(
        tx,
        "meta.record_migration",
        version=migration.version,
        name=migration.name,
        checksum=migration.checksum,
    )


async def migration_status(
    db: Database, migrations: list[Migration] | None = None
) -> MigrationStatus:
    known = migrations if migrations is not None else load_migrations()
    applied = await db.read(_applied)
    by_version = {m.version: m for m in applied}
    for migration in known:
        done = by_version.get(migration.version)
        if done is not None and done.checksum != migration.checksum:
            raise MigrationError(
                f"{migration.source}: changed after it was applied (recorded checksum"
                f" {done.checksum}, file {migration.checksum}); add a new migration instead"
            )
    pending = tuple(m for m in known if m.version not in by_version)
    return MigrationStatus(applied=tuple(applied), pending=pending)


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply pending migrations in order; return the ones applied by this call."""
    status = await migration_status(db, migrations)
    done: list[Migration] = []
    for migration in status.pending:
        for statement in migration.statements:
            try:
                await db.run_schema(statement.text)
            except Exception as e:
                raise MigrationError(f"{statement.source}: migration failed: {e}") from e
        await db.write_unbounded(_record, migration=migration)
        done.append(migration)
    return done

"""Every bad input of the corpus (tests/loaders/bad_inputs.py) through the command line: an
error naming file, record path and field, exit status 2, no traceback, nothing written."""

from __future__ import annotations

import asyncio
import contextlib
import io
from pathlib import Path

import pytest

from graph.database import Database
from graph.ingest import graph_counts
from tests.loaders.bad_inputs import CASES, Case, write_case
from tracegraph.cli import main
from tracegraph.settings import Settings


@pytest.fixture
def cli_env(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.neo4j_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.neo4j_password.get_secret_value())


def run_cli(args: list[str]) -> tuple[int, str]:
    """(exit status, stderr) of ``tracegraph load <args>``; an exception escapes as it is."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(["load", *args])
        except SystemExit as e:  # argparse refusing an option
            status = int(e.code or 0)
    return status, err.getvalue()


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 80
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_bad_input_is_refused_with_its_location(
    db: Database, tmp_path: Path, case: Case
) -> None:
    args = write_case(case, tmp_path)
    status, err = await asyncio.to_thread(run_cli, args)
    assert status == 2, err
    assert "error:" in err
    assert "Traceback" not in err
    for fragment in case.expect:
        assert fragment in err, (fragment, err)
    assert await graph_counts(db) == ({}, {})

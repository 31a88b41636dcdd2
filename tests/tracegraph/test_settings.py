from __future__ import annotations

import pytest

from tracegraph.errors import ConfigError
from tracegraph.settings import load_settings


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("NEO4J_URI", "http://localhost:7474", "NEO4J_URI"),
        ("NEO4J_URI", "bolt://", "NEO4J_URI"),
        ("TRACEGRAPH_PORT", "eighty", "TRACEGRAPH_PORT"),
        ("TRACEGRAPH_PORT", "70000", "TRACEGRAPH_PORT"),
        ("NEO4J_PASSWORD", "", "NEO4J_PASSWORD"),
        ("NEO4J_HEAP_SIZE", "lots", "NEO4J_HEAP_SIZE"),
        ("NEO4J_DATABASE", "x", "NEO4J_DATABASE"),
    ],
)
def test_malformed_values_stop_start_up_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, named: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as err:
        load_settings(env_file=None)
    assert named in str(err.value)


@pytest.mark.parametrize(
    "uri", ["neo4j+s://abc.databases.neo4j.io", "neo4j://cluster:7687", "bolt+s://h"]
)
def test_cluster_and_aura_uris_are_accepted(monkeypatch: pytest.MonkeyPatch, uri: str) -> None:
    monkeypatch.setenv("NEO4J_URI", uri)
    assert load_settings(env_file=None).neo4j_uri == uri


def test_env_file_is_read(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    env = Path(str(tmp_path)) / ".env"
    env.write_text("NEO4J_DATABASE=traces\nTRACEGRAPH_PORT=9000\n")
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    monkeypatch.delenv("TRACEGRAPH_PORT", raising=False)
    settings = load_settings(env_file=env)
    assert (settings.neo4j_database, settings.tracegraph_port) == ("traces", 9000)

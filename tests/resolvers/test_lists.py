"""Cursors are opaque, round-trip their sort key and refuse another sort order."""

from __future__ import annotations

import pytest

from resolvers.lists import decode_cursor, encode_cursor
from tracegraph.errors import InvalidCursorError


@pytest.mark.parametrize("sort_key", [-1759827600000, -500.0, "Acme Metals", None])
def test_cursor_round_trips(sort_key: object) -> None:
    cursor = encode_cursor("name", sort_key, "SUP-001")
    assert "SUP-001" not in cursor
    assert decode_cursor(cursor, "name") == {"sk": sort_key, "key": "SUP-001"}


@pytest.mark.parametrize("cursor", ["", "bogus", "W10=", encode_cursor("id", "x", "SUP-1")])
def test_foreign_or_malformed_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        decode_cursor(cursor, "name")

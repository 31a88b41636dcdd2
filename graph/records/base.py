"""Base classes of the graph records: one pydantic model per node label and relationship type.

A record knows where it lives in the graph (label and key, or type and endpoint labels), so the
ingest layer can pick the matching named query from ``cypher/ingest/`` without ever formatting a
label into Cypher text.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict

# Instants must carry a zone; the driver then stores a Neo4j DateTime, never a LocalDateTime.
Instant = AwareDatetime


class IngestRecord(BaseModel):
    """Strict enough to catch typos in sources (unknown fields are errors), frozen for hashing."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, use_enum_values=True
    )

    @classmethod
    def instant_fields(cls) -> tuple[str, ...]:
        """Fields holding instants; they travel as ISO strings and the ingest Cypher applies
        ``datetime()`` to them (the driver's own packing of a datetime costs ~80 us each)."""
        return _instant_fields(cls)

    def _params(self) -> dict[str, Any]:
        params = dict(self.__dict__)
        for name in self.instant_fields():
            value = params[name]
            if value is not None:
                params[name] = value.isoformat()
        return params


@cache
def _instant_fields(cls: type[IngestRecord]) -> tuple[str, ...]:
    def is_instant(annotation: Any) -> bool:
        if annotation is AwareDatetime:
            return True
        union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        return union and AwareDatetime in typing.get_args(annotation)

    return tuple(n for n, f in cls.model_fields.items() if is_instant(f.annotation))


class NodeRecord(IngestRecord):
    LABEL: ClassVar[str]
    KEY: ClassVar[str]

    @property
    def key(self) -> str:
        return str(getattr(self, self.KEY))

    def to_params(self) -> dict[str, Any]:
        """The node's properties as driver parameters (date -> Date; instants as ISO strings,
        made DateTime by the query).

        Fields are plain values already (no nested models), so a copy of ``__dict__`` is the
        dump, at a fraction of ``model_dump``'s cost on the bulk path."""
        return self._params()


class RelRecord(IngestRecord):
    """A relationship between two nodes named by their keys; its own fields are its properties."""

    TYPE: ClassVar[str]
    FROM: ClassVar[type[NodeRecord]]
    TO: ClassVar[type[NodeRecord]]
    # Distinguishes the query when one type joins several label pairs (CONSUMED).
    VARIANT: ClassVar[str] = ""
    # The write creates (or merges) the ``TO`` node too, from the record's own fields.
    CREATES_TARGET: ClassVar[bool] = False

    src: str
    dst: str

    @classmethod
    def query_name(cls) -> str:
        return f"ingest.rel_{cls.TYPE.lower()}{cls.VARIANT}"

    def to_params(self) -> dict[str, Any]:
        props = self._params()
        src, dst = props.pop("src"), props.pop("dst")
        return {"src": src, "dst": dst, "props": props}


def node_query_name(cls: type[NodeRecord]) -> str:
    return f"ingest.node_{_snake(cls.LABEL)}"


def _snake(label: str) -> str:
    out = []
    for i, ch in enumerate(label):
        if ch.isupper() and i and not label[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)

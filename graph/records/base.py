"""Base classes of the graph records: one pydantic model per node label and relationship type.

A record knows where it lives in the graph (label and key, or type and endpoint labels), so the
ingest layer can pick the matching named query from ``cypher/ingest/`` without ever formatting a
label into Cypher text.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)

# Instants must carry a zone; the driver then stores a Neo4j DateTime, never a LocalDateTime.
Instant = AwareDatetime

# What Neo4j would refuse, or store in a way no reader expects, is refused here, before anything
# is written. Keys are indexed (unique constraints): Neo4j 5.26 refuses an indexed string of more
# than about 8 KiB in UTF-8 ("Property value is too large to index", measured: 8,160 bytes pass,
# 8,167 fail), in the middle of a load. 512 characters are at most 2 KiB, whatever the script.
MAX_KEY_LENGTH = 512
# Every other string and list: far above any real value, low enough that one bad cell cannot
# make a transaction of tens of megabytes.
MAX_TEXT_LENGTH = 65_536
MAX_LIST_ITEMS = 1_000
# Neo4j integers are 64-bit; the driver fails on a larger Python int after earlier batches
# committed.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# A key: non-empty, bounded (see MAX_KEY_LENGTH), no control characters (a newline in a key is
# a CSV quote left open, not an identifier).
Key = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_KEY_LENGTH, pattern=r"^[^\x00-\x1f\x7f]*$")
]


def _int64(value: int) -> int:
    # Not Field(ge=, le=): a field's own bounds (ge=0) would replace these, or these its own.
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError("is outside the 64-bit integer range that Neo4j stores")
    return value


# Scalars are strict: true is not 1 and "5" is not 5 (a JSON source that says so is wrong; the CSV
# loader turns its cells into numbers and booleans itself). An integer given for a float is fine.
Int = Annotated[int, Strict(), AfterValidator(_int64)]
Float = Annotated[float, Strict()]


Bool = Annotated[bool, Strict()]
Texts = Annotated[list[str], Field(max_length=MAX_LIST_ITEMS)]


class IngestRecord(BaseModel):
    """Strict enough to catch typos in sources (unknown fields are errors), frozen for hashing.

    Numbers are finite (no NaN, no infinity) and within Neo4j's 64-bit range, strings and lists
    bounded, scalars strict (``Int``, ``Float``, ``Bool``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        str_max_length=MAX_TEXT_LENGTH,
        allow_inf_nan=False,
        use_enum_values=True,
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
def scalar_kinds(cls: type[IngestRecord]) -> dict[str, type]:
    """Field name -> ``bool``, ``int`` or ``float`` for the fields holding one of those scalars
    (what a text source must convert its cells to)."""
    kinds: dict[str, type] = {}
    for name, info in cls.model_fields.items():
        args = [_bare(a) for a in _union_args(info.annotation) if a is not type(None)]
        for scalar in (bool, int, float):
            if args == [scalar]:
                kinds[name] = scalar
    return kinds


def _bare(annotation: Any) -> Any:
    """``int`` for ``Annotated[int, ...]`` (an ``Int | None`` field keeps its metadata)."""
    if typing.get_origin(annotation) is Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _union_args(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


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
    # "dst": a node at the TO end has at most one such relationship (a serial has one producing
    # batch); "src": a node at the FROM end has at most one (a batch runs on one machine). A load
    # that would give it a second one is refused, --update or not: that rewrites history.
    ONE_PER: ClassVar[str] = ""

    src: Key
    dst: Key

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

"""Tenant isolation, found by walking the schema: every field reachable from ``Query``, asked by
every role, with every key of the fixture as argument, never answers a key, a name or a money
figure the role may not see.

The queries are generated from the schema itself (its type map, as introspection gives it), so a
field added tomorrow is covered tomorrow. The fixture (``tests/data/graphs/tenants.cypher``) has two
customers and two suppliers whose genealogies share a lot and a sub-assembly batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
)
from graphql.pyutils import Undefined

from graph.database import Database
from resolvers.context import Caller, Context
from schema.root import build_schema
from tests.support import load_fixture_graph
from tracegraph.access import Role
from tracegraph.settings import Settings

# The fixture's keys by kind; arguments take every key of their kind (both tenants' and shared).
KEYS: dict[str, tuple[str, ...]] = {
    "supplier": ("SUP-A", "SUP-B"),
    "customer": ("CUST-A", "CUST-B"),
    "material": ("MAT-X",),
    "lot": ("LOT-A1", "LOT-AS", "LOT-B1", "LOT-B2"),
    "order": ("ORD-A", "ORD-B"),
    "batch": ("BAT-A", "BAT-B", "BAT-SHARED"),
    "serial": ("SN-A1", "SN-B1"),
    "issue": ("QI-A", "QI-B", "QI-SHARED"),
    # The fixture has no recall: recall(id:) is probed (NotFound); a recall's own isolation is
    # tests/schema/test_recall_campaign.py's (a buyer reads only recalls of its own orders).
    "recall": ("RC-1",),
}
# Which kind of key an argument or input field takes, by its name (``id`` by its field's name).
KIND_OF_NAME = {
    "supplierId": "supplier",
    "customerId": "customer",
    "materialId": "material",
    "lotNumber": "lot",
    "orderNumber": "order",
    "batchId": "batch",
    "serialNumber": "serial",
    "number": "serial",
    "issueId": "issue",
}
# Required arguments that are not keys, with a value that reads nothing of any tenant.
VALUE_OF_NAME = {"lotSize": "1200", "inspectionLevel": "II", "aql": '"2.5"'}
# Required arguments that choose what is read: each value is walked in turn.
VALUES_OF_NAME = {"groupBy": ("MONTH", "SUPPLIER", "ORDER", "CUSTOMER")}
KIND_OF_ID_FIELD = {
    "supplier": "supplier",
    "customer": "customer",
    "material": "material",
    "batch": "batch",
    "qualityIssue": "issue",
    "recall": "recall",
}

MONEY_OF_BUYERS = ("1111.0", "2222.0")  # Order.buyerPrice
MONEY_OF_SUPPLIERS = ("777.0", "888.0")  # Order.supplierCost
QUALITY_COSTS = ("4321.5", "4001.25", "300.25")  # issues' total, scrap and rework cost
SUPPLIER_CONTACTS = ("ada@alpha.test", "bea@beta.test", "+49 1", "+48 2")

# What each caller must never read: the other tenant's keys and names, and the money fields its
# role does not see (tracegraph/access.py FIELD_GROUP_FIELDS).
FORBIDDEN: dict[str, tuple[Caller, tuple[str, ...]]] = {
    "buyer CUST-A": (
        Caller(role=Role.BUYER, customer_id="CUST-A"),
        (
            "CUST-B", "Bravo Trucks", "ORD-B", "BAT-B", "SN-B1", "QI-B", "LOT-B2", "QC-B",
            "buyer@bravo.test", "CAPA-QI-B", "PN-B",
            *MONEY_OF_SUPPLIERS, *QUALITY_COSTS, *SUPPLIER_CONTACTS,
        ),
    ),
    "buyer CUST-B": (
        Caller(role=Role.BUYER, customer_id="CUST-B"),
        (
            "CUST-A", "Acme Cars", "ORD-A", "BAT-A", "SN-A1", "QI-A", "LOT-A1", "CAPA-QI-A", "PN-A",
            *MONEY_OF_SUPPLIERS, *QUALITY_COSTS, *SUPPLIER_CONTACTS,
        ),
    ),
    "supplier SUP-A": (
        Caller(role=Role.SUPPLIER, supplier_id="SUP-A"),
        (
            "SUP-B", "Beta Bolts", "bea@beta.test", "LOT-B1", "LOT-B2", "ORD-B", "QC-B",
            "CAPA-QI-B", "CAPA-QI-SHARED", "PN-B",
            *MONEY_OF_BUYERS, *QUALITY_COSTS,
        ),
    ),
    "supplier SUP-B": (
        Caller(role=Role.SUPPLIER, supplier_id="SUP-B"),
        (
            "SUP-A", "Alpha Steel", "ada@alpha.test", "LOT-A1", "LOT-AS", "ORD-A", "CAPA-QI-A",
            "PN-A", *MONEY_OF_BUYERS, *QUALITY_COSTS,
        ),
    ),
    "production": (
        Caller(role=Role.PRODUCTION),
        (*MONEY_OF_BUYERS, *MONEY_OF_SUPPLIERS, *QUALITY_COSTS),
    ),
}  # fmt: skip

# How deep selections go below a root field; a type is not repeated along one path (Order →
# batches → order would only re-ask what the path already asked).
DEPTH = 5
SETTINGS = Settings.model_construct(
    graphql_max_depth=DEPTH + 4,
    graphql_max_aliases=1000,
    graphql_max_tokens=100_000,
    graphql_max_page_size=100,
    graphql_max_cost=10**12,  # the walk asks for everything at once, on a tiny graph
    graphql_max_cost_by_role={},
    graphql_cache_size=0,
    graphql_introspection=True,
)
SCHEMA = build_schema(SETTINGS)


@dataclass(frozen=True)
class Probe:
    coordinate: str  # Query.field
    text: str
    fields: frozenset[str]  # every Type.field the document selects


def _input_entries(name: str, named: GraphQLInputObjectType) -> list[str]:
    """``name: {field: key}`` for each key-like field of an input object and each key."""
    entries = []
    for inner, inner_field in named.fields.items():
        kind = KIND_OF_NAME.get(inner)
        if kind is None:
            continue
        inner_type = inner_field.type
        if isinstance(inner_type, GraphQLNonNull):
            inner_type = inner_type.of_type
        listed = isinstance(inner_type, GraphQLList)
        for key in KEYS[kind]:
            value = f"[{json.dumps(key)}]" if listed else json.dumps(key)
            entries.append(f"{name}: {{{inner}: {value}}}")
    return entries


def _argument_sets(field_name: str, field: GraphQLField) -> Iterator[str]:
    """Argument lists for ``field``: its required arguments with each key, or (with none
    required) no arguments and then each optional key-like argument or input field with each
    key. Nothing when a required argument cannot be filled."""
    required: list[str] = []
    optional: list[str] = []
    fixed: list[str] = []  # given with every argument list
    for name, arg in field.args.items():
        kind = KIND_OF_NAME.get(name) or (
            KIND_OF_ID_FIELD.get(field_name) if name == "id" else None
        )
        named = get_named_type(arg.type)
        is_required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
        if kind is not None:
            entries = [f"{name}: {json.dumps(key)}" for key in KEYS[kind]]
        elif isinstance(named, GraphQLInputObjectType):
            entries = _input_entries(name, named)
        elif is_required and name in VALUES_OF_NAME:
            entries = [f"{name}: {value}" for value in VALUES_OF_NAME[name]]
        elif is_required and name in VALUE_OF_NAME:
            fixed.append(f"{name}: {VALUE_OF_NAME[name]}")
            continue
        elif is_required:
            return  # a required argument this walk cannot fill (the coverage test notices)
        else:
            entries = []
        (required if is_required else optional).extend(entries)
    if required:
        yield from (f"({', '.join([*fixed, entry])})" for entry in required)
        return
    yield f"({', '.join(fixed)})" if fixed else ""
    yield from (f"({', '.join([*fixed, entry])})" for entry in optional)


def _selection(named: GraphQLNamedType, depth: int, path: frozenset[str], seen: set[str]) -> str:
    """Every field of ``named`` down to ``depth``, without repeating a type along the path."""
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        possible = SCHEMA._schema.get_possible_types(named)
        parts = ["__typename"]
        for member in possible:
            inner = _selection(member, depth, path, seen)
            if inner:
                parts.append(f"... on {member.name} {inner}")
        return "{ " + " ".join(parts) + " }"
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = []
    for name, field in named.fields.items():
        inner_type = get_named_type(field.type)
        arguments = next(_argument_sets(name, field), None)
        if arguments is None:
            continue
        if isinstance(inner_type, GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType):
            if depth == 0 or inner_type.name in path:
                continue
            inner = _selection(inner_type, depth - 1, path | {inner_type.name}, seen)
            if not inner:
                continue
            parts.append(f"{name}{arguments} {inner}")
        else:
            parts.append(f"{name}{arguments}")
        seen.add(f"{named.name}.{name}")
    return "{ " + " ".join(parts) + " }" if parts else ""


def probes() -> list[Probe]:
    query = SCHEMA._schema.query_type
    assert query is not None
    found = []
    for name, field in query.fields.items():
        named = get_named_type(field.type)
        for arguments in _argument_sets(name, field):
            seen: set[str] = {f"Query.{name}"}
            inner = _selection(named, DEPTH, frozenset({named.name}), seen)
            text = "{ " + f"{name}{arguments} {inner}" + " }"
            found.append(Probe(f"Query.{name}", text, frozenset(seen)))
    return found


PROBES = probes()


def test_every_query_field_is_probed() -> None:
    query = SCHEMA._schema.query_type
    assert query is not None
    assert {p.coordinate for p in PROBES} == {f"Query.{n}" for n in query.fields}


async def _answer(db: Database, caller: Caller, probe: Probe) -> dict[str, Any]:
    result = await SCHEMA.execute(probe.text, context_value=Context(db=db, principal=caller))
    codes = [(e.extensions or {}).get("code") for e in result.errors or []]
    assert "INTERNAL_ERROR" not in codes, (probe.text, result.errors)
    assert not any(code == "GRAPHQL_VALIDATION_FAILED" for code in codes), result.errors
    return {"data": result.data, "errors": [e.formatted for e in result.errors or []]}


async def test_no_role_reads_what_is_not_its_own(db: Database) -> None:
    await load_fixture_graph(db, "two_tenants")
    leaks: list[str] = []
    pairs: set[tuple[str, str]] = set()
    for who, (caller, forbidden) in FORBIDDEN.items():
        for probe in PROBES:
            text = json.dumps(await _answer(db, caller, probe))
            pairs |= {(who, f) for f in probe.fields}
            # A key the probe asked for may come back in its NotFound: that tells nothing.
            leaked = [word for word in forbidden if word in text and word not in probe.text]
            if leaked:
                leaks.append(f"{who}: {probe.text[:90]}... shows {leaked}")
    print(
        f"\nisolation: {len(pairs)} (role, field) pairs checked in"
        f" {len(PROBES) * len(FORBIDDEN)} queries"
    )
    assert not leaks, "\n".join(leaks[:40]) + f"\n({len(leaks)} leaking queries)"


async def test_the_walk_would_see_a_leak(db: Database) -> None:
    """The same walk as admin finds every forbidden word: the fixture and probes can see them."""
    await load_fixture_graph(db, "two_tenants")
    everything = "".join(
        [json.dumps(await _answer(db, Caller(role=Role.ADMIN), p)) for p in PROBES]
    )
    words = {w for _, forbidden in FORBIDDEN.values() for w in forbidden}
    assert sorted(w for w in words if w not in everything) == []

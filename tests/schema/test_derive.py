"""The model is defined once: ingest records, read models and GraphQL types must agree."""

from __future__ import annotations

import dataclasses

import pytest
from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLScalarType
from strawberry.utils.str_converters import to_camel_case

from graph import entities
from graph.records import NODE_TYPES, NodeRecord
from schema import derive, listing
from schema.root import build_schema

# Fields on purpose on one side only: what the read side takes from a relationship or groups,
# and labels the API does not serve.
READ_ONLY = {
    "MaterialLot": {"promised_at", "delivered_at"},  # from SUPPLIED, when read through a supplier
    "Batch": {"consumed_quantity", "consumed_unit"},  # from CONSUMED, when read as an input
    # The cost fields, grouped as seed 000 shows them; who reported and when it closed,
    # written by the quality mutations (graph/quality.py), never loaded.
    "QualityIssue": {"cost_impact", "reported_by", "closed_at"},
    "Investigation": {"started_at"},
    # overdue is computed on read (cypher/quality/issues.cypher); the times are the mutations'.
    "Action": {"overdue", "started_at", "cancelled_at"},
    # Always true: the node exists; the message and the answer's who and when are the mutations'.
    "SupplierNotification": {
        "notified",
        "message",
        "notified_by",
        "responded_at",
        "responded_by",
    },
    "Order": {"version"},  # counted by the workflow's mutations, never loaded
    "ProductionStage": {"delayed"},  # computed on read (cypher/orders/stages.cypher)
    # The plan and switching figures recordQcCheck writes (graph/qc_checks.py), never loaded.
    "QCCheck": {
        "lot_size",
        "inspection_level",
        "severity",
        "severity_after",
        "code_letter",
        "code_letter_used",
        "acceptance_number",
        "rejection_number",
        "resubmitted",
        "checked_by",
    },
}
GROUPED = {"QualityIssue": set(entities.CostImpactModel.model_fields)}
NOT_SERVED = {"DowntimeEvent"}


def _read_names(model: type[entities.ReadModel]) -> set[str]:
    names = set()
    for name, field in model.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else name)
    return names


@pytest.mark.parametrize("record", NODE_TYPES, ids=lambda r: r.LABEL)
def test_every_ingested_field_is_read_and_every_read_field_ingested(
    record: type[NodeRecord],
) -> None:
    label = record.LABEL
    model = getattr(entities, f"{label}Model", None)
    if label in NOT_SERVED:
        assert model is None
        return
    assert model is not None, f"no read model for {label}"
    ingested = set(record.model_fields) - GROUPED.get(label, set())
    read = _read_names(model) - READ_ONLY.get(label, set())
    assert ingested == read, (
        f"{label}: only ingested {sorted(ingested - read)}, only read {sorted(read - ingested)}"
    )


def test_every_read_field_is_a_graphql_field_with_its_description() -> None:
    schema = build_schema()._schema
    checked = 0
    for model, derived_type in derive._DERIVED.items():
        name = derived_type.__strawberry_definition__.name  # type: ignore[attr-defined]
        gql = schema.type_map[name]
        assert isinstance(gql, GraphQLObjectType)
        for field_name, field in model.model_fields.items():
            graphql_name = "id" if field_name == "id" else to_camel_case(field_name)
            assert graphql_name in gql.fields, f"{name}.{graphql_name} missing"
            assert gql.fields[graphql_name].description == field.description
            checked += 1
    assert checked > 150


def test_every_entity_type_has_a_uniform_id() -> None:
    schema = build_schema()._schema
    entity_types = [t for m, t in derive._DERIVED.items() if issubclass(m, entities.Entity)]
    assert len(entity_types) >= 19
    for derived_type in entity_types:
        definition = derived_type.__strawberry_definition__  # type: ignore[attr-defined]
        gql = schema.type_map[definition.name]
        assert isinstance(gql, GraphQLObjectType)
        id_type = gql.fields["id"].type
        assert isinstance(id_type, GraphQLNonNull)
        assert isinstance(id_type.of_type, GraphQLScalarType)
        assert id_type.of_type.name == "ID"


def test_a_filter_field_the_cypher_does_not_read_stops_start_up() -> None:
    original = listing._FILTERS["orders"]

    @dataclasses.dataclass
    class Typo:
        workflow_stauts: str | None = None

    fields = {f.name: f for f in dataclasses.fields(original)}
    assert "workflow_status" in fields
    listing._FILTERS["orders"] = Typo
    try:
        with pytest.raises(TypeError, match=r"workflow_stauts.*workflow_status|lacks"):
            build_schema()
    finally:
        listing._FILTERS["orders"] = original
    build_schema()


def test_a_list_query_without_a_filter_input_stops_start_up() -> None:
    original = listing._FILTERS.pop("lots")
    try:
        with pytest.raises(TypeError, match="lists without a filter input: \\['lots'\\]"):
            build_schema()
    finally:
        listing._FILTERS["lots"] = original

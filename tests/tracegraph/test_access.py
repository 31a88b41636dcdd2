"""The role-by-operation table: issue 10's rules, its field groups against the schema, its docs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from graphql import GraphQLObjectType, build_schema

from resolvers.context import Role
from tracegraph import access
from tracegraph.access import FieldGroup, Forbidden, ForbiddenError, Limit, RowScope

ROOT = Path(__file__).resolve().parents[2]

# The write operations the workflow issues will add (the list this table was asked to cover).
NAMED = [
    "createOrder",
    "provideQuote",
    "acceptQuote",
    "assignSupplier",
    "startProduction",
    "reportDelay",
    "resumeProduction",
    "requestQc",
    "failQc",
    "updateStageProgress",
    "recordQcCheck",
    "ship",
    "confirmDelivery",
    "completeOrder",
    "cancelOrder",
    "receiveLot",
    "recordBatch",
    "consume",
    "produceSerials",
    "scrap",
    "reportQualityIssue",
    "updateInvestigation",
    "addAction",
    "updateAction",
    "notifySupplier",
    "respondToNotification",
    # Issue 12 §2 worked the quality rows out one step per mutation.
    "recordCostImpact",
    "openInvestigation",
    "startInvestigation",
    "addVerificationTest",
    "closeInvestigation",
    "startAction",
    "completeAction",
    "cancelAction",
    "closeQualityIssue",
    "quarantineLot",
    "releaseLot",
    "openRecall",
    "markCustomerNotified",
    "closeRecall",
    "recordRecovery",
    "uploadDocument",
]


def test_docs_access_md_is_the_rendered_table() -> None:
    committed = (ROOT / "docs" / "access.md").read_text(encoding="utf-8")
    assert committed == access.render_markdown(), (
        "docs/access.md is stale: run `python -m tracegraph.access > docs/access.md`"
    )


def test_every_named_operation_and_every_role_has_a_rule() -> None:
    assert sorted(access.WRITES) == sorted(NAMED)
    assert set(access.READS) == set(Role)


def test_admin_may_everything_and_analyst_nothing() -> None:
    for operation in access.WRITES:
        assert access.may(Role.ADMIN, operation)
        assert not access.may(Role.ANALYST, operation)
    for role in (Role.ADMIN, Role.ANALYST, Role.QUALITY):
        assert access.row_scope(role) is RowScope.ALL
        assert all(access.may_read(role, group) for group in FieldGroup)


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (
            Role.QUALITY,
            "updateInvestigation addAction updateAction notifySupplier quarantineLot releaseLot"
            " openRecall closeRecall recordQcCheck receiveLot",
            "recordBatch consume acceptQuote updateStageProgress respondToNotification",
        ),
        (
            Role.PRODUCTION,
            "receiveLot recordBatch consume produceSerials scrap updateStageProgress recordQcCheck",
            "quarantineLot openRecall updateInvestigation provideQuote acceptQuote",
        ),
        (
            Role.BUYER,
            "acceptQuote confirmDelivery",
            "provideQuote ship recordBatch updateStageProgress quarantineLot",
        ),
        (
            Role.SUPPLIER,
            "updateStageProgress respondToNotification",
            "acceptQuote confirmDelivery recordBatch notifySupplier quarantineLot",
        ),
    ],
)
def test_writes_follow_the_issue(role: Role, allowed: str, refused: str) -> None:
    for operation in allowed.split():
        assert access.may(role, operation), (role, operation)
    for operation in refused.split():
        assert not access.may(role, operation), (role, operation)


def test_tenants_write_only_their_own_rows() -> None:
    for operation in ("createOrder", "acceptQuote", "confirmDelivery"):
        assert access.limit(Role.BUYER, operation) is Limit.OWN_ORDERS
    assert access.limit(Role.SUPPLIER, "updateStageProgress") is Limit.ASSIGNED_ORDERS
    assert access.limit(Role.SUPPLIER, "respondToNotification") is Limit.OWN_NOTIFICATIONS
    assert access.limit(Role.PRODUCTION, "updateStageProgress") is Limit.ANY


def test_reads_follow_the_issue() -> None:
    assert access.row_scope(Role.BUYER) is RowScope.CUSTOMER
    assert access.row_scope(Role.SUPPLIER) is RowScope.SUPPLIER
    assert access.row_scope(Role.PRODUCTION) is RowScope.ALL
    hidden = {
        Role.PRODUCTION: {FieldGroup.PRICES, FieldGroup.COSTS},
        Role.BUYER: {FieldGroup.COSTS, FieldGroup.MARGIN},
        Role.SUPPLIER: {FieldGroup.PRICES, FieldGroup.MARGIN, FieldGroup.OTHER_SUPPLIERS},
    }
    for role, groups in hidden.items():
        for group in groups:
            assert not access.may_read(role, group), (role, group)
    assert access.may_read(Role.BUYER, FieldGroup.PRICES)
    assert access.may_read(Role.SUPPLIER, FieldGroup.COSTS)


def test_field_groups_name_fields_of_the_schema() -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    for group, fields in access.FIELD_GROUP_FIELDS.items():
        for name in fields:
            type_name, field = name.split(".")
            graphql_type = schema.get_type(type_name)
            assert isinstance(graphql_type, GraphQLObjectType), (group, name)
            assert field in graphql_type.fields, (group, name)


def test_unknown_operation_is_an_error_not_a_refusal() -> None:
    with pytest.raises(ValueError, match="no write operation named 'acceptQoute'"):
        access.may(Role.ADMIN, "acceptQoute")


def test_check_raises_forbidden_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    access.check(Role.BUYER, "acceptQuote")
    with (
        caplog.at_level(logging.WARNING, logger="tracegraph.access"),
        pytest.raises(ForbiddenError) as e,
    ):
        access.check(Role.BUYER, "ship", user_id="U-001")
    assert e.value.forbidden == Forbidden("ship", Role.BUYER)
    assert e.value.code == "FORBIDDEN"
    assert str(e.value) == "the buyer role may not ship"
    [record] = caplog.records
    assert record.__dict__["event"] == "write_refused"
    assert (record.__dict__["operation"], record.__dict__["role"]) == ("ship", "buyer")
    assert record.__dict__["user"] == "U-001"

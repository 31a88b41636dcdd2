"""Who may read and write what: the one table of role-by-operation rules (issue 10 §2).

Everything that decides access reads this module: the row scope of each role's reads, the field
groups a role does not see, and the roles that may run each write. ``docs/access.md`` is
:func:`render_markdown` of these tables (``python -m tracegraph.access > docs/access.md``; a test
keeps them in step).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from tracegraph.errors import TracegraphError

log = logging.getLogger("tracegraph.access")


class Role(enum.Enum):
    """What a caller may read and write: this module holds the rules of each role."""

    ADMIN = "admin"
    QUALITY = "quality"
    PRODUCTION = "production"
    BUYER = "buyer"
    SUPPLIER = "supplier"
    ANALYST = "analyst"


class RowScope(enum.Enum):
    """Which rows a role reads; out of scope answers exactly like a missing key (NotFound)."""

    ALL = "everything"
    CUSTOMER = "its customer's orders and what hangs off them (batches, serials, issues, stages)"
    SUPPLIER = "its lots, what was made from them, the orders assigned to it"


class FieldGroup(enum.Enum):
    """Fields hidden as one: a role either reads every field of a group or none."""

    PRICES = "prices"
    COSTS = "costs"
    MARGIN = "margin"
    QUALITY_COSTS = "quality costs"
    SUPPLIER_CONTACTS = "supplier contacts"
    OTHER_SUPPLIERS = "other suppliers"


# The schema fields of each group, as `Type.field` of schema.graphql.
FIELD_GROUP_FIELDS: Mapping[FieldGroup, tuple[str, ...]] = {
    FieldGroup.PRICES: ("Order.buyerPrice",),
    FieldGroup.COSTS: ("Order.supplierCost",),
    # No margin field exists yet; one derived from price and cost belongs here the day it is added.
    FieldGroup.MARGIN: (),
    FieldGroup.QUALITY_COSTS: (
        "QualityIssue.costImpact",
        "ImpactTotals.costImpact",
        "TraceIssue.totalCost",
        "SupplierQualityMetrics.totalCostImpact",
        "ScorecardFigures.costOfQuality",
        "ScorecardFigures.chargedToSupplier",
        "ParetoEntry.cost",
        "CostRow.scrapCost",
        "CostRow.reworkCost",
        "CostRow.downtimeCost",
        "CostRow.investigationCost",
        "CostRow.totalCost",
        "CostRow.chargedToSupplier",
        "CostRow.chargedPercent",
    ),
    FieldGroup.SUPPLIER_CONTACTS: (
        "Supplier.contactName",
        "Supplier.contactEmail",
        "Supplier.phone",
    ),
    # Row-dependent: these fields of a supplier other than the caller's own (on shared batches).
    FieldGroup.OTHER_SUPPLIERS: (
        "Supplier.name",
        "Supplier.contactName",
        "Supplier.contactEmail",
        "Supplier.phone",
    ),
}

FIELD_GROUP_MEANING: Mapping[FieldGroup, str] = {
    FieldGroup.PRICES: "what the customer pays",
    FieldGroup.COSTS: "what the supplier is paid",
    FieldGroup.MARGIN: "buyer price minus supplier cost",
    FieldGroup.QUALITY_COSTS: "scrap, rework, downtime and investigation cost of quality issues",
    FieldGroup.SUPPLIER_CONTACTS: "contact person, e-mail and phone of suppliers",
    FieldGroup.OTHER_SUPPLIERS: "name and contacts of suppliers other than the caller's own",
}


@dataclass(frozen=True)
class Reads:
    scope: RowScope
    hidden: frozenset[FieldGroup] = frozenset()


READS: Mapping[Role, Reads] = {
    Role.ADMIN: Reads(RowScope.ALL),
    Role.QUALITY: Reads(RowScope.ALL),
    Role.PRODUCTION: Reads(
        RowScope.ALL,
        frozenset(
            {FieldGroup.PRICES, FieldGroup.COSTS, FieldGroup.MARGIN, FieldGroup.QUALITY_COSTS}
        ),
    ),
    Role.BUYER: Reads(
        RowScope.CUSTOMER,
        frozenset(
            {
                FieldGroup.COSTS,
                FieldGroup.MARGIN,
                FieldGroup.QUALITY_COSTS,
                FieldGroup.SUPPLIER_CONTACTS,
            }
        ),
    ),
    Role.SUPPLIER: Reads(
        RowScope.SUPPLIER,
        frozenset(
            {
                FieldGroup.PRICES,
                FieldGroup.MARGIN,
                FieldGroup.QUALITY_COSTS,
                FieldGroup.OTHER_SUPPLIERS,
            }
        ),
    ),
    Role.ANALYST: Reads(RowScope.ALL),
}


class Limit(enum.Enum):
    """Which rows a permitted write may touch (beyond the role's read scope)."""

    ANY = "any in its read scope"
    OWN_ORDERS = "its customer's orders"
    ASSIGNED_ORDERS = "orders assigned to its supplier"
    OWN_NOTIFICATIONS = "notifications sent to its supplier"
    OWN_ACTIONS = "actions it owns"


@dataclass(frozen=True)
class Write:
    operation: str
    does: str
    # Roles other than admin that may run it; admin may run every write.
    roles: Mapping[Role, Limit]


def _w(operation: str, does: str, **roles: Limit) -> Write:
    return Write(operation, does, {Role(name): limit for name, limit in roles.items()})


_ANY = Limit.ANY
WRITES: Mapping[str, Write] = {
    w.operation: w
    for w in (
        # Order workflow (seed 004): quote requested → provided → accepted → assigned → made →
        # checked → shipped → delivered.
        _w("createOrder", "request a quote for a new order", buyer=Limit.OWN_ORDERS),
        _w("provideQuote", "quote a price for a requested order"),
        _w("acceptQuote", "accept the quote of an order", buyer=Limit.OWN_ORDERS),
        _w("assignSupplier", "assign an accepted order to a supplier"),
        _w(
            "startProduction",
            "start production of an assigned order",
            production=_ANY,
            supplier=Limit.ASSIGNED_ORDERS,
        ),
        _w(
            "reportDelay",
            "report an order's production delayed",
            production=_ANY,
            supplier=Limit.ASSIGNED_ORDERS,
        ),
        _w(
            "resumeProduction",
            "resume a delayed order's production",
            production=_ANY,
            supplier=Limit.ASSIGNED_ORDERS,
        ),
        _w(
            "requestQc",
            "hand a produced order over to quality",
            production=_ANY,
            supplier=Limit.ASSIGNED_ORDERS,
        ),
        _w("failQc", "send an order back to production after a failed QC", quality=_ANY),
        _w(
            "updateStageProgress",
            "record progress of a production stage",
            production=_ANY,
            supplier=Limit.ASSIGNED_ORDERS,
        ),
        _w("recordQcCheck", "record a QC check of an order", quality=_ANY, production=_ANY),
        _w("ship", "mark an order shipped", production=_ANY, supplier=Limit.ASSIGNED_ORDERS),
        _w("confirmDelivery", "confirm an order arrived", buyer=Limit.OWN_ORDERS),
        _w("completeOrder", "close a delivered order"),
        _w("cancelOrder", "cancel an order before it ships"),
        # Materials and genealogy.
        _w(
            "receiveLot",
            "receive a material lot from a supplier",
            production=_ANY,
            quality=_ANY,
        ),
        _w("recordBatch", "record a production batch", production=_ANY),
        _w("consume", "record a lot or batch consumed by a batch", production=_ANY),
        _w("produceSerials", "record the serials a batch produced", production=_ANY),
        _w("scrap", "scrap part of a lot or a batch", production=_ANY),
        # Quality.
        _w("reportQualityIssue", "report a quality issue found in a batch", quality=_ANY),
        _w("recordCostImpact", "record what a quality issue cost", quality=_ANY),
        _w("openInvestigation", "open an issue's root-cause investigation", quality=_ANY),
        _w(
            "updateInvestigation",
            "update an investigation: suspected lots, root cause, investigator",
            quality=_ANY,
        ),
        _w("startInvestigation", "start work on an open investigation", quality=_ANY),
        _w("addVerificationTest", "record a test of a suspected root cause", quality=_ANY),
        _w("closeInvestigation", "close an investigation with its root cause", quality=_ANY),
        _w("addAction", "add a corrective or preventive action", quality=_ANY),
        _w(
            "updateAction",
            "edit an action: description, owner, due date",
            quality=_ANY,
            production=Limit.OWN_ACTIONS,
            supplier=Limit.OWN_ACTIONS,
        ),
        _w(
            "startAction",
            "start work on an action",
            quality=_ANY,
            production=Limit.OWN_ACTIONS,
            supplier=Limit.OWN_ACTIONS,
        ),
        _w(
            "completeAction",
            "mark an action done",
            quality=_ANY,
            production=Limit.OWN_ACTIONS,
            supplier=Limit.OWN_ACTIONS,
        ),
        _w(
            "cancelAction",
            "cancel an action",
            quality=_ANY,
            production=Limit.OWN_ACTIONS,
            supplier=Limit.OWN_ACTIONS,
        ),
        _w(
            "notifySupplier",
            "notify the suppliers of an investigation's suspected lots",
            quality=_ANY,
        ),
        _w(
            "respondToNotification",
            "answer a supplier notification (response, CAPA number)",
            supplier=Limit.OWN_NOTIFICATIONS,
        ),
        _w(
            "closeQualityIssue",
            "close an issue whose investigation is closed and actions finished",
            quality=_ANY,
        ),
        _w("quarantineLot", "put a lot on hold", quality=_ANY),
        _w("releaseLot", "release a lot from hold", quality=_ANY),
        _w("openRecall", "open a recall", quality=_ANY),
        _w("markCustomerNotified", "record that a recall's customer was notified", quality=_ANY),
        _w("closeRecall", "close a recall", quality=_ANY),
        _w("recordRecovery", "record units recovered in a recall", quality=_ANY),
        _w(
            "uploadDocument",
            "attach a document or photo to a record the role may write",
            quality=_ANY,
            production=_ANY,
            supplier=Limit.ASSIGNED_ORDERS,
        ),
    )
}


# Where issue 10's table is silent, what this table decided (rendered in docs/access.md).
DECISIONS: tuple[str, ...] = (
    "Quality costs (what an issue cost) count as costs: hidden wherever costs are, and from"
    " suppliers too, whose own cost is in `Order.supplierCost`.",
    "Buyers do not see suppliers' contact person, e-mail or phone.",
    "`provideQuote`, `assignSupplier`, `completeOrder` and `cancelOrder` are the platform's"
    " (admin only).",
    "The assigned supplier moves its order through production (start, delay, resume, hand over"
    " to QC, ship), as production may; `failQc` is quality's.",
    "`receiveLot` goes with production's batches and consumption, and with quality's incoming"
    " inspection.",
    "Buyers do not read supplier notifications (the plant's correspondence with its suppliers);"
    " a supplier reads only those sent to it.",
    "`reportQualityIssue` is quality's, with the investigations; production reports through QC"
    " checks.",
    "An action is edited and moved by quality, admin, or its owner (the user its `owner` names):"
    " production and supplier users only on actions they own, within their read scope.",
    "`uploadDocument` goes to the roles that write the records a document attaches to.",
)


@dataclass(frozen=True)
class Forbidden:
    """A write refused for the caller's role: the typed result a mutation returns."""

    operation: str
    role: Role

    @property
    def message(self) -> str:
        return f"the {self.role.value} role may not {self.operation}"


class ForbiddenError(TracegraphError):
    code = "FORBIDDEN"

    def __init__(self, forbidden: Forbidden) -> None:
        super().__init__(forbidden.message)
        self.forbidden = forbidden


def _write(operation: str) -> Write:
    try:
        return WRITES[operation]
    except KeyError:
        # A typo in an operation name must fail loudly, not read as "nobody may".
        raise ValueError(f"no write operation named {operation!r} in tracegraph.access") from None


def limit(role: Role, operation: str) -> Limit | None:
    """The rows ``role`` may touch with ``operation``, or None if it may not run it."""
    write = _write(operation)
    if role is Role.ADMIN:
        return Limit.ANY
    return write.roles.get(role)


def may(role: Role, operation: str) -> bool:
    return limit(role, operation) is not None


def refusal(role: Role, operation: str, *, user_id: str | None = None) -> Forbidden | None:
    """None when ``role`` may run ``operation``; else the refusal, logged as a security event."""
    if may(role, operation):
        return None
    log.warning(
        "write refused",
        extra={
            "event": "write_refused",
            "operation": operation,
            "role": role.value,
            "user": user_id,
        },
    )
    return Forbidden(operation, role)


def check(role: Role, operation: str, *, user_id: str | None = None) -> None:
    """Raise :class:`ForbiddenError` (the refusal logged) unless ``role`` may run ``operation``."""
    refused = refusal(role, operation, user_id=user_id)
    if refused is not None:
        raise ForbiddenError(refused)


def may_read(role: Role, group: FieldGroup) -> bool:
    return group not in READS[role].hidden


def row_scope(role: Role) -> RowScope:
    return READS[role].scope


def render_markdown() -> str:
    """docs/access.md: the tables above, for people."""
    roles = list(Role)
    lines = [
        "# Access: roles and what each may do",
        "",
        "Generated from `tracegraph/access.py` (`python -m tracegraph.access > docs/access.md`);"
        " a test fails when the two differ. A token's role claim names one of these roles.",
        "",
        "## Reads",
        "",
        "Rows out of a role's scope answer exactly like a missing key (`NotFound`), so existence"
        " never leaks. A hidden field group reads as null.",
        "",
        "| role | rows | hidden field groups |",
        "|---|---|---|",
    ]
    for role in roles:
        reads = READS[role]
        hidden = ", ".join(g.value for g in FieldGroup if g in reads.hidden) or "none"
        lines.append(f"| `{role.value}` | {reads.scope.value} | {hidden} |")
    lines += ["", "### Field groups", "", "| group | what | fields |", "|---|---|---|"]
    for group in FieldGroup:
        fields = ", ".join(f"`{f}`" for f in FIELD_GROUP_FIELDS[group]) or "(none yet)"
        lines.append(f"| {group.value} | {FIELD_GROUP_MEANING[group]} | {fields} |")
    lines += [
        "",
        "## Writes",
        "",
        "`admin` may run every write; `analyst` none. A write outside one's rights is a typed"
        " `Forbidden` result naming the operation and the role. ✓ = on any row in the role's read"
        " scope; otherwise the rows it is limited to.",
        "",
        "| operation | what | " + " | ".join(f"`{r.value}`" for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for write in WRITES.values():
        cells = []
        for role in roles:
            allowed = limit(role, write.operation)
            cells.append("—" if allowed is None else "✓" if allowed is Limit.ANY else allowed.value)
        lines.append(f"| `{write.operation}` | {write.does} | " + " | ".join(cells) + " |")
    lines += ["", "## Beyond the issue's table", ""]
    lines += [f"- {decision}" for decision in DECISIONS]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")

"""An issue's follow-up: investigation, verification tests, actions, supplier notification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import (
    ActionModel,
    InvestigationModel,
    MaterialLotModel,
    SupplierModel,
    SupplierNotificationModel,
    VerificationTestModel,
)
from schema.derive import derived, related

if TYPE_CHECKING:
    from schema.lots import MaterialLot
    from schema.suppliers import Supplier


@derived(VerificationTestModel)
class VerificationTest:
    pass


@derived(InvestigationModel)
class Investigation:
    suspected_lots: list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]] = related(
        "api.investigation_suspected_lots", MaterialLotModel, description="Lots it suspects."
    )
    verification_tests: list[VerificationTest] = related(
        "api.investigation_tests",
        VerificationTestModel,
        description="Its verification tests, oldest first.",
    )


@derived(ActionModel)
class Action:
    pass


@derived(SupplierNotificationModel)
class SupplierNotification:
    supplier: Annotated[Supplier, strawberry.lazy("schema.suppliers")] | None = related(
        "api.notification_supplier",
        SupplierModel,
        single=True,
        description="The supplier notified.",
    )

"""Plant resources a batch runs with: machines, shifts, operators."""

from __future__ import annotations

from graph.entities import MachineModel, OperatorModel, ShiftModel
from schema.derive import derived


@derived(MachineModel)
class Machine:
    pass


@derived(ShiftModel)
class Shift:
    pass


@derived(OperatorModel)
class Operator:
    pass

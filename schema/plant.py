"""Plant resources a batch runs with: machines, shifts, operators."""

from __future__ import annotations

import strawberry

from graph.entities import MachineRecord, OperatorRecord, ShiftRecord


@strawberry.type(description="A production machine (key: id, e.g. M-01).")
class Machine:
    id: str = strawberry.field(description="Machine key.")
    name: str | None = strawberry.field(description="Name.")
    type: str | None = strawberry.field(description="Machine type.")
    line: str | None = strawberry.field(description="Production line.")

    @classmethod
    def from_record(cls, rec: MachineRecord) -> Machine:
        return cls(id=rec.id, name=rec.name, type=rec.type, line=rec.line)


@strawberry.type(description="A work shift (key: id, e.g. A).")
class Shift:
    id: str = strawberry.field(description="Shift key.")
    name: str | None = strawberry.field(description="Name, e.g. Morning.")
    start_time: str | None = strawberry.field(description="Start, HH:MM.")
    end_time: str | None = strawberry.field(description="End, HH:MM.")

    @classmethod
    def from_record(cls, rec: ShiftRecord) -> Shift:
        return cls(id=rec.id, name=rec.name, start_time=rec.start_time, end_time=rec.end_time)


@strawberry.type(description="A machine operator (key: id, e.g. OP-001).")
class Operator:
    id: str = strawberry.field(description="Operator key.")
    name: str | None = strawberry.field(description="Name.")

    @classmethod
    def from_record(cls, rec: OperatorRecord) -> Operator:
        return cls(id=rec.id, name=rec.name)

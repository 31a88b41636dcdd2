"""The shop floor: machines, shifts, operators, batches (genealogy), serials and downtime."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from graph.records.base import Float, Int, Key, NodeRecord, RelRecord
from graph.records.orders import Order
from graph.records.supply import MaterialLot
from graph.vocabulary import BatchStatus, SerialStatus

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class Machine(NodeRecord):
    LABEL = "Machine"
    KEY = "id"
    id: Key
    name: str
    type: str | None = None
    line: str | None = None


class Shift(NodeRecord):
    LABEL = "Shift"
    KEY = "id"
    id: Key
    name: str
    start_time: str | None = Field(default=None, pattern=HHMM)
    end_time: str | None = Field(default=None, pattern=HHMM)


class Operator(NodeRecord):
    LABEL = "Operator"
    KEY = "id"
    id: Key
    name: str


class Batch(NodeRecord):
    LABEL = "Batch"
    KEY = "batch_id"
    batch_id: Key
    production_date: date
    quantity: Int = Field(ge=0)
    serial_start: str | None = None
    serial_end: str | None = None
    level: Int = Field(default=0, ge=0)
    status: BatchStatus = "completed"

    @model_validator(mode="after")
    def _range(self) -> Batch:
        if (self.serial_start is None) != (self.serial_end is None):
            raise ValueError("serial_start and serial_end come together")
        return self


class Serial(NodeRecord):
    LABEL = "Serial"
    KEY = "serial_number"
    serial_number: Key
    status: SerialStatus = "ok"


class DowntimeEvent(NodeRecord):
    LABEL = "DowntimeEvent"
    KEY = "id"
    id: Key
    date: date
    reason: str
    minutes: Int = Field(ge=0)


class ConsumedLot(RelRecord):
    TYPE = "CONSUMED"
    VARIANT = "_lot"
    FROM = Batch
    TO = MaterialLot
    quantity: Float | None = Field(default=None, ge=0)
    unit: str | None = None


class ConsumedBatch(RelRecord):
    TYPE = "CONSUMED"
    VARIANT = "_batch"
    FROM = Batch
    TO = Batch
    quantity: Float | None = Field(default=None, ge=0)
    unit: str | None = None

    @model_validator(mode="after")
    def _not_itself(self) -> ConsumedBatch:
        # A loop would make every trace through this batch endless (and its genealogy nonsense).
        if self.src == self.dst:
            raise ValueError(f"batch {self.src!r} cannot consume itself")
        return self


class Produced(RelRecord):
    TYPE = "PRODUCED"
    ONE_PER = "dst"
    FROM = Batch
    TO = Serial


class ProducedSerial(RelRecord):
    """A batch producing a serial that the same write creates: the generator's bulk path.

    Serials and their PRODUCED links are half of a generated graph; one statement for both saves
    Neo4j a Serial lookup and a row pass for each of them."""

    TYPE = "PRODUCED"
    ONE_PER = "dst"
    FROM = Batch
    TO = Serial
    VARIANT = "_serial"
    CREATES_TARGET = True
    status: SerialStatus = "ok"


class ForOrder(RelRecord):
    TYPE = "FOR_ORDER"
    ONE_PER = "src"
    FROM = Batch
    TO = Order


class RunOn(RelRecord):
    TYPE = "RUN_ON"
    ONE_PER = "src"
    FROM = Batch
    TO = Machine


class OperatedBy(RelRecord):
    TYPE = "OPERATED_BY"
    ONE_PER = "src"
    FROM = Batch
    TO = Operator


class DuringShift(RelRecord):
    TYPE = "DURING_SHIFT"
    ONE_PER = "src"
    FROM = Batch
    TO = Shift


class OnMachine(RelRecord):
    TYPE = "ON_MACHINE"
    ONE_PER = "src"
    FROM = DowntimeEvent
    TO = Machine

"""Receiving and production capture: validate the input, check the role, one write transaction.

Answers are graph.shop_floor's dicts (received, recorded, consumed, produced, scrapped,
input_refused, serials_taken, or a shared failure kind).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Annotated, Any, Literal

from neo4j import AsyncManagedTransaction
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from graph import shop_floor
from graph.shop_floor import InputRef
from graph.vocabulary import InspectionResult
from graph.writes import Answer, WriteRequest
from resolvers.context import Info
from resolvers.mutations import KEY, TEXT, MutationInput, camel, run_write

MAX_QUANTITY = 1e12
# Most serials one produceSerials records (a range counts each number in it).
MAX_SERIALS = 10_000
SerialNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=KEY, pattern=r"^[^\x00-\x1f\x7f]*$"
    ),
]
Quantity = Annotated[float, Field(gt=0, le=MAX_QUANTITY, allow_inf_nan=False)]
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<digits>\d+)$")


class _Receive(MutationInput):
    lot_number: str = Field(min_length=1, max_length=KEY)
    supplier_id: str = Field(min_length=1, max_length=KEY)
    material_id: str = Field(min_length=1, max_length=KEY)
    quantity: Quantity
    unit: str | None = Field(default=None, min_length=1, max_length=KEY)
    promised_date: dt.date | None = None
    delivered_date: dt.date
    expiry_date: dt.date | None = None
    inspection_result: InspectionResult
    note: str | None = Field(default=None, max_length=TEXT)

    @field_validator("expiry_date")
    @classmethod
    def _expiry(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        delivered = info.data.get("delivered_date")
        if value is not None and delivered is not None and value < delivered:
            raise ValueError(f"expiry_date {value} is before delivered_date {delivered}")
        return value


class _Batch(MutationInput):
    batch_id: str = Field(min_length=1, max_length=KEY)
    order_number: str = Field(min_length=1, max_length=KEY)
    machine_id: str = Field(min_length=1, max_length=KEY)
    shift_id: str = Field(min_length=1, max_length=KEY)
    operator_id: str = Field(min_length=1, max_length=KEY)
    production_date: dt.date
    quantity: int = Field(ge=1, le=10**9)
    status: Literal["completed", "in_progress"] = "completed"
    note: str | None = Field(default=None, max_length=TEXT)


def _exactly_one(first: str, second: str, value: str | None, info: ValidationInfo) -> str | None:
    """``second``'s value, when exactly one of ``first`` and ``second`` is given."""
    if first not in info.data:  # ``first`` failed its own checks: not absent, just wrong
        return value
    if (info.data[first] is None) == (value is None):
        raise ValueError(f"give exactly one of {camel(first)} and {camel(second)}")
    return value


class _Consume(MutationInput):
    batch_id: str = Field(min_length=1, max_length=KEY)
    lot_number: str | None = Field(default=None, min_length=1, max_length=KEY)
    input_batch_id: str | None = Field(
        default=None, min_length=1, max_length=KEY, validate_default=True
    )
    quantity: Quantity
    note: str | None = Field(default=None, max_length=TEXT)

    @field_validator("input_batch_id")
    @classmethod
    def _one_input(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _exactly_one("lot_number", "input_batch_id", value, info)

    @property
    def input(self) -> InputRef:
        return InputRef(lot_number=self.lot_number, batch_id=self.input_batch_id)


class _Scrap(MutationInput):
    lot_number: str | None = Field(default=None, min_length=1, max_length=KEY)
    batch_id: str | None = Field(default=None, min_length=1, max_length=KEY, validate_default=True)
    quantity: Quantity
    reason: str = Field(min_length=1, max_length=TEXT)

    @field_validator("batch_id")
    @classmethod
    def _one_input(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _exactly_one("lot_number", "batch_id", value, info)

    @property
    def input(self) -> InputRef:
        return InputRef(lot_number=self.lot_number, batch_id=self.batch_id)


class _Range(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    first: SerialNumber
    last: SerialNumber

    def numbers(self) -> list[str]:
        """Every serial number from ``first`` to ``last``: one prefix, then a counter."""
        first, last = _NUMBERED.match(self.first), _NUMBERED.match(self.last)
        if first is None or last is None:
            raise ValueError("first and last must end in digits, e.g. SN-000001 and SN-001000")
        if first["prefix"] != last["prefix"]:
            raise ValueError(
                f"first and last must share their prefix: {first['prefix']!r} and"
                f" {last['prefix']!r}"
            )
        start, end = int(first["digits"]), int(last["digits"])
        if end < start:
            raise ValueError(f"last {self.last} comes before first {self.first}")
        if end - start + 1 > MAX_SERIALS:
            raise ValueError(
                f"a range holds at most {MAX_SERIALS} serials; this one {end - start + 1}"
            )
        width = len(first["digits"])
        return [f"{first['prefix']}{n:0{width}d}" for n in range(start, end + 1)]


class _Serials(MutationInput):
    batch_id: str = Field(min_length=1, max_length=KEY)
    serial_numbers: list[SerialNumber] | None = Field(default=None, min_length=1)
    range: _Range | None = Field(default=None, validate_default=True)
    note: str | None = Field(default=None, max_length=TEXT)

    @field_validator("serial_numbers")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        if len(value) > MAX_SERIALS:
            raise ValueError(f"at most {MAX_SERIALS} serial numbers at once, got {len(value)}")
        twice = sorted(number for number, n in Counter(value).items() if n > 1)
        if twice:
            raise ValueError(f"serial numbers given twice: {', '.join(twice[:10])}")
        return value

    @field_validator("range")
    @classmethod
    def _one_way(cls, value: _Range | None, info: ValidationInfo) -> _Range | None:
        # serial_numbers failed its own checks: it is missing from info.data, not absent.
        if "serial_numbers" not in info.data:
            return value
        if (info.data["serial_numbers"] is None) == (value is None):
            raise ValueError("give exactly one of serialNumbers and range")
        if value is not None:
            value.numbers()  # refuses a range that is no range, naming this field
        return value

    @property
    def numbers(self) -> list[str]:
        return self.serial_numbers if self.serial_numbers is not None else self._range_numbers()

    def _range_numbers(self) -> list[str]:
        assert self.range is not None
        return self.range.numbers()


async def _receive(tx: AsyncManagedTransaction, request: WriteRequest, given: _Receive) -> Answer:
    return await shop_floor.receive_lot(
        tx,
        request,
        shop_floor.LotReceipt(
            lot_number=given.lot_number,
            supplier_id=given.supplier_id,
            material_id=given.material_id,
            quantity=given.quantity,
            unit=given.unit,
            promised_date=given.promised_date,
            delivered_date=given.delivered_date,
            expiry_date=given.expiry_date,
            inspection_result=given.inspection_result,
            note=given.note,
        ),
    )


async def _record(tx: AsyncManagedTransaction, request: WriteRequest, given: _Batch) -> Answer:
    return await shop_floor.record_batch(
        tx,
        request,
        shop_floor.BatchRecord(
            batch_id=given.batch_id,
            order_number=given.order_number,
            machine_id=given.machine_id,
            shift_id=given.shift_id,
            operator_id=given.operator_id,
            production_date=given.production_date,
            quantity=given.quantity,
            status=given.status,
            note=given.note,
        ),
    )


async def _consume(tx: AsyncManagedTransaction, request: WriteRequest, given: _Consume) -> Answer:
    return await shop_floor.consume(
        tx,
        request,
        batch_id=given.batch_id,
        given=given.input,
        quantity=given.quantity,
        note=given.note,
    )


async def _produce(tx: AsyncManagedTransaction, request: WriteRequest, given: _Serials) -> Answer:
    return await shop_floor.produce_serials(
        tx,
        request,
        given.batch_id,
        given.numbers,
        given.note,
        path="serialNumbers" if given.serial_numbers is not None else "range",
    )


async def _scrap(tx: AsyncManagedTransaction, request: WriteRequest, given: _Scrap) -> Answer:
    return await shop_floor.scrap(tx, request, given.input, given.quantity, given.reason)


async def resolve_receive_lot(info: Info, raw: Any) -> Answer:
    return await run_write(info, "receiveLot", _Receive, raw, _receive)


async def resolve_record_batch(info: Info, raw: Any) -> Answer:
    return await run_write(info, "recordBatch", _Batch, raw, _record)


async def resolve_consume(info: Info, raw: Any) -> Answer:
    return await run_write(info, "consume", _Consume, raw, _consume)


async def resolve_produce_serials(info: Info, raw: Any) -> Answer:
    return await run_write(info, "produceSerials", _Serials, raw, _produce)


async def resolve_scrap(info: Info, raw: Any) -> Answer:
    return await run_write(info, "scrap", _Scrap, raw, _scrap)

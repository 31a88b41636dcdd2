"""Importer of the JSON data store of seed 000, in both its formats.

v2.0 (``_meta.schema_version == "2.0"``): ``suppliers``, ``materials_catalog``,
``material_lots``, ``orders``, ``machines``, ``shifts`` and ``production[date][machine]`` with
``batches`` (``materials_consumed``) and enhanced ``quality_issues`` (``investigation``,
``corrective_actions``, ``preventive_actions``, ``supplier_notification``, ``cost_impact``).
Denormalised copies (``traceability``, ``materials_used``) are not stored: the graph derives them.

v1.0 (no ``_meta`` or another version): ``machines``, ``shifts`` and ``production[date][machine]``
with ``parts_produced``, ``quality_issues``, ``downtime_events`` and per-``shifts`` metrics. It is
migrated as seed section 6.1 says, deterministically (no randomness): one batch per shift with
production (or one per day), one order per machine and month, one lot of the legacy material per
machine and day from one of three legacy suppliers (chosen by a stable hash of the machine), and
each quality issue linked to its shift's batch, else to batch ``k mod n`` for its index ``k``. The
issue's affected serials are the first ``parts_affected`` serials of that batch's range.
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from graph.database import Database
from graph.ingest import DEFAULT_BATCH_SIZE, Progress
from graph.records import orders as o
from graph.records import production as p
from graph.records import quality as q
from graph.records import supply as s
from loaders.common import LoadResult, Unit, write_units
from tracegraph.errors import InvalidInputError

V1_SUPPLIERS = 3
V1_CUSTOMERS = 5
V1_MATERIAL = "MAT-V1"


class _RefusedError(ValueError):
    """A JSON construct the store may not hold (raised from the decoder's hooks)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            # json keeps the last value silently; a store that says a thing twice is an error.
            raise _RefusedError(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise _RefusedError(f"{name} is not a number a store may hold")


def read_store(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InvalidInputError(f"{path}: cannot read: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise InvalidInputError(f"{path}: not UTF-8 text (byte {e.start})") from e
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise InvalidInputError(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from e
    except _RefusedError as e:
        raise InvalidInputError(f"{path}: {e}") from e
    if not isinstance(data, dict):
        raise InvalidInputError(f"{path}: the data store must be a JSON object")
    return data


def store_version(data: dict[str, Any]) -> str:
    meta = data.get("_meta")
    if isinstance(meta, dict) and str(meta.get("schema_version", "")).startswith("2"):
        return "2.0"
    return "1.0"


async def load_json_store(
    db: Database,
    path: Path,
    *,
    skip_invalid: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> LoadResult:
    data = read_store(path)
    units = parse_v2(data) if store_version(data) == "2.0" else parse_v1(data)
    return await write_units(
        db, path, units, skip_invalid=skip_invalid, batch_size=batch_size, progress=progress
    )


def _list(data: dict[str, Any], name: str) -> list[tuple[str, Any]]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise InvalidInputError(f"{name}: must be a list")
    return [(f"{name}[{i}]", item) for i, item in enumerate(value)]


def _obj(unit: Unit, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        unit.fail("", f"must be an object, got {type(value).__name__}")
        return {}
    return value


def _pick(raw: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: raw[n] for n in names if n in raw}


def serial_number(value: Any) -> str:
    """Seed 000 numbers serials as integers; the graph key is the ``SN-000001234`` form."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"SN-{value:09d}"
    return str(value)


def _masters(data: dict[str, Any]) -> list[Unit]:
    units: list[Unit] = []
    for where, item in _list(data, "machines"):
        u = Unit(where, item)
        raw = {"id": item, "name": item} if isinstance(item, str) else _obj(u, item)
        if raw:
            u.build(p.Machine, **{"name": raw.get("id"), **raw})
        units.append(u)
    for where, item in _list(data, "shifts"):
        u = Unit(where, item)
        raw = {"id": item, "name": item} if isinstance(item, str) else _obj(u, item)
        if raw:
            u.build(p.Shift, **{"name": raw.get("id"), **raw})
        units.append(u)
    return units


# -- v2.0 ------------------------------------------------------------------------------------------
def parse_v2(data: dict[str, Any]) -> list[Unit]:  # noqa: PLR0912 - the v2 sections in document order
    units = _masters(data)
    for where, item in _list(data, "suppliers"):
        u = Unit(where, item)
        raw = _obj(u, item)
        if raw:
            u.build(s.Supplier, **raw)
        units.append(u)
    for where, item in _list(data, "materials_catalog"):
        u = Unit(where, item)
        raw = dict(_obj(u, item))
        preferred = raw.pop("preferred_suppliers", [])
        if raw:
            u.build(s.Material, **raw)
            for rank, sup in enumerate(preferred, start=1):
                u.build(
                    s.PreferredSupplier,
                    f"{where}.preferred_suppliers[{rank - 1}]",
                    src=raw.get("id"),
                    dst=sup,
                    rank=rank,
                )
        units.append(u)
    for where, item in _list(data, "material_lots"):
        u = Unit(where, item)
        raw = dict(_obj(u, item))
        material = raw.pop("material_id", None)
        supplier = raw.pop("supplier_id", None)
        promised = raw.pop("promised_date", None)
        if raw:
            u.build(s.MaterialLot, **raw)
            if material is None:
                u.fail("material_id", "is required")
            else:
                u.build(s.OfMaterial, src=raw.get("lot_number"), dst=material)
            if supplier is None:
                u.fail("supplier_id", "is required")
            else:
                u.build(
                    s.Supplied,
                    src=supplier,
                    dst=raw.get("lot_number"),
                    promised_at=promised,
                    delivered_at=raw.get("received_date"),
                    quantity=raw.get("quantity"),
                )
        units.append(u)
    for where, item in _list(data, "customers"):
        u = Unit(where, item)
        raw = _obj(u, item)
        if raw:
            u.build(o.Customer, **raw)
        units.append(u)
    for where, item in _list(data, "orders"):
        units.append(_order_v2(where, item))
    production = data.get("production", {})
    if not isinstance(production, dict):
        raise InvalidInputError("production: must be an object of dates")
    for day, machines in sorted(production.items()):
        for machine, metrics in sorted(_obj(Unit(day, None), machines).items()):
            base = f"production.{day}.{machine}"
            if not isinstance(metrics, dict):
                units.append(Unit(base, metrics, problems=[]))
                units[-1].fail("", "must be an object")
                continue
            for i, batch in enumerate(metrics.get("batches", [])):
                units.append(_batch_v2(f"{base}.batches[{i}]", batch, day, machine))
            for i, issue in enumerate(metrics.get("quality_issues", [])):
                units.append(_issue_v2(f"{base}.quality_issues[{i}]", issue))
            units.extend(_downtime(base, day, machine, metrics))
    return units


def _order_v2(where: str, item: Any) -> Unit:
    u = Unit(where, item)
    raw = dict(_obj(u, item))
    if not raw:
        return u
    customer = raw.pop("customer_id", None)
    customer_name = raw.pop("customer_name", None)
    supplier = raw.pop("supplier_id", None)
    order = u.build(o.Order, **raw)
    number = raw.get("order_number")
    if customer is None:
        u.fail("customer_id", "is required")
    else:
        if customer_name is not None:
            u.build(o.Customer, id=customer, name=customer_name)
        u.build(o.Placed, src=customer, dst=number)
    if supplier is not None:
        u.build(
            o.AssignedTo, src=number, dst=supplier, assigned_at=order.created_at if order else None
        )
    return u


def _batch_v2(where: str, item: Any, day: str, machine: str) -> Unit:
    u = Unit(where, item)
    raw = dict(_obj(u, item))
    if not raw:
        return u
    consumed = raw.pop("materials_consumed", [])
    inputs = raw.pop("batches_consumed", [])
    order = raw.pop("order_id", None)
    shift = raw.pop("shift", None)
    operator = raw.pop("operator", None)
    raw.pop("material_id", None)
    bid = raw.get("batch_id")
    first, last = raw.get("serial_start"), raw.get("serial_end")
    raw.setdefault("production_date", day)
    if first is not None:
        raw["serial_start"] = serial_number(first)
    if last is not None:
        raw["serial_end"] = serial_number(last)
    u.build(p.Batch, **raw)
    u.build(p.RunOn, src=bid, dst=machine)
    if order is not None:
        u.build(p.ForOrder, src=bid, dst=order)
    if shift is not None:
        u.build(p.DuringShift, src=bid, dst=shift)
    if operator is not None:
        u.build(p.Operator, f"{where}.operator", id=operator, name=operator)
        u.build(p.OperatedBy, src=bid, dst=operator)
    for i, c in enumerate(consumed):
        at = f"{where}.materials_consumed[{i}]"
        if not isinstance(c, dict) or "lot_number" not in c:
            u.fail("lot_number", "is required", at)
            continue
        u.build(p.ConsumedLot, at, src=bid, dst=c["lot_number"], **_pick(c, "quantity", "unit"))
    for i, c in enumerate(inputs):
        at = f"{where}.batches_consumed[{i}]"
        if not isinstance(c, dict) or "batch_id" not in c:
            u.fail("batch_id", "is required", at)
            continue
        u.build(p.ConsumedBatch, at, src=bid, dst=c["batch_id"], **_pick(c, "quantity", "unit"))
    if isinstance(first, int) and isinstance(last, int) and 0 <= last - first < 1_000_000:
        for n in range(first, last + 1):
            u.build(p.Serial, serial_number=serial_number(n))
            u.build(p.Produced, src=bid, dst=serial_number(n))
    return u


def _issue_v2(where: str, item: Any) -> Unit:  # noqa: PLR0915, PLR0912 - one nested document, in order
    u = Unit(where, item)
    raw = dict(_obj(u, item))
    if not raw:
        return u
    iid = raw.get("issue_id")
    batch = raw.pop("batch_id", None)
    trace = raw.pop("traceability", None) or {}
    raw.pop("materials_used", None)
    inv = raw.pop("investigation", None)
    actions = {
        "corrective": raw.pop("corrective_actions", []) or [],
        "preventive": raw.pop("preventive_actions", []) or [],
    }
    notice = raw.pop("supplier_notification", None)
    cost = raw.pop("cost_impact", None) or {}
    for k in ("order_id", "part_number", "customer", "shift", "operator", "affected_serials"):
        raw.pop(k, None)
    issue = u.build(q.QualityIssue, **raw, **(cost if isinstance(cost, dict) else {}))
    batch = batch or (trace.get("batch_id") if isinstance(trace, dict) else None)
    if batch is None:
        u.fail("batch_id", "is required (the batch the issue was found in)")
    else:
        u.build(q.FoundIn, src=iid, dst=batch)
    serials = (
        item.get("affected_serials")
        or (trace.get("affected_serials") if isinstance(trace, dict) else None)
        or []
    )
    for sn in serials:
        u.build(q.Affects, src=iid, dst=serial_number(sn))
    detected = issue.detected_at if issue else None
    suspects: list[str] = []
    if isinstance(inv, dict):
        at = f"{where}.investigation"
        inv = dict(inv)
        tests = inv.pop("verification_tests", []) or []
        suspects = list(inv.pop("suspected_lots", []) or [])
        inv_id = f"{iid}/INV"
        inv.setdefault("opened_at", detected)
        u.build(q.Investigation, at, id=inv_id, **inv)
        u.build(q.HasInvestigation, src=iid, dst=inv_id)
        for lot in suspects:
            u.build(q.Suspects, at, src=inv_id, dst=lot)
        for n, test in enumerate(tests, start=1):
            tid = f"{iid}/T{n}"
            t = dict(test) if isinstance(test, dict) else {}
            t.setdefault("performed_at", detected)
            u.build(q.VerificationTest, f"{at}.verification_tests[{n - 1}]", id=tid, **t)
            u.build(q.VerifiedBy, src=inv_id, dst=tid)
    for kind, items in actions.items():
        for n, action in enumerate(items, start=1):
            aid = f"{iid}/{'CA' if kind == 'corrective' else 'PA'}{n}"
            a = dict(action) if isinstance(action, dict) else {"description": str(action)}
            u.build(q.Action, f"{where}.{kind}_actions[{n - 1}]", id=aid, kind=kind, **a)
            u.build(q.HasAction, src=iid, dst=aid)
    if isinstance(notice, dict) and notice.get("notified"):
        at = f"{where}.supplier_notification"
        nid = f"{iid}/N"
        u.build(
            q.SupplierNotification,
            at,
            id=nid,
            notified_at=notice.get("notification_date"),
            **_pick(notice, "supplier_response", "supplier_capa_number"),
        )
        u.build(q.Notified, src=iid, dst=nid)
        supplier = notice.get("supplier_id")
        if supplier is None:
            u.fail("supplier_id", "is required when notified is true", at)
        else:
            u.build(q.ToSupplier, at, src=nid, dst=supplier)
    return u


def _downtime(base: str, day: str, machine: str, metrics: dict[str, Any]) -> list[Unit]:
    units = []
    for n, event in enumerate(metrics.get("downtime_events", []) or [], start=1):
        where = f"{base}.downtime_events[{n - 1}]"
        u = Unit(where, event)
        raw = dict(_obj(u, event))
        if raw:
            did = f"DT-{day}-{machine}-{n}"
            minutes = raw.get("minutes", raw.get("duration_minutes", raw.get("duration")))
            u.build(p.DowntimeEvent, id=did, date=day, reason=raw.get("reason"), minutes=minutes)
            u.build(p.OnMachine, src=did, dst=machine)
        units.append(u)
    return units


# -- v1.0 and its migration ---------------------------------------------------------------
def _stable(text: str, modulo: int) -> int:
    return zlib.crc32(text.encode()) % modulo + 1


def _v1_masters() -> Unit:
    u = Unit("migration (v1.0 -> v2.0 master data)", None)
    u.build(s.Material, id=V1_MATERIAL, name="Legacy material (migrated from v1.0)", unit="pcs")
    for n in range(1, V1_SUPPLIERS + 1):
        u.build(s.Supplier, id=f"SUP-V1-{n}", name=f"Legacy supplier {n} (migrated from v1.0)")
    for n in range(1, V1_CUSTOMERS + 1):
        u.build(o.Customer, id=f"CUST-V1-{n}", name=f"Legacy customer {n} (migrated from v1.0)")
    return u


def _month_end(day: date) -> date:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def parse_v1(data: dict[str, Any]) -> list[Unit]:  # noqa: PLR0912, PLR0915 - the migration, step by step
    units = _masters(data)
    units.append(_v1_masters())
    production = data.get("production", {})
    if not isinstance(production, dict):
        raise InvalidInputError("production: must be an object of dates")
    shift_starts: dict[str, str] = {}
    for _, raw in _list(data, "shifts"):
        if isinstance(raw, dict) and raw.get("id") and raw.get("start_time"):
            shift_starts[str(raw["id"])] = str(raw["start_time"])
    months: dict[tuple[str, str], int] = {}
    for day, machines in sorted(production.items()):
        for machine, metrics in sorted((machines or {}).items()):
            if isinstance(metrics, dict) and isinstance(metrics.get("parts_produced"), int):
                key = (day[:7], machine)
                months[key] = months.get(key, 0) + metrics["parts_produced"]
    for (month, machine), qty in sorted(months.items()):
        u = Unit(f"migration order {month} {machine}", None)
        number = f"ORD-V1-{month.replace('-', '')}-{machine}"
        first = date.fromisoformat(f"{month}-01")
        u.build(
            o.Order,
            order_number=number,
            part_number=f"PN-V1-{machine}",
            quantity=qty,
            due_date=_month_end(first),
            created_at=datetime.combine(first, time(), UTC),
            status="completed",
            workflow_status="completed",
            production_status="completed",
        )
        u.build(o.Placed, src=f"CUST-V1-{_stable(machine, V1_CUSTOMERS)}", dst=number)
        units.append(u)
    for day, machines in sorted(production.items()):
        if not isinstance(machines, dict):
            bad = Unit(f"production.{day}", machines)
            bad.fail("", "must be an object of machines")
            units.append(bad)
            continue
        for machine, metrics in sorted(machines.items()):
            base = f"production.{day}.{machine}"
            u = Unit(base, metrics)
            units.append(u)
            m = _obj(u, metrics)
            if not m:
                continue
            total = m.get("parts_produced")
            if not isinstance(total, int) or isinstance(total, bool) or total < 0:
                u.fail("parts_produced", "must be a non-negative integer")
                continue
            lot = f"LOT-V1-{day}-{machine}"
            u.build(
                s.MaterialLot,
                lot_number=lot,
                quantity=float(total),
                unit="pcs",
                received_date=day,
                inspection_result="passed",
            )
            u.build(s.OfMaterial, src=lot, dst=V1_MATERIAL)
            u.build(
                s.Supplied,
                src=f"SUP-V1-{_stable(machine, V1_SUPPLIERS)}",
                dst=lot,
                delivered_at=day,
                quantity=float(total),
            )
            order = f"ORD-V1-{day[:7].replace('-', '')}-{machine}"
            shifts = m.get("shifts") or {}
            per_shift = [
                (sid, v["parts_produced"])
                for sid, v in sorted(shifts.items() if isinstance(shifts, dict) else [])
                if isinstance(v, dict)
                and isinstance(v.get("parts_produced"), int)
                and v["parts_produced"] > 0
            ] or [("", total)]
            batches: list[tuple[str, str, int]] = []
            for sid, qty in per_shift:
                bid = f"BATCH-{day}-{machine}" + (f"-{sid}" if sid else "")
                first_sn = f"SN-V1-{day}-{machine}-{sid or 'D'}-"
                u.build(
                    p.Batch,
                    batch_id=bid,
                    production_date=day,
                    quantity=qty,
                    serial_start=f"{first_sn}{1:05d}",
                    serial_end=f"{first_sn}{max(qty, 1):05d}",
                )
                u.build(p.ForOrder, src=bid, dst=order)
                u.build(p.RunOn, src=bid, dst=machine)
                u.build(p.ConsumedLot, src=bid, dst=lot, quantity=float(qty), unit="pcs")
                if sid:
                    u.build(p.DuringShift, src=bid, dst=sid)
                batches.append((bid, sid, qty))
            for k, issue in enumerate(m.get("quality_issues", []) or []):
                units.append(
                    _issue_v1(
                        f"{base}.quality_issues[{k}]", issue, day, machine, k, batches, shift_starts
                    )
                )
            units.extend(_downtime(base, day, machine, m))
    return units


def _issue_v1(  # noqa: PLR0917 - private helper of the migration
    where: str,
    item: Any,
    day: str,
    machine: str,
    k: int,
    batches: list[tuple[str, str, int]],
    shift_starts: dict[str, str],
) -> Unit:
    u = Unit(where, item)
    raw = dict(_obj(u, item))
    if not raw:
        return u
    shift = raw.pop("shift", None)
    by_shift = [b for b in batches if shift is not None and b[1] == shift]
    bid, sid, qty = by_shift[0] if by_shift else batches[k % len(batches)]
    iid = f"QI-V1-{day}-{machine}-{k + 1:03d}"
    clock = shift_starts.get(sid, "00:00")
    try:
        detected = datetime.fromisoformat(f"{day}T{clock}:00+00:00")
    except ValueError:
        u.fail("", f"production date {day!r} is not an ISO date")
        return u
    if isinstance(raw.get("severity"), str):
        raw["severity"] = raw["severity"].lower()
    issue = u.build(
        q.QualityIssue, issue_id=iid, detected_at=detected, detection_point=machine, **raw
    )
    u.build(q.FoundIn, src=iid, dst=bid)
    affected = min(issue.parts_affected, qty) if issue else 0
    for n in range(1, affected + 1):
        sn = f"SN-V1-{day}-{machine}-{sid or 'D'}-{n:05d}"
        u.build(p.Serial, serial_number=sn, status="defective")
        u.build(p.Produced, src=bid, dst=sn)
        u.build(q.Affects, src=iid, dst=sn)
    return u

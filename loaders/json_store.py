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
import math
import re
import zlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeGuard

from graph.database import Database
from graph.ingest import DEFAULT_BATCH_SIZE, Progress
from graph.records import orders as o
from graph.records import production as p
from graph.records import quality as q
from graph.records import supply as s
from loaders.common import LoadResult, Source, Unit, write_units
from loaders.loads import fingerprint, source_name
from tracegraph.errors import InvalidInputError

V1_SUPPLIERS = 3
V1_CUSTOMERS = 5
V1_MATERIAL = "MAT-V1"
MAX_SERIALS_PER_BATCH = 1_000_000
# Keys of the nested records the loader reads field by field; any other key is an error (it
# would otherwise be dropped without a word).
CONSUMED_LOT_KEYS = frozenset({"lot_number", "material_id", "quantity", "unit"})
CONSUMED_BATCH_KEYS = frozenset({"batch_id", "quantity", "unit"})
NOTIFICATION_KEYS = frozenset(
    {"notified", "supplier_id", "notification_date", "supplier_response", "supplier_capa_number"}
)
DOWNTIME_KEYS = frozenset({"reason", "minutes", "duration_minutes", "duration"})
TRACEABILITY_KEYS = frozenset(
    {"batch_id", "order_id", "customer", "part_number", "affected_serials", "shift", "operator"}
)


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFiniteError(text)
    return value


class _NotFiniteError(ValueError):
    pass


def _reject_constant(text: str) -> Any:
    raise _NotFiniteError(text)


def _first_duplicate(value: Any, path: str = "") -> tuple[str, str] | None:
    """(path, key) of the first object that gave a key twice."""
    if isinstance(value, _Object):
        if value.duplicates:
            return path or "the top-level object", value.duplicates[0]
        for key, item in value.items():
            found = _first_duplicate(item, f"{path}.{key}" if path else key)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _first_duplicate(item, f"{path}[{i}]")
            if found:
                return found
    return None


def _line_of(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an error naming it (missing, a directory, unreadable)."""
    if path.is_dir():
        raise InvalidInputError(f"{path}: is a directory; a JSON data store is one file")
    try:
        return path.read_bytes()
    except OSError as e:
        raise InvalidInputError(f"{path}: cannot read: {e.strerror}") from e


def decode_utf8(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise InvalidInputError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start});"
            " save the file as UTF-8"
        ) from e


def read_store(path: Path, raw: bytes | None = None) -> dict[str, Any]:
    text = decode_utf8(path, read_bytes(path) if raw is None else raw)
    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_object,
            parse_float=_finite,
            parse_constant=_reject_constant,
        )
    except _NotFiniteError as e:
        line = _line_of(text, re.escape(str(e)))
        raise InvalidInputError(
            f"{path}:{line}: {e} is not a finite number; JSON has no NaN or Infinity (write a"
            " number, or leave the field out)"
        ) from e
    except json.JSONDecodeError as e:
        raise InvalidInputError(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from e
    except RecursionError as e:
        raise InvalidInputError(f"{path}: nested too deeply to be a data store") from e
    if not isinstance(data, dict):
        raise InvalidInputError(f"{path}: the data store must be a JSON object")
    duplicate = _first_duplicate(data)
    if duplicate:
        where, key = duplicate
        raise InvalidInputError(
            f"{path}: {where}, field {key}: given twice in one object (JSON would keep only the"
            " last one silently); give it once"
        )
    return data


def store_version(data: dict[str, Any]) -> str:
    meta = data.get("_meta")
    if meta is None:
        return "1.0"
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if not isinstance(version, str) or not re.fullmatch(r"[12](\.\d+)*", version):
        raise InvalidInputError(
            f'_meta.schema_version: {version!r} is not a version this loader reads ("1.0" or'
            ' "2.0"; no _meta at all is 1.0)'
        )
    return "2.0" if version.startswith("2") else "1.0"


async def load_json_store(
    db: Database,
    path: Path,
    *,
    skip_invalid: bool = False,
    update: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> LoadResult:
    raw = read_bytes(path)
    data = read_store(path, raw)
    try:
        units = parse_v2(data) if store_version(data) == "2.0" else parse_v1(data)
    except InvalidInputError as e:
        raise InvalidInputError(f"{path}: {e}") from e
    name = source_name(path)
    return await write_units(
        db,
        path,
        units,
        origin=Source("json", name, fingerprint("json", name, raw)),
        skip_invalid=skip_invalid,
        update=update,
        batch_size=batch_size,
        progress=progress,
    )


def _list(units: list[Unit], data: dict[str, Any], name: str) -> list[tuple[str, Any]]:
    value = data.get(name, [])
    if not isinstance(value, list):
        bad = Unit(name, value)
        bad.fail("", f"must be a list, got {_kind(value)}")
        units.append(bad)
        return []
    return [(f"{name}[{i}]", item) for i, item in enumerate(value)]


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(
        type(value), f"a number ({value!r})" if isinstance(value, int | float) else "?"
    )


def _obj(unit: Unit, value: Any, where: str = "", field_name: str = "") -> dict[str, Any]:
    if not isinstance(value, dict):
        unit.fail(field_name, f"must be an object, got {_kind(value)}", where)
        return {}
    return dict(value)


def _items(unit: Unit, value: Any, where: str, field_name: str) -> list[Any]:
    """``value`` as a list (absent or null: empty), else a problem and nothing."""
    if value is None:
        return []
    if not isinstance(value, list):
        unit.fail(field_name, f"must be a list, got {_kind(value)}", where)
        return []
    return value


def _only(unit: Unit, raw: dict[str, Any], allowed: frozenset[str], where: str) -> bool:
    unknown = sorted(set(raw) - allowed)
    for key in unknown:
        unit.fail(key, f"unexpected key (expected: {', '.join(sorted(allowed))})", where)
    return not unknown


def _merged(unit: Unit, where: str, given: dict[str, Any], **fixed: Any) -> dict[str, Any] | None:
    """``given`` plus the fields the loader sets itself; a field both set is a conflict."""
    clash = sorted(set(given) & set(fixed))
    for key in clash:
        unit.fail(key, "is set by the loader here (leave it out of the input)", where)
    return None if clash else {**given, **fixed}


def _pick(raw: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: raw[n] for n in names if n in raw}


def serial_number(value: Any) -> Any:
    """Seed 000 numbers serials as integers; the graph key is the ``SN-000001234`` form.

    Anything else but a string is returned as is, for the record's validation to refuse."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"SN-{value:09d}"
    return value


def _day(units: list[Unit], where: str, day: str, value: Any) -> bool:
    """Whether a production day key is an ISO date; if not, a rejected unit says so."""
    try:
        ok = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)) and bool(date.fromisoformat(day))
    except ValueError:
        ok = False
    if not ok:
        bad = Unit(where, value)
        bad.fail("", f"the day key {day!r} is not an ISO date (YYYY-MM-DD)")
        units.append(bad)
    return ok


def _masters(data: dict[str, Any]) -> list[Unit]:
    units: list[Unit] = []
    for where, item in _list(units, data, "machines"):
        u = Unit(where, item)
        raw = {"id": item, "name": item} if isinstance(item, str) else _obj(u, item)
        if raw:
            u.build(p.Machine, **{"name": raw.get("id"), **raw})
        units.append(u)
    for where, item in _list(units, data, "shifts"):
        u = Unit(where, item)
        raw = {"id": item, "name": item} if isinstance(item, str) else _obj(u, item)
        if raw:
            u.build(p.Shift, **{"name": raw.get("id"), **raw})
        units.append(u)
    return units


# -- v2.0 ------------------------------------------------------------------------------------------
def parse_v2(data: dict[str, Any]) -> list[Unit]:  # noqa: PLR0912, PLR0915 - the v2 sections in document order
    units = _masters(data)
    for where, item in _list(units, data, "suppliers"):
        u = Unit(where, item)
        raw = _obj(u, item)
        if raw:
            u.build(s.Supplier, **raw)
        units.append(u)
    for where, item in _list(units, data, "materials_catalog"):
        u = Unit(where, item)
        raw = _obj(u, item)
        preferred = _items(u, raw.pop("preferred_suppliers", None), where, "preferred_suppliers")
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
    for where, item in _list(units, data, "material_lots"):
        u = Unit(where, item)
        raw = _obj(u, item)
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
    for where, item in _list(units, data, "customers"):
        u = Unit(where, item)
        raw = _obj(u, item)
        if raw:
            u.build(o.Customer, **raw)
        units.append(u)
    for where, item in _list(units, data, "orders"):
        units.append(_order_v2(where, item))
    production = data.get("production", {})
    if not isinstance(production, dict):
        bad = Unit("production", production)
        bad.fail("", f"must be an object of dates, got {_kind(production)}")
        return [*units, bad]
    for day, machines in sorted(production.items()):
        if not _day(units, f"production.{day}", day, machines):
            continue
        if not isinstance(machines, dict):
            bad = Unit(f"production.{day}", machines)
            bad.fail("", f"must be an object of machines, got {_kind(machines)}")
            units.append(bad)
            continue
        for machine, metrics in sorted(machines.items()):
            base = f"production.{day}.{machine}"
            if not isinstance(metrics, dict):
                bad = Unit(base, metrics)
                bad.fail("", f"must be an object, got {_kind(metrics)}")
                units.append(bad)
                continue
            holder = Unit(base, metrics)
            for i, batch in enumerate(_items(holder, metrics.get("batches"), base, "batches")):
                units.append(_batch_v2(f"{base}.batches[{i}]", batch, day, machine))
            issues = _items(holder, metrics.get("quality_issues"), base, "quality_issues")
            for i, issue in enumerate(issues):
                units.append(_issue_v2(f"{base}.quality_issues[{i}]", issue))
            units.extend(_downtime(holder, base, day, machine, metrics))
            if holder.problems:
                units.append(holder)
    return units


def _order_v2(where: str, item: Any) -> Unit:
    u = Unit(where, item)
    raw = _obj(u, item)
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
            # Several orders name the same customer: the same record, derived each time.
            u.build_derived(o.Customer, id=customer, name=customer_name)
        u.build(o.Placed, src=customer, dst=number)
    if supplier is not None:
        u.build(
            o.AssignedTo, src=number, dst=supplier, assigned_at=order.created_at if order else None
        )
    return u


def _batch_v2(where: str, item: Any, day: str, machine: str) -> Unit:  # noqa: PLR0912 - one batch, field by field
    u = Unit(where, item)
    raw = _obj(u, item)
    if not raw:
        return u
    consumed = _items(u, raw.pop("materials_consumed", None), where, "materials_consumed")
    inputs = _items(u, raw.pop("batches_consumed", None), where, "batches_consumed")
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
        # Operators are named by the batches they ran: the same record, derived each time.
        u.build_derived(p.Operator, f"{where}.operator", id=operator, name=operator)
        u.build(p.OperatedBy, src=bid, dst=operator)
    for i, item_c in enumerate(consumed):
        at = f"{where}.materials_consumed[{i}]"
        c = _obj(u, item_c, at)
        if not c:
            continue
        if "lot_number" not in c:
            u.fail("lot_number", "is required", at)
        elif _only(u, c, CONSUMED_LOT_KEYS, at):
            u.build(p.ConsumedLot, at, src=bid, dst=c["lot_number"], **_pick(c, "quantity", "unit"))
    for i, item_b in enumerate(inputs):
        at = f"{where}.batches_consumed[{i}]"
        c = _obj(u, item_b, at)
        if not c:
            continue
        if "batch_id" not in c:
            u.fail("batch_id", "is required", at)
        elif _only(u, c, CONSUMED_BATCH_KEYS, at):
            u.build(p.ConsumedBatch, at, src=bid, dst=c["batch_id"], **_pick(c, "quantity", "unit"))
    _serials(u, where, bid, first, last)
    return u


def _serials(u: Unit, where: str, bid: Any, first: Any, last: Any) -> None:
    """The serials of an integer range, each produced by the batch."""
    if not (isinstance(first, int) and isinstance(last, int)) or isinstance(first | last, bool):
        return
    if last < first:
        u.fail("serial_end", f"{last} is before serial_start {first}", where)
    elif last - first >= MAX_SERIALS_PER_BATCH:
        u.fail(
            "serial_end",
            f"the range has {last - first + 1:,} serials; at most"
            f" {MAX_SERIALS_PER_BATCH:,} per batch are loaded",
            where,
        )
    else:
        for n in range(first, last + 1):
            # Two batches with overlapping ranges derive the same serial; check_duplicates
            # then refuses its two producing batches.
            u.build_derived(p.Serial, serial_number=serial_number(n))
            u.build(p.Produced, src=bid, dst=serial_number(n))


def _one_of(u: Unit, where: str, name: str, *values: Any) -> Any:
    """The one value given among ``values`` (copies of the same fact); different ones conflict."""
    given = [v for v in values if v is not None]
    if any(v != given[0] for v in given[1:]):
        u.fail(name, f"given twice with different values ({given[0]!r} and {given[1]!r})", where)
        return None
    return given[0] if given else None


def _issue_v2(where: str, item: Any) -> Unit:
    u = Unit(where, item)
    raw = _obj(u, item)
    if not raw:
        return u
    iid = raw.get("issue_id")
    batch = raw.pop("batch_id", None)
    trace = _obj(u, raw.pop("traceability", None) or {}, f"{where}.traceability")
    _only(u, trace, TRACEABILITY_KEYS, f"{where}.traceability")
    raw.pop("materials_used", None)
    inv = raw.pop("investigation", None)
    actions = {
        "corrective": _items(u, raw.pop("corrective_actions", None), where, "corrective_actions"),
        "preventive": _items(u, raw.pop("preventive_actions", None), where, "preventive_actions"),
    }
    notice = raw.pop("supplier_notification", None)
    cost = _obj(u, raw.pop("cost_impact", None) or {}, f"{where}.cost_impact")
    for key in sorted(set(raw) & set(cost)):
        if raw[key] != cost[key]:
            u.fail(
                key,
                f"given both on the issue ({raw[key]!r}) and in cost_impact ({cost[key]!r})",
                where,
            )
    own_serials = raw.pop("affected_serials", None)
    for k in ("order_id", "part_number", "customer", "shift", "operator"):
        raw.pop(k, None)
    issue = u.build(q.QualityIssue, **{**raw, **cost})
    batch = _one_of(u, where, "batch_id", batch, trace.get("batch_id"))
    if batch is None:
        u.fail("batch_id", "is required (the batch the issue was found in)")
    else:
        u.build(q.FoundIn, src=iid, dst=batch)
    serials = _items(
        u,
        _one_of(u, where, "affected_serials", own_serials, trace.get("affected_serials")),
        where,
        "affected_serials",
    )
    for sn in serials:
        u.build(q.Affects, src=iid, dst=serial_number(sn))
    detected = issue.detected_at if issue else None
    if inv is not None:
        _investigation_v2(u, f"{where}.investigation", inv, iid, detected)
    for kind, items in actions.items():
        for n, action in enumerate(items, start=1):
            at = f"{where}.{kind}_actions[{n - 1}]"
            aid = f"{iid}/{'CA' if kind == 'corrective' else 'PA'}{n}"
            a = {"description": action} if isinstance(action, str) else _obj(u, action, at)
            fields = _merged(u, at, a, id=aid, kind=kind) if a else None
            if fields is not None:
                u.build(q.Action, at, **fields)
                u.build(q.HasAction, src=iid, dst=aid)
    if notice is not None:
        _notification_v2(u, f"{where}.supplier_notification", notice, iid)
    return u


def _investigation_v2(u: Unit, at: str, value: Any, iid: Any, detected: datetime | None) -> None:
    inv = _obj(u, value, at)
    if not inv:
        return
    tests = _items(u, inv.pop("verification_tests", None), at, "verification_tests")
    suspects = _items(u, inv.pop("suspected_lots", None), at, "suspected_lots")
    inv_id = f"{iid}/INV"
    inv.setdefault("opened_at", detected)
    fields = _merged(u, at, inv, id=inv_id)
    if fields is None:
        return
    u.build(q.Investigation, at, **fields)
    u.build(q.HasInvestigation, src=iid, dst=inv_id)
    for n, lot in enumerate(suspects):
        u.build(q.Suspects, f"{at}.suspected_lots[{n}]", src=inv_id, dst=lot)
    for n, test in enumerate(tests, start=1):
        tat = f"{at}.verification_tests[{n - 1}]"
        tid = f"{iid}/T{n}"
        t = _obj(u, test, tat)
        if not t:
            continue
        t.setdefault("performed_at", detected)
        tfields = _merged(u, tat, t, id=tid)
        if tfields is not None:
            u.build(q.VerificationTest, tat, **tfields)
            u.build(q.VerifiedBy, src=inv_id, dst=tid)


def _notification_v2(u: Unit, at: str, value: Any, iid: Any) -> None:
    notice = _obj(u, value, at)
    if not notice or not _only(u, notice, NOTIFICATION_KEYS, at):
        return
    notified = notice.get("notified", False)
    if not isinstance(notified, bool):
        u.fail("notified", f"must be true or false, got {_kind(notified)}", at)
        return
    if not notified:
        return
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


def _downtime(
    holder: Unit, base: str, day: str, machine: str, metrics: dict[str, Any]
) -> list[Unit]:
    units = []
    events = _items(holder, metrics.get("downtime_events"), base, "downtime_events")
    for n, event in enumerate(events, start=1):
        where = f"{base}.downtime_events[{n - 1}]"
        u = Unit(where, event)
        raw = _obj(u, event)
        if raw and _only(u, raw, DOWNTIME_KEYS, where):
            did = f"DT-{day}-{machine}-{n}"
            minutes = [raw[k] for k in ("minutes", "duration_minutes", "duration") if k in raw]
            if len(minutes) > 1:
                u.fail("minutes", "give one of minutes, duration_minutes and duration")
            else:
                u.build(
                    p.DowntimeEvent,
                    id=did,
                    date=day,
                    reason=raw.get("reason"),
                    minutes=minutes[0] if minutes else None,
                )
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
        bad = Unit("production", production)
        bad.fail("", f"must be an object of dates, got {_kind(production)}")
        return [*units, bad]
    days: list[tuple[str, Any]] = []
    for day, machines in sorted(production.items()):
        if not _day(units, f"production.{day}", day, machines):
            continue
        if not isinstance(machines, dict):
            bad = Unit(f"production.{day}", machines)
            bad.fail("", f"must be an object of machines, got {_kind(machines)}")
            units.append(bad)
            continue
        days.append((day, machines))
    shift_starts: dict[str, str] = {}
    for _, raw in _list([], data, "shifts"):
        if isinstance(raw, dict) and raw.get("id") and raw.get("start_time"):
            shift_starts[str(raw["id"])] = str(raw["start_time"])
    months: dict[tuple[str, str], int] = {}
    for day, machines in days:
        for machine, metrics in sorted(machines.items()):
            if isinstance(metrics, dict) and _count(metrics.get("parts_produced")):
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
    for day, machines in days:
        for machine, metrics in sorted(machines.items()):
            base = f"production.{day}.{machine}"
            u = Unit(base, metrics)
            units.append(u)
            m = _obj(u, metrics)
            if not m:
                continue
            total = m.get("parts_produced")
            if not _count(total):
                u.fail("parts_produced", f"must be a non-negative integer, got {_kind(total)}")
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
            per_shift: list[tuple[str, int]] = []
            shifts = m.get("shifts")
            if shifts is None:
                shifts = {}
            elif not isinstance(shifts, dict):
                u.fail("shifts", f"must be an object of shifts, got {_kind(shifts)}")
                shifts = {}
            for sid, v in sorted(shifts.items()):
                made = v.get("parts_produced") if isinstance(v, dict) else v
                if not _count(made):
                    u.fail(
                        f"shifts.{sid}.parts_produced",
                        f"must be a non-negative integer, got {_kind(made)}",
                    )
                elif made > 0:
                    per_shift.append((sid, made))
            batches: list[tuple[str, str, int]] = []
            for sid, qty in per_shift or [("", total)]:
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
            issues = _items(u, m.get("quality_issues"), base, "quality_issues")
            for k, issue in enumerate(issues):
                units.append(
                    _issue_v1(
                        f"{base}.quality_issues[{k}]", issue, day, machine, k, batches, shift_starts
                    )
                )
            units.extend(_downtime(u, base, day, machine, m))
    return units


def _count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


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
    fields = _merged(u, where, raw, issue_id=iid, detected_at=detected, detection_point=machine)
    issue = u.build(q.QualityIssue, **fields) if fields is not None else None
    u.build(q.FoundIn, src=iid, dst=bid)
    affected = min(issue.parts_affected, qty) if issue else 0
    for n in range(1, affected + 1):
        sn = f"SN-V1-{day}-{machine}-{sid or 'D'}-{n:05d}"
        # Two issues of one batch affect its first serials alike: derived, the same each time.
        u.build_derived(p.Serial, serial_number=sn, status="defective")
        u.build_derived(p.Produced, src=bid, dst=sn)
        u.build(q.Affects, src=iid, dst=sn)
    return u

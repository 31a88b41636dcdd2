"""A corpus of bad loader inputs: each a `tracegraph load ...` command line over files it writes.

Every case must end in a one-line-per-problem error (exit 2) that names the file, the record path
(or line) and the field, with nothing written. The corpus is plain data so that it can also be run
against an older checkout of the loaders, to count what they did with it (tracebacks, partial
writes, bad input accepted): see :func:`write_case`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
V1: dict[str, Any] = json.loads((DATA / "store_v1.json").read_text())
V2: dict[str, Any] = json.loads((DATA / "store_v2.json").read_text())
LONG = "X" * 10_000
HUGE = 10**20

CSV_GOOD = {
    "Supplier.csv": "id,name,status\nSUP-1,Alpine,active\nSUP-2,Baltic,active\n",
    "MaterialLot.csv": "lot_number,quantity,unit,received_date\nLOT-1,500,kg,2025-02-20\n",
    "SUPPLIED.csv": "src,dst,quantity\nSUP-1,LOT-1,500\n",
}
CSV_ISSUE_HEADER = "issue_id,type,parts_affected,severity,detected_at,charged_to_supplier\n"
CSV_BATCHES = (
    "batch_id,production_date,quantity\nB-1,2025-03-01,5\nB-2,2025-03-02,5\nB-3,2025-03-03,5\n"
)


@dataclass(frozen=True)
class Case:
    """``args`` after ``tracegraph load``; ``{dir}`` stands for the case's directory."""

    id: str
    args: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    dirs: tuple[str, ...] = ()
    # Each must appear in the error message.
    expect: tuple[str, ...] = ()


def write_case(case: Case, directory: Path) -> list[str]:
    """Write the case's files under ``directory``; return its command line (after ``load``)."""
    for name in case.dirs:
        (directory / name).mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return [a.replace("{dir}", str(directory)) for a in case.args]


def _json(data: Any) -> bytes:
    return json.dumps(data, indent=1).encode()


def v2(edit: Callable[[dict[str, Any]], None]) -> bytes:
    data = copy.deepcopy(V2)
    edit(data)
    return _json(data)


def v1(edit: Callable[[dict[str, Any]], None]) -> bytes:
    data = copy.deepcopy(V1)
    edit(data)
    return _json(data)


def _day(data: dict[str, Any]) -> dict[str, Any]:
    metrics: dict[str, Any] = data["production"]["2025-03-03"]["M-01"]
    return metrics


def _batch(data: dict[str, Any], n: int = 0) -> dict[str, Any]:
    batch: dict[str, Any] = _day(data)["batches"][n]
    return batch


def _issue(data: dict[str, Any]) -> dict[str, Any]:
    issue: dict[str, Any] = _day(data)["quality_issues"][0]
    return issue


def _v1_metrics(data: dict[str, Any]) -> dict[str, Any]:
    metrics: dict[str, Any] = data["production"]["2025-03-01"]["M-01"]
    return metrics


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


B = ["production", "2025-03-03", "M-01", "batches"]
Q = ["production", "2025-03-03", "M-01", "quality_issues", 0]
BATCH0 = "production.2025-03-03.M-01.batches[0]"
BATCH1 = "production.2025-03-03.M-01.batches[1]"
ISSUE = "production.2025-03-03.M-01.quality_issues[0]"
V1M = ["production", "2025-03-01", "M-01"]


def json_case(case_id: str, content: bytes, *expect: str, batch_size: int = 0) -> Case:
    args = ["json", "{dir}/store.json", "--quiet"]
    if batch_size:
        args += ["--batch-size", str(batch_size)]
    return Case(case_id, args, {"store.json": content}, expect=("store.json", *expect))


def csv_case(
    case_id: str, files: dict[str, str | bytes], *expect: str, batch_size: int = 0
) -> Case:
    args = ["csv", "{dir}/in", "--quiet"]
    if batch_size:
        args += ["--batch-size", str(batch_size)]
    raw = {f"in/{k}": v.encode() if isinstance(v, str) else v for k, v in files.items()}
    return Case(case_id, args, raw, expect=expect)


def _two_suppliers(data: dict[str, Any], same: bool) -> None:
    twin = dict(data["suppliers"][0])
    if not same:
        twin["name"] = "Another name"
    data["suppliers"].append(twin)


def _cycle(data: dict[str, Any]) -> None:
    _batch(data, 0)["batches_consumed"] = [{"batch_id": "BATCH-2025-1001-002"}]


def _overlap(data: dict[str, Any]) -> None:
    _batch(data, 0)["serial_start"] = 1003
    _batch(data, 0)["serial_end"] = 1004


def _dup_key_in_object(text: bytes) -> bytes:
    return text.replace(b'"name": "Alpine Yarns"', b'"name": "Alpine Yarns", "name": "Other"', 1)


def _non_finite(token: str) -> bytes:
    return _json(V2).replace(b'"quantity": 500.0', f'"quantity": {token}'.encode(), 1)


def _deep() -> bytes:
    return b'{"suppliers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


CASES: list[Case] = [
    # -- what Neo4j would refuse half-way (small batches: earlier ones would have committed)
    json_case(
        "v2-long-supplier-id",
        v2(_set(["suppliers", 1, "id"], LONG)),
        "suppliers[1], field id",
        batch_size=1,
    ),
    json_case(
        "v2-long-lot-number",
        v2(_set(["material_lots", 2, "lot_number"], LONG)),
        "material_lots[2], field lot_number",
        batch_size=1,
    ),
    json_case(
        "v2-quantity-1e20",
        v2(_set(["orders", 1, "quantity"], HUGE)),
        "orders[1], field quantity",
        batch_size=1,
    ),
    json_case(
        "v2-quantity-minus-1e20",
        v2(_set(["orders", 1, "current_stage"], -HUGE)),
        "orders[1], field current_stage",
        batch_size=1,
    ),
    json_case(
        "v2-level-1e20",
        v2(_set([*B, 1, "level"], HUGE)),
        f"{BATCH1}, field level",
        batch_size=1,
    ),
    json_case(
        "v2-parts-affected-1e20",
        v2(_set([*Q, "parts_affected"], HUGE)),
        f"{ISSUE}, field parts_affected",
        batch_size=1,
    ),
    json_case("v2-nan", _non_finite("NaN"), "NaN is not a finite number"),
    json_case("v2-infinity", _non_finite("Infinity"), "Infinity is not a finite number"),
    json_case("v2-minus-infinity", _non_finite("-Infinity"), "-Infinity is not a finite number"),
    json_case("v2-float-overflow", _non_finite("1e400"), "1e400 is not a finite number"),
    json_case(
        "v2-long-description",
        v2(_set([*Q, "description"], "d" * 70_000)),
        f"{ISSUE}, field description",
    ),
    json_case(
        "v2-too-many-certifications",
        v2(_set(["suppliers", 0, "certifications"], ["ISO"] * 1001)),
        "suppliers[0], field certifications",
    ),
    json_case(
        "v2-newline-in-key",
        v2(_set(["suppliers", 1, "id"], "SUP-\n002")),
        "suppliers[1], field id",
    ),
    # -- strict types: true is not 1, "5" is not 5
    json_case("v2-quantity-true", v2(_set(["orders", 0, "quantity"], True)), "field quantity"),
    json_case("v2-quantity-string", v2(_set(["orders", 0, "quantity"], "5")), "field quantity"),
    json_case("v2-quantity-fraction", v2(_set([*B, 0, "quantity"], 5.5)), "field quantity"),
    json_case(
        "v2-charged-1",
        v2(_set([*Q, "cost_impact", "charged_to_supplier"], 1)),
        "field charged_to_supplier",
    ),
    json_case(
        "v2-confirmed-string",
        v2(_set([*Q, "investigation", "root_cause_confirmed"], "yes")),
        "field root_cause_confirmed",
    ),
    json_case(
        "v2-lot-quantity-bool", v2(_set(["material_lots", 0, "quantity"], False)), "quantity"
    ),
    json_case("v2-severity-number", v2(_set([*Q, "severity"], 5)), f"{ISSUE}, field severity"),
    json_case("v2-operator-number", v2(_set([*B, 0, "operator"], 7)), "operator, field id"),
    json_case("v2-detected-at-words", v2(_set([*Q, "detected_at"], "yesterday")), "detected_at"),
    # -- wrong shapes
    json_case(
        "v2-materials-consumed-number",
        v2(_set([*B, 0, "materials_consumed"], 5)),
        f"{BATCH0}, field materials_consumed",
    ),
    json_case(
        "v2-materials-consumed-string",
        v2(_set([*B, 0, "materials_consumed"], "LOT-2025-0001")),
        f"{BATCH0}, field materials_consumed",
    ),
    json_case(
        "v2-materials-consumed-item-number",
        v2(_set([*B, 0, "materials_consumed"], [5])),
        f"{BATCH0}.materials_consumed[0]",
    ),
    json_case(
        "v2-batches-consumed-object",
        v2(_set([*B, 1, "batches_consumed"], {"batch_id": "BATCH-2025-1001-001"})),
        f"{BATCH1}, field batches_consumed",
    ),
    json_case(
        "v2-preferred-string",
        v2(_set(["materials_catalog", 0, "preferred_suppliers"], "SUP-001")),
        "materials_catalog[0], field preferred_suppliers",
    ),
    json_case(
        "v2-quality-issues-object",
        v2(_set(["production", "2025-03-03", "M-01", "quality_issues"], {})),
        "production.2025-03-03.M-01, field quality_issues",
    ),
    json_case(
        "v2-batches-number",
        v2(_set(["production", "2025-03-03", "M-01", "batches"], 7)),
        "production.2025-03-03.M-01, field batches",
    ),
    json_case(
        "v2-downtime-string",
        v2(_set(["production", "2025-03-03", "M-01", "downtime_events"], "x")),
        "production.2025-03-03.M-01, field downtime_events",
    ),
    json_case("v2-suppliers-object", v2(_set(["suppliers"], {})), "suppliers: must be a list"),
    json_case("v2-orders-string", v2(_set(["orders"], "ORD-1")), "orders: must be a list"),
    json_case("v2-production-list", v2(_set(["production"], [])), "production: must be an object"),
    json_case(
        "v2-day-list",
        v2(_set(["production", "2025-03-03"], [])),
        "production.2025-03-03: must be an object",
    ),
    json_case(
        "v2-machine-number",
        v2(_set(["production", "2025-03-03", "M-01"], 5)),
        "production.2025-03-03.M-01: must be an object",
    ),
    json_case(
        "v2-investigation-string",
        v2(_set([*Q, "investigation"], "open")),
        f"{ISSUE}.investigation: must be an object",
    ),
    json_case(
        "v2-notification-list",
        v2(_set([*Q, "supplier_notification"], [])),
        f"{ISSUE}.supplier_notification: must be an object",
    ),
    json_case(
        "v2-cost-number",
        v2(_set([*Q, "cost_impact"], 5)),
        f"{ISSUE}.cost_impact: must be an object",
    ),
    json_case(
        "v2-traceability-list",
        v2(_set([*Q, "traceability"], ["x"])),
        f"{ISSUE}.traceability: must be an object",
    ),
    json_case(
        "v2-tests-object",
        v2(_set([*Q, "investigation", "verification_tests"], {})),
        f"{ISSUE}.investigation, field verification_tests",
    ),
    json_case(
        "v2-suspects-string",
        v2(_set([*Q, "investigation", "suspected_lots"], "LOT-2025-0001")),
        f"{ISSUE}.investigation, field suspected_lots",
    ),
    json_case(
        "v2-test-string",
        v2(_set([*Q, "investigation", "verification_tests"], ["pilling"])),
        f"{ISSUE}.investigation.verification_tests[0]: must be an object",
    ),
    json_case(
        "v2-action-number",
        v2(_set([*Q, "corrective_actions"], [5])),
        f"{ISSUE}.corrective_actions[0]: must be an object",
    ),
    json_case("v2-top-level-list", b"[1, 2]", "must be a JSON object"),
    json_case("v2-truncated", _json(V2)[:300], "not valid JSON"),
    json_case("v2-nested-deep", _deep(), "nested too deeply"),
    json_case("v2-version-3", v2(_set(["_meta", "schema_version"], "3.0")), "_meta.schema_version"),
    json_case("v2-meta-number", v2(_set(["_meta"], 5)), "_meta.schema_version"),
    # -- conflicting fields
    json_case(
        "v2-total-cost-twice",
        v2(_set([*Q, "total_cost"], 1.0)),
        f"{ISSUE}, field total_cost: given both on the issue",
    ),
    json_case(
        "v2-batch-id-twice",
        v2(_set([*Q, "traceability", "batch_id"], "BATCH-2025-1001-001")),
        f"{ISSUE}, field batch_id: given twice",
    ),
    json_case(
        "v2-affected-serials-twice",
        v2(_set([*Q, "affected_serials"], [1001])),
        f"{ISSUE}, field affected_serials: given twice",
    ),
    json_case(
        "v2-investigation-id",
        v2(_set([*Q, "investigation", "id"], "INV-9")),
        f"{ISSUE}.investigation, field id: is set by the loader",
    ),
    json_case(
        "v2-action-id",
        v2(_set([*Q, "corrective_actions", 0, "id"], "CA-9")),
        f"{ISSUE}.corrective_actions[0], field id: is set by the loader",
    ),
    json_case(
        "v2-action-kind",
        v2(_set([*Q, "preventive_actions", 0, "kind"], "corrective")),
        f"{ISSUE}.preventive_actions[0], field kind: is set by the loader",
    ),
    json_case(
        "v2-test-id",
        v2(_set([*Q, "investigation", "verification_tests", 0, "id"], "T-9")),
        "verification_tests[0], field id: is set by the loader",
    ),
    # -- unexpected keys inside nested records
    json_case(
        "v2-consumed-unknown-key",
        v2(_set([*B, 0, "materials_consumed", 0, "qty"], 4)),
        f"{BATCH0}.materials_consumed[0], field qty: unexpected key",
    ),
    json_case(
        "v2-batches-consumed-unknown-key",
        v2(_set([*B, 1, "batches_consumed", 0, "share"], 1)),
        f"{BATCH1}.batches_consumed[0], field share: unexpected key",
    ),
    json_case(
        "v2-notification-unknown-key",
        v2(_set([*Q, "supplier_notification", "channel"], "email")),
        "supplier_notification, field channel: unexpected key",
    ),
    json_case(
        "v2-traceability-unknown-key",
        v2(_set([*Q, "traceability", "lots"], [])),
        "traceability, field lots: unexpected key",
    ),
    json_case(
        "v2-investigation-unknown-key",
        v2(_set([*Q, "investigation", "colour"], "red")),
        f"{ISSUE}.investigation, field colour",
    ),
    json_case(
        "v2-cost-unknown-key",
        v2(_set([*Q, "cost_impact", "legal_cost"], 5.0)),
        "field legal_cost",
    ),
    json_case(
        "v2-notified-string",
        v2(_set([*Q, "supplier_notification", "notified"], "yes")),
        "supplier_notification, field notified",
    ),
    # -- silent overwrites
    json_case(
        "v2-same-supplier-twice-other-facts",
        v2(lambda d: _two_suppliers(d, same=False)),
        "suppliers[2], field name",
        "also given at suppliers[0]",
    ),
    json_case(
        "v2-same-supplier-twice",
        v2(lambda d: _two_suppliers(d, same=True)),
        "suppliers[2], field id",
        "given twice",
    ),
    json_case(
        "v2-duplicate-json-key",
        _dup_key_in_object(_json(V2)),
        "suppliers[0], field name: given twice in one object",
    ),
    json_case(
        "v2-duplicate-top-level-key",
        _json(V2).replace(b'"orders":', b'"orders": [], "orders":', 1),
        "the top-level object, field orders: given twice",
    ),
    json_case(
        "v2-batch-consumes-itself",
        v2(_set([*B, 1, "batches_consumed", 0, "batch_id"], "BATCH-2025-1001-002")),
        "cannot consume itself",
    ),
    json_case("v2-consumed-cycle", v2(_cycle), "closes a CONSUMED cycle"),
    json_case(
        "v2-overlapping-serials",
        v2(_overlap),
        "Serial 'SN-000001003' has one PRODUCED from a Batch, and this load gives it two",
    ),
    json_case(
        "v2-serial-end-before-start",
        v2(_set([*B, 1, "serial_end"], 1000)),
        f"{BATCH1}, field serial_end",
    ),
    json_case(
        "v2-serial-range-huge",
        v2(_set([*B, 1, "serial_end"], 1001 + 2_000_000)),
        f"{BATCH1}, field serial_end",
    ),
    json_case(
        "v2-dangling-lot",
        v2(_set([*B, 0, "materials_consumed", 0, "lot_number"], "LOT-404")),
        "refers to MaterialLot 'LOT-404'",
    ),
    json_case(
        "v2-day-key-us-format",
        v2(lambda d: d.update(production={"03/03/2025": d["production"]["2025-03-03"]})),
        "production.03/03/2025: the day key '03/03/2025' is not an ISO date",
    ),
    json_case("v2-not-utf8", _json(V2).replace(b"Alpine", b"Alp\xefne", 1), ":9: not UTF-8"),
    # -- v1.0
    json_case(
        "v1-day-key-us-format",
        v1(lambda d: d.update(production={"03/01/2025": d["production"]["2025-03-01"]})),
        "production.03/01/2025: the day key '03/01/2025' is not an ISO date",
    ),
    json_case(
        "v1-day-key-short",
        v1(lambda d: d.update(production={"2025-3-1": d["production"]["2025-03-01"]})),
        "production.2025-3-1: the day key",
    ),
    json_case(
        "v1-day-key-basic",
        v1(lambda d: d.update(production={"20250301": d["production"]["2025-03-01"]})),
        "production.20250301: the day key",
    ),
    json_case(
        "v1-parts-produced-string",
        v1(_set([*V1M, "parts_produced"], "300")),
        "production.2025-03-01.M-01, field parts_produced",
    ),
    json_case(
        "v1-parts-produced-true",
        v1(_set([*V1M, "parts_produced"], True)),
        "production.2025-03-01.M-01, field parts_produced",
    ),
    json_case(
        "v1-shifts-list",
        v1(_set([*V1M, "shifts"], [])),
        "production.2025-03-01.M-01, field shifts",
    ),
    json_case(
        "v1-shift-parts-string",
        v1(_set([*V1M, "shifts", "A", "parts_produced"], "200")),
        "field shifts.A.parts_produced",
    ),
    json_case(
        "v1-quality-issues-number",
        v1(_set([*V1M, "quality_issues"], 5)),
        "production.2025-03-01.M-01, field quality_issues",
    ),
    json_case(
        "v1-issue-id-given",
        v1(_set([*V1M, "quality_issues", 0, "issue_id"], "QI-9")),
        "quality_issues[0], field issue_id: is set by the loader",
    ),
    json_case(
        "v1-severity-unknown",
        v1(_set([*V1M, "quality_issues", 0, "severity"], "urgent")),
        "quality_issues[0], field severity",
    ),
    json_case(
        "v1-downtime-minutes-twice",
        v1(_set([*V1M, "downtime_events", 0, "duration"], 30)),
        "downtime_events[0], field minutes",
    ),
    json_case(
        "v1-downtime-unknown-key",
        v1(_set([*V1M, "downtime_events", 0, "cause"], "jam")),
        "downtime_events[0], field cause: unexpected key",
    ),
    json_case(
        "v1-day-string",
        v1(_set(["production", "2025-03-02"], "x")),
        "production.2025-03-02: must be an object",
    ),
    json_case(
        "v1-parts-affected-huge",
        v1(_set([*V1M, "quality_issues", 0, "parts_affected"], HUGE)),
        "quality_issues[0], field parts_affected",
    ),
    # -- files that are not what they should be
    Case(
        "json-path-is-a-directory",
        ["json", "{dir}/store.json", "--quiet"],
        dirs=("store.json",),
        expect=("store.json: is a directory",),
    ),
    Case("json-missing-file", ["json", "{dir}/nope.json"], expect=("nope.json: cannot read",)),
    Case(
        "csv-path-is-a-file",
        ["csv", "{dir}/store.json"],
        {"store.json": b"{}"},
        expect=("store.json: not a directory",),
    ),
    # -- CSV
    csv_case(
        "csv-long-id",
        {**CSV_GOOD, "Supplier.csv": f"id,name\nSUP-1,A\n{LONG},B\n"},
        "Supplier.csv line 3, field id",
        batch_size=1,
    ),
    csv_case(
        "csv-quantity-1e20",
        {
            "Batch.csv": "batch_id,production_date,quantity\n"
            f"B-1,2025-03-01,1\nB-2,2025-03-01,{HUGE}\n"
        },
        "Batch.csv line 3, field quantity",
        batch_size=1,
    ),
    csv_case(
        "csv-quantity-nan",
        {"MaterialLot.csv": "lot_number,quantity,received_date\nLOT-1,NaN,2025-02-20\n"},
        "MaterialLot.csv line 2, field quantity",
    ),
    csv_case(
        "csv-quantity-inf",
        {"MaterialLot.csv": "lot_number,quantity,received_date\nLOT-1,inf,2025-02-20\n"},
        "MaterialLot.csv line 2, field quantity",
    ),
    csv_case(
        "csv-quantity-words",
        {"MaterialLot.csv": "lot_number,quantity,received_date\nLOT-1,lots,2025-02-20\n"},
        "MaterialLot.csv line 2, field quantity",
    ),
    csv_case(
        "csv-boolean-maybe",
        {"QualityIssue.csv": CSV_ISSUE_HEADER + "QI-1,x,1,low,2025-03-01T00:00:00Z,maybe\n"},
        "QualityIssue.csv line 2, field charged_to_supplier",
    ),
    csv_case(
        "csv-unclosed-quote-at-end",
        {"Supplier.csv": 'id,name\nSUP-1,Alpine\nSUP-2,"Baltic\nSUP-3,Cotton\n'},
        "Supplier.csv:3: a quoted cell opened on line 3 is never closed",
    ),
    csv_case(
        "csv-unclosed-quote-swallows-rows",
        {"Supplier.csv": 'id,name\nSUP-1,"Alpine\nSUP-2,Baltic\nSUP-3,"Cotton"\n'},
        "Supplier.csv:2: malformed CSV",
        "a quote opened on line 2 runs on to line 4",
    ),
    csv_case(
        "csv-quote-in-key-spans-lines",
        {"Supplier.csv": 'id,name\n"SUP-1\nSUP-2",Alpine\n'},
        "Supplier.csv lines 2-3, field id",
    ),
    csv_case(
        "csv-duplicate-row",
        {"Supplier.csv": "id,name\nSUP-1,Alpine\nSUP-1,Alpine\n"},
        "Supplier.csv line 3, field id",
        "given twice (also at Supplier.csv line 2)",
    ),
    csv_case(
        "csv-duplicate-key-other-facts",
        {"Supplier.csv": "id,name\nSUP-1,Alpine\nSUP-1,Baltic\n"},
        "Supplier.csv line 3, field name",
    ),
    csv_case(
        "csv-duplicate-relationship-row",
        {
            **CSV_GOOD,
            "SUPPLIED.csv": "src,dst,quantity\nSUP-1,LOT-1,500\nSUP-2,LOT-1,5\nSUP-1,LOT-1,500\n",
        },
        "SUPPLIED.csv line 4, field to",
    ),
    csv_case(
        "csv-not-utf8",
        {"Supplier.csv": b"id,name\nSUP-1,Alp\xe9ne\n"},
        "Supplier.csv:2: not UTF-8",
    ),
    Case(
        "csv-directory-named-like-a-file",
        ["csv", "{dir}/in"],
        {"in/Material.csv": b"id,name\nMAT-1,Merino\n"},
        dirs=("in/Supplier.csv",),
        expect=("Supplier.csv is a directory",),
    ),
    csv_case("csv-unknown-file", {"Suppliers.csv": "id,name\n"}, "Suppliers.csv match no node"),
    csv_case(
        "csv-batch-consumes-itself",
        {"Batch.csv": CSV_BATCHES, "CONSUMED_BATCH.csv": "src,dst\nB-1,B-1\n"},
        "CONSUMED_BATCH.csv line 2",
        "cannot consume itself",
    ),
    csv_case(
        "csv-consumed-cycle",
        {"Batch.csv": CSV_BATCHES, "CONSUMED_BATCH.csv": "src,dst\nB-1,B-2\nB-2,B-3\nB-3,B-1\n"},
        "CONSUMED_BATCH.csv line 2",
        "closes a CONSUMED cycle",
    ),
    csv_case(
        "csv-serial-two-batches",
        {
            "Batch.csv": CSV_BATCHES,
            "Serial.csv": "serial_number\nSN-1\n",
            "PRODUCED.csv": "src,dst\nB-1,SN-1\nB-2,SN-1\n",
        },
        "PRODUCED.csv line 3, field from",
        "Serial 'SN-1' has one PRODUCED from a Batch, and this load gives it two: 'B-1'",
    ),
    csv_case(
        "csv-batch-on-two-machines",
        {
            "Batch.csv": CSV_BATCHES,
            "Machine.csv": "id,name\nM-1,Knitter 1\nM-2,Knitter 2\n",
            "RUN_ON.csv": "src,dst\nB-1,M-1\nB-2,M-1\nB-1,M-2\n",
        },
        "RUN_ON.csv line 4, field to",
        "Batch 'B-1' has one RUN_ON to a Machine, and this load gives it two: 'M-1'",
    ),
    csv_case(
        "csv-too-many-cells",
        {"Supplier.csv": "id,name\nSUP-1,Alpine,extra\n"},
        "Supplier.csv line 2: 3 cells for 2 columns",
    ),
    csv_case(
        "csv-empty-required",
        {"Supplier.csv": "id,name\n,Alpine\n"},
        "Supplier.csv line 2, field id",
    ),
    csv_case(
        "csv-too-many-list-items",
        {"Supplier.csv": "id,name,certifications\nSUP-1,Alpine," + ";".join(["ISO"] * 1001) + "\n"},
        "Supplier.csv line 2, field certifications",
    ),
    csv_case(
        "csv-dangling-supplier",
        {**CSV_GOOD, "SUPPLIED.csv": "src,dst\nSUP-404,LOT-1\n"},
        "SUPPLIED.csv line 2, field from",
    ),
    # -- options
    Case(
        "batch-size-0",
        ["json", "{dir}/store.json", "--batch-size", "0"],
        {"store.json": _json(V2)},
        expect=("--batch-size", "'0' is not a batch size"),
    ),
    Case(
        "batch-size-negative",
        ["json", "{dir}/store.json", "--batch-size", "-1"],
        {"store.json": _json(V2)},
        expect=("--batch-size", "'-1' is not a batch size"),
    ),
    Case(
        "batch-size-words",
        ["csv", "{dir}", "--batch-size", "many"],
        expect=("--batch-size", "'many' is not a batch size"),
    ),
    Case(
        "batch-size-huge",
        ["demo", "--batch-size", "1000000000"],
        expect=("--batch-size", "is not a batch size"),
    ),
    Case("demo-scale-0", ["demo", "--scale", "0"], expect=("--scale", "'0' is not a scale")),
    Case(
        "demo-scale-negative", ["demo", "--scale", "-5"], expect=("--scale", "'-5' is not a scale")
    ),
]

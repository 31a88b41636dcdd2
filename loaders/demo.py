"""The synthetic demo graph: deterministic for a seed, streamed, realistic in shape.

``scale`` is the approximate node count. Master data (suppliers of uneven quality, materials,
machines, shifts, operators, customers, users) is small and fixed; everything else is generated
order by order over a date range, so memory does not grow with the scale. Each order gets 8
production stages, QC checks, a status history and a genealogy of 2-4 batch levels (level-0
batches consume lots, higher levels merge and split lower ones), and its top batch produces the
serials. Lots of bulk materials are shared by many orders, so at large scales a lot reaches
thousands of serials. Lots of the bad suppliers are sometimes bad, and orders built from a bad lot
get material quality issues that suspect it and notify its supplier.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from graph.ingest import DEFAULT_BATCH_SIZE, Progress, WriteSummary, ingest
from graph.records import NodeRecord, RelRecord
from graph.records.orders import (
    AssignedTo,
    AtStage,
    Customer,
    HasQCCheck,
    HasStage,
    Order,
    OrderStatusChange,
    Placed,
    ProductionStage,
    QCCheck,
    StatusChanged,
)
from graph.records.people import ChangedBy, Represents, User, WorksFor
from graph.records.production import (
    Batch,
    ConsumedBatch,
    ConsumedLot,
    DowntimeEvent,
    DuringShift,
    ForOrder,
    Machine,
    OnMachine,
    OperatedBy,
    Operator,
    ProducedSerial,
    RunOn,
    Shift,
)
from graph.records.quality import (
    Action,
    Affects,
    FoundIn,
    HasAction,
    HasInvestigation,
    Investigation,
    Notified,
    QualityIssue,
    SupplierNotification,
    Suspects,
    ToSupplier,
    VerificationTest,
    VerifiedBy,
)
from graph.records.supply import (
    Material,
    MaterialLot,
    OfMaterial,
    PreferredSupplier,
    Supplied,
    Supplier,
)
from graph.vocabulary import STAGE_NAMES, RootCause
from loaders.loads import LoadRun, fingerprint, latest_of
from tracegraph.errors import InvalidInputError

Rec = NodeRecord | RelRecord
START = date(2025, 1, 1)
SPAN_DAYS = 365
SERIALS_PER_ORDER = 40
# Nodes an order brings on average (order, 8 stages, 2 QC, 3 status changes, ~6.6 batches,
# serials, issues): scale / this = number of orders.
NODES_PER_ORDER = 62
# (name, probability that a lot is bad, country)
SUPPLIERS = (
    ("Alpine Yarns", 0.005, "IT"),
    ("Baltic Fibres", 0.01, "LT"),
    ("Cotton Coast", 0.02, "IN"),
    ("Delta Dyes", 0.04, "TR"),
    ("Eastern Wool", 0.25, "CN"),
    ("Fastline Trims", 0.50, "VN"),
)
# (name, category, unit, orders sharing one lot): bulk yarns are shared widely.
MATERIALS = (
    ("Merino yarn 2/28", "yarn", "kg", 60),
    ("Cotton yarn 30/1", "yarn", "kg", 40),
    ("Elastane core", "yarn", "kg", 25),
    ("Reactive dye navy", "dye", "kg", 80),
    ("Softener", "chemical", "l", 100),
    ("Buttons 18L", "trim", "pcs", 8),
    ("Labels woven", "trim", "pcs", 12),
    ("Polybags", "packaging", "pcs", 20),
)
SHIFTS = (
    ("A", "Morning", "06:00", "14:00"),
    ("B", "Afternoon", "14:00", "22:00"),
    ("C", "Night", "22:00", "06:00"),
)
CUSTOMER_NAMES = ("Nordwear", "Urban Knit", "Maison Laine", "Pacific Outfitters", "Kiwi Kids")
PRODUCTS = ("sweater", "cardigan", "beanie", "scarf", "polo")
ISSUE_TYPES = ("dimension", "surface_defect", "color_shade", "seam_failure", "pilling")


def _ts(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class DemoGenerator:
    """Yields records; nodes precede the relationships that need them within each order."""

    def __init__(self, scale: int = 10_000, seed: int = 42) -> None:
        self.scale = max(scale, 200)
        # Reproducible synthetic data, not security: a seeded PRNG is what we want.
        self.rng = random.Random(seed)  # noqa: S311
        self.orders = max(self.scale // NODES_PER_ORDER, 2)
        self.n_machines = min(8 + self.scale // 100_000, 60)
        self.n_operators = min(20 + self.scale // 20_000, 600)
        self.n_customers = len(CUSTOMER_NAMES) + min(self.scale // 50_000, 400)
        self.serial = 0
        # Current lot per material and whether it is bad: lots change every N orders.
        self._lot: dict[int, tuple[str, int, bool]] = {}
        self._lot_supplier: dict[str, str] = {}

    def records(self) -> Iterator[Rec]:
        yield from self._master()
        for i in range(self.orders):
            yield from self._order(i)

    # -- master data ---------------------------------------------------------------------------
    def _master(self) -> Iterator[Rec]:
        for s, (name, _bad, country) in enumerate(SUPPLIERS, start=1):
            sid = f"SUP-{s:03d}"
            yield Supplier(
                id=sid,
                name=name,
                contact_name=f"{name.split()[0]} Quality",
                contact_email=f"quality@{name.split()[0].lower()}.example",
                country=country,
                certifications=["ISO9001"] + (["OEKO-TEX"] if s % 2 else []),
                status="probation" if _bad > 0.1 else "active",
            )
            uid = f"U-S{s:03d}"
            yield User(id=uid, email=f"{sid.lower()}@supplier.example", name=name, role="supplier")
            yield WorksFor(src=uid, dst=sid)
        for m, (name, category, unit, _share) in enumerate(MATERIALS, start=1):
            mid = f"MAT-{m:03d}"
            yield Material(
                id=mid, name=name, category=category, unit=unit, specification=f"SPEC-{m:03d}"
            )
            for rank, s in enumerate(self._suppliers_of(m), start=1):
                yield PreferredSupplier(src=mid, dst=f"SUP-{s:03d}", rank=rank)
        for k in range(1, self.n_machines + 1):
            yield Machine(
                id=f"M-{k:02d}", name=f"Knitter {k}", type="flatbed", line=f"L{1 + k % 3}"
            )
        for sid, name, start, end in SHIFTS:
            yield Shift(id=sid, name=name, start_time=start, end_time=end)
        for k in range(1, self.n_operators + 1):
            yield Operator(id=f"OP-{k:03d}", name=f"Operator {k}")
        for c in range(1, self.n_customers + 1):
            cid = f"CUST-{c:03d}"
            base = CUSTOMER_NAMES[(c - 1) % len(CUSTOMER_NAMES)]
            name = base if c <= len(CUSTOMER_NAMES) else f"{base} {c}"
            yield Customer(id=cid, name=name, country=("SE", "DE", "FR", "US", "NZ")[c % 5])
            uid = f"U-C{c:03d}"
            yield User(id=uid, email=f"buyer{c}@customer.example", name=f"Buyer {c}", role="buyer")
            yield Represents(src=uid, dst=cid)
        yield User(id="U-001", email="admin@tracegraph.example", name="Admin", role="admin")

    def _suppliers_of(self, material: int) -> list[int]:
        first = (material * 5) % len(SUPPLIERS) + 1
        second = (first % len(SUPPLIERS)) + 1
        return [first, second]

    # -- per order -----------------------------------------------------------------------------
    def _lot_for(self, m: int, i: int, day: date) -> Iterator[Rec]:
        """Switch material ``m`` to a new lot every share-th order; yield the new lot's records."""
        share = MATERIALS[m - 1][3]
        index = i // share
        current = self._lot.get(m)
        if current is not None and current[1] == index:
            return
        rng = self.rng
        s = self._suppliers_of(m)[0 if rng.random() < 0.7 else 1]
        bad = rng.random() < SUPPLIERS[s - 1][1]
        lot = f"LOT-{m:02d}-{index:06d}"
        old = self._lot.get(m)
        if old is not None:
            # Only current lots can be suspected, so the mapping stays as small as MATERIALS.
            self._lot_supplier.pop(old[0], None)
        self._lot[m] = (lot, index, bad)
        self._lot_supplier[lot] = f"SUP-{s:03d}"
        received = day - timedelta(days=rng.randint(2, 20))
        yield MaterialLot(
            lot_number=lot,
            quantity=float(share * 25),
            unit=MATERIALS[m - 1][2],
            received_date=received,
            expiry_date=received + timedelta(days=720),
            # Most bad lots pass incoming inspection: that is why they reach products.
            inspection_result="conditional" if bad and rng.random() < 0.3 else "passed",
            quarantine_status="released",
        )
        yield Supplied(
            src=f"SUP-{s:03d}",
            dst=lot,
            promised_at=received - timedelta(days=rng.randint(0, 3)),
            delivered_at=received,
            quantity=float(share * 25),
        )
        yield OfMaterial(src=lot, dst=f"MAT-{m:03d}")

    def _order(self, i: int) -> Iterator[Rec]:
        rng = self.rng
        day = START + timedelta(days=i * SPAN_DAYS // self.orders)
        onum = f"ORD-{100000 + i}"
        cust = f"CUST-{rng.randint(1, self.n_customers):03d}"
        supplier = f"SUP-{rng.randint(1, len(SUPPLIERS)):03d}"
        age = SPAN_DAYS - (day - START).days
        done_stages = 8 if age > 40 else min(8, age // 5)
        status = "completed" if done_stages == 8 else "in_production"
        created = _ts(day - timedelta(days=14), 9)
        materials = [m for m in range(1, len(MATERIALS) + 1) if m <= 3 or rng.random() < 0.6]
        lots: list[str] = []
        bad_lots: list[str] = []
        for m in materials:
            yield from self._lot_for(m, i, day)
            lot, _idx, bad = self._lot[m]
            lots.append(lot)
            if bad:
                bad_lots.append(lot)
        yield Order(
            order_number=onum,
            part_number=f"PN-{rng.randint(100, 999)}",
            product_type=rng.choice(PRODUCTS),
            quantity=SERIALS_PER_ORDER,
            due_date=day + timedelta(days=30),
            created_at=created,
            status=status,
            workflow_status="completed" if status == "completed" else "in_production",
            production_status="completed" if status == "completed" else "in_progress",
            current_stage=min(done_stages + 1, 8),
            buyer_price=round(rng.uniform(2000, 20000), 2),
            supplier_cost=round(rng.uniform(1500, 15000), 2),
            expected_delivery_date=day + timedelta(days=30),
            actual_delivery_date=day + timedelta(days=28) if status == "completed" else None,
        )
        yield Placed(src=cust, dst=onum)
        yield AssignedTo(src=onum, dst=supplier, assigned_at=created, assigned_by="U-001")
        for seq, name in enumerate(STAGE_NAMES, start=1):
            sid = f"{onum}/{seq}"
            stage_done = seq <= done_stages
            yield ProductionStage(
                id=sid,
                sequence=seq,
                name=name,
                status="completed" if stage_done else "pending",
                completion_percentage=100 if stage_done else 0,
                started_at=_ts(day + timedelta(days=seq * 3)) if stage_done else None,
                completed_at=_ts(day + timedelta(days=seq * 3 + 2)) if stage_done else None,
                target_date=day + timedelta(days=seq * 3 + 2),
            )
            yield HasStage(src=onum, dst=sid)
        for q, seq in enumerate((2, 5), start=1):
            qid = f"QC-{onum}-{q}"
            defects = rng.choice((0, 0, 0, 1, 2, 5))
            yield QCCheck(
                id=qid,
                result="fail" if defects > 2 else "pass",
                aql_level="2.5",
                sample_size=32,
                defects_found=defects,
                checked_at=_ts(day + timedelta(days=seq * 3 + 2), 15),
            )
            yield HasQCCheck(src=onum, dst=qid)
            yield AtStage(src=qid, dst=f"{onum}/{seq}")
        history = ["quote_requested", "assigned_to_supplier", "in_production"]
        history += ["completed"] if status == "completed" else []
        for n, (frm, to) in enumerate(zip([None, *history], history, strict=False), start=1):
            cid = f"{onum}/{n}"
            yield OrderStatusChange(
                id=cid, from_status=frm, to_status=to, changed_at=_ts(day + timedelta(days=n * 5))
            )
            yield StatusChanged(src=onum, dst=cid)
            yield ChangedBy(src=cid, dst="U-001" if n != 2 else f"U-S{supplier[-3:]}")
        yield from self._genealogy(i, onum, day, lots, bad_lots)

    def _batch(self, bid: str, day: date, level: int, qty: int, onum: str) -> Iterator[Rec]:
        rng = self.rng
        yield Batch(batch_id=bid, production_date=day, quantity=qty, level=level)
        yield ForOrder(src=bid, dst=onum)
        yield RunOn(src=bid, dst=f"M-{rng.randint(1, self.n_machines):02d}")
        yield OperatedBy(src=bid, dst=f"OP-{rng.randint(1, self.n_operators):03d}")
        yield DuringShift(src=bid, dst=SHIFTS[rng.randrange(len(SHIFTS))][0])

    def _genealogy(  # noqa: PLR0912 - a genealogy level by level
        self, i: int, onum: str, day: date, lots: list[str], bad_lots: list[str]
    ) -> Iterator[Rec]:
        rng = self.rng
        depth = rng.choice((2, 3, 3, 4))
        widths = {1: 3, 2: 2, 3: 2}
        prev: list[str] = []
        batch_no = 0
        for level in range(depth):
            width = 1 if level == depth - 1 else widths.get(depth - level, 2)
            current: list[str] = []
            for w in range(width):
                batch_no += 1
                bid = f"BATCH-{onum[4:]}-{batch_no:03d}"
                bday = day + timedelta(days=level)
                if level == depth - 1:
                    # The top batch's serials are created right here, with their range.
                    first = self.serial + 1
                    self.serial += SERIALS_PER_ORDER
                    yield Batch(
                        batch_id=bid,
                        production_date=bday,
                        quantity=SERIALS_PER_ORDER,
                        serial_start=f"SN-{first:09d}",
                        serial_end=f"SN-{self.serial:09d}",
                        level=level,
                    )
                    yield ForOrder(src=bid, dst=onum)
                    yield RunOn(src=bid, dst=f"M-{rng.randint(1, self.n_machines):02d}")
                    yield OperatedBy(src=bid, dst=f"OP-{rng.randint(1, self.n_operators):03d}")
                    yield DuringShift(src=bid, dst=SHIFTS[rng.randrange(len(SHIFTS))][0])
                else:
                    yield from self._batch(bid, bday, level, SERIALS_PER_ORDER, onum)
                if level == 0:
                    # Each level-0 batch draws on a slice of the order's lots (all share yarn).
                    for lot in {lots[0], *lots[w::width]}:
                        yield ConsumedLot(src=bid, dst=lot, quantity=10.0, unit="kg")
                else:
                    # Merges (several inputs) and splits (an input feeds two consumers).
                    for src in {prev[w % len(prev)], prev[(w + 1) % len(prev)]}:
                        yield ConsumedBatch(src=bid, dst=src, quantity=float(SERIALS_PER_ORDER))
                current.append(bid)
            prev = current
        top = prev[0]
        first = self.serial - SERIALS_PER_ORDER + 1
        defective: set[int] = set()
        issues: list[tuple[RootCause, str | None]] = []
        if bad_lots and rng.random() < 0.2:
            issues.append((RootCause.MATERIAL, bad_lots[0]))
        if rng.random() < 0.03:
            others = (RootCause.MACHINE, RootCause.PROCESS, RootCause.OPERATOR, RootCause.DESIGN)
            issues.append((rng.choice(others), None))
        for _cause, _lot in issues:
            affected = rng.randint(1, 8)
            defective |= {first + rng.randrange(SERIALS_PER_ORDER) for _ in range(affected)}
        for k in range(SERIALS_PER_ORDER):
            sn = first + k
            yield ProducedSerial(
                src=top, dst=f"SN-{sn:09d}", status="defective" if sn in defective else "ok"
            )
        for n, (cause, suspect) in enumerate(issues, start=1):
            yield from self._issue(i, n, onum, day, top, cause, suspect, sorted(defective))
        if rng.random() < 0.2:
            machine = f"M-{rng.randint(1, self.n_machines):02d}"
            did = f"DT-{day.isoformat()}-{machine}-{i}"
            yield DowntimeEvent(
                id=did, date=day, reason="maintenance", minutes=rng.randint(10, 240)
            )
            yield OnMachine(src=did, dst=machine)

    def _issue(  # noqa: PLR0917 - private helper of the generator
        self,
        i: int,
        n: int,
        onum: str,
        day: date,
        batch: str,
        cause: RootCause,
        lot: str | None,
        serials: list[int],
    ) -> Iterator[Rec]:
        rng = self.rng
        iid = f"QI-{day.year}-{onum[4:]}-{n:03d}"
        detected = _ts(day + timedelta(days=2), 11)
        closed = day + timedelta(days=40) < START + timedelta(days=SPAN_DAYS)
        scrap = round(rng.uniform(50, 2000), 2)
        rework = round(rng.uniform(0, 800), 2)
        downtime = round(rng.uniform(0, 500), 2)
        inv_cost = round(rng.uniform(100, 1000), 2)
        yield QualityIssue(
            issue_id=iid,
            type=rng.choice(ISSUE_TYPES),
            description=f"{cause} related defect found at final QC of {onum}",
            parts_affected=len(serials),
            severity=rng.choice(("low", "medium", "high", "critical")),
            status="closed" if closed else "investigating",
            detected_at=detected,
            detected_by=f"OP-{rng.randint(1, self.n_operators):03d}",
            detection_point="final_qc",
            scrap_cost=scrap,
            rework_cost=rework,
            downtime_cost=downtime,
            investigation_cost=inv_cost,
            total_cost=round(scrap + rework + downtime + inv_cost, 2),
            charged_to_supplier=lot is not None and closed,
        )
        yield FoundIn(src=iid, dst=batch)
        for sn in serials[:8]:
            yield Affects(src=iid, dst=f"SN-{sn:09d}")
        inv = f"{iid}/INV"
        yield Investigation(
            id=inv,
            status="closed" if closed else "in_progress",
            root_cause_category=cause,
            root_cause_details=f"suspected {lot}" if lot else f"{cause} deviation",
            root_cause_confirmed=closed,
            investigator="Quality Engineer",
            opened_at=detected,
            closed_at=_ts(day + timedelta(days=30)) if closed else None,
        )
        yield HasInvestigation(src=iid, dst=inv)
        test = f"{iid}/T1"
        yield VerificationTest(
            id=test,
            name="tensile" if lot else "dimension check",
            method="ISO 13934-1",
            result="fail" if lot else "pass",
            performed_at=_ts(day + timedelta(days=5)),
        )
        yield VerifiedBy(src=inv, dst=test)
        for kind, code in (("corrective", "CA1"), ("preventive", "PA1")):
            aid = f"{iid}/{code}"
            yield Action(
                id=aid,
                kind=kind,
                description=f"{kind} action for {iid}",
                owner="Quality Engineer",
                due_date=day + timedelta(days=30),
                status="done" if closed else "open",
                completed_at=_ts(day + timedelta(days=25)) if closed else None,
            )
            yield HasAction(src=iid, dst=aid)
        if lot is not None:
            yield Suspects(src=inv, dst=lot)
            m = int(lot[4:6])
            nid = f"{iid}/N"
            yield SupplierNotification(
                id=nid,
                notified_at=day + timedelta(days=3),
                supplier_response="investigating" if not closed else "accepted",
                supplier_capa_number=f"CAPA-{i:06d}" if closed else None,
            )
            yield Notified(src=iid, dst=nid)
            # The notification goes to whoever supplied the lot: find it the way the lot got it.
            yield ToSupplier(src=nid, dst=self._supplier_of_lot(m, lot))

    def _supplier_of_lot(self, m: int, lot: str) -> str:
        return self._lot_supplier.get(lot, f"SUP-{self._suppliers_of(m)[0]:03d}")


def generate(scale: int = 10_000, seed: int = 42) -> Iterator[Rec]:
    """The demo graph's records for ``scale`` (approximate node count) and ``seed``."""
    return DemoGenerator(scale, seed).records()


async def _has_domain_data(tx: AsyncManagedTransaction) -> bool:
    (record,) = await queries.read(tx, "ingest.has_domain_data")
    return bool(record["present"])


async def has_domain_data(db: Database) -> bool:
    return await db.read(_has_domain_data)


async def load_demo(
    db: Database,
    *,
    scale: int = 10_000,
    seed: int = 42,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> WriteSummary:
    """Write the demo graph as a recorded load: into an empty graph with CREATE (no lookups);
    into a graph that an earlier run of the same demo wrote (all or part of it) with MERGE, which
    completes or repeats it. Into any other data, not at all: the generator's keys could collide
    with real ones, and nothing would tell."""
    source = f"demo --scale {scale} --seed {seed}"
    key = fingerprint("demo", source, b"")
    fresh = not await has_domain_data(db)
    if not fresh and await latest_of(db, key) is None:
        raise InvalidInputError(
            f"the graph already holds data that no `load {source}` wrote; the demo generator"
            " writes only into an empty graph, or completes its own earlier load"
        )
    async with LoadRun(db, kind="demo", source=source, fingerprint=key) as run:
        await ingest(
            db,
            generate(scale, seed),
            batch_size=batch_size,
            create_only=fresh,
            progress=progress,
            load=run.id,
            summary=run.summary,
        )
    return run.summary

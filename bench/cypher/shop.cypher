// What the shop-floor benchmark (bench/shop_floor.py) draws on: one order in production whose
// part the catalogue binds to the bench material, lots of that material, batches of that order.

// name: shop_floor
// $lots lots ($prefix + 'L' + i, 1e9 kg each, passed, released) and $batches batches
// ($prefix + 'B' + i, $units units each) of one order in production, on a machine, in a shift.
// mode: write
// params: $prefix, $lots, $batches, $units
MERGE (s:Supplier {id: 'SUP-BENCH'})
  ON CREATE SET s.name = 'Bench supplier', s.status = 'active'
MERGE (m:Material {id: 'MAT-BENCH'})
  ON CREATE SET m.name = 'Bench material', m.unit = 'kg', m.requirements = [], m.part_numbers = ['PN-BENCH']
MERGE (c:Customer {id: 'CUST-BENCH'})
  ON CREATE SET c.name = 'Bench customer'
MERGE (mc:Machine {id: 'M-BENCH'})
  ON CREATE SET mc.name = 'Bench machine'
MERGE (sh:Shift {id: 'S-BENCH'})
  ON CREATE SET sh.name = 'Bench shift'
MERGE (op:Operator {id: 'OP-BENCH'})
  ON CREATE SET op.name = 'Bench operator'
CREATE (c)-[:PLACED]->(o:Order {order_number: $prefix + 'ORD', part_number: 'PN-BENCH', quantity: $batches * $units,
        due_date: date() + duration({days: 30}), created_at: datetime(), version: 1,
        workflow_status: 'in_production', status: 'in_production', production_status: 'in_progress'})
CREATE (o)-[:ASSIGNED_TO {assigned_at: datetime(), assigned_by: 'bench'}]->(s)
WITH s, m, o, mc, sh, op
CALL (s, m) {
  UNWIND range(1, $lots) AS i
  CREATE (s)-[:SUPPLIED {promised_at: date(), delivered_at: date(), quantity: 1.0e9}]->(l:MaterialLot {lot_number: $prefix + 'L' + i,
          quantity: 1.0e9, unit: 'kg', received_date: date(), inspection_result: 'passed', quarantine_status: 'released'})
  CREATE (l)-[:OF_MATERIAL]->(m)
}
CALL (o, mc, sh, op) {
  UNWIND range(1, $batches) AS i
  CREATE (b:Batch {batch_id: $prefix + 'B' + i, production_date: date(), quantity: $units, level: 0, status: 'completed'})
  CREATE (b)-[:FOR_ORDER]->(o), (b)-[:RUN_ON]->(mc), (b)-[:DURING_SHIFT]->(sh), (b)-[:OPERATED_BY]->(op)
}

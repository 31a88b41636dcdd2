// name: shop_floor
// What the shop-floor mutations draw on (tests/schema/test_shop_floor.py). PN-100 is catalogued
// (made of MAT-STEEL and MAT-BOLT), PN-200 is not. Lots in every state that stops consumption,
// LOT-USED with 70 of its 100 kg consumed, batches B-1, B-2 (ORD-1) and B-3 (ORD-2), SN-000105
// already produced by B-OLD.
CREATE (s1:Supplier {id: 'SUP-001', name: 'Acme Metals', status: 'active'})
CREATE (s2:Supplier {id: 'SUP-002', name: 'Bolt Co', status: 'active'})
CREATE (steel:Material {id: 'MAT-STEEL', name: 'Steel sheet', unit: 'kg', requirements: [], part_numbers: ['PN-100']})
CREATE (bolt:Material {id: 'MAT-BOLT', name: 'Bolt M6', unit: 'pcs', requirements: [], part_numbers: ['PN-100', 'PN-300']})
CREATE (paint:Material {id: 'MAT-PAINT', name: 'Paint', unit: 'l', requirements: [], part_numbers: []})
WITH count(*) AS reference
UNWIND [
  ['LOT-OK', 'MAT-STEEL', 'SUP-001', 100.0, 'kg', 'passed', 'released'],
  ['LOT-BOLT', 'MAT-BOLT', 'SUP-002', 1000.0, 'pcs', 'passed', 'released'],
  ['LOT-Q', 'MAT-STEEL', 'SUP-001', 100.0, 'kg', 'passed', 'quarantined'],
  ['LOT-H', 'MAT-STEEL', 'SUP-001', 100.0, 'kg', 'passed', 'on_hold'],
  ['LOT-R', 'MAT-STEEL', 'SUP-001', 100.0, 'kg', 'failed', 'rejected'],
  ['LOT-F', 'MAT-STEEL', 'SUP-001', 100.0, 'kg', 'failed', 'released'],
  ['LOT-PAINT', 'MAT-PAINT', 'SUP-002', 50.0, 'l', 'passed', 'released'],
  ['LOT-USED', 'MAT-STEEL', 'SUP-001', 100.0, 'kg', 'conditional', 'released']
] AS row
MATCH (m:Material {id: row[1]}), (s:Supplier {id: row[2]})
CREATE (l:MaterialLot {lot_number: row[0], quantity: row[3], unit: row[4], received_date: date('2025-10-01'), inspection_result: row[5], quarantine_status: row[6]})
CREATE (s)-[:SUPPLIED {promised_at: date('2025-09-30'), delivered_at: date('2025-10-01'), quantity: row[3]}]->(l)
CREATE (l)-[:OF_MATERIAL]->(m)
WITH count(*) AS lots
CREATE (c:Customer {id: 'CUST-001', name: 'Globex'})
CREATE (c)-[:PLACED]->(o1:Order {order_number: 'ORD-1', part_number: 'PN-100', quantity: 100, due_date: date('2025-11-01'), created_at: datetime('2025-09-20T08:00:00Z'), status: 'in_production', workflow_status: 'in_production', production_status: 'in_progress'})
CREATE (c)-[:PLACED]->(o2:Order {order_number: 'ORD-2', part_number: 'PN-200', quantity: 50, due_date: date('2025-11-01'), created_at: datetime('2025-09-20T08:00:00Z'), status: 'in_production', workflow_status: 'delayed', production_status: 'delayed'})
CREATE (c)-[:PLACED]->(:Order {order_number: 'ORD-Q', part_number: 'PN-100', quantity: 10, due_date: date('2025-12-01'), created_at: datetime('2025-10-20T08:00:00Z'), status: 'pending', workflow_status: 'quote_requested', production_status: 'not_started'})
CREATE (m:Machine {id: 'M-01', name: 'Press 1'})
CREATE (sh:Shift {id: 'A', name: 'Morning'})
CREATE (op:Operator {id: 'OP-001', name: 'Bob'})
CREATE (old:Batch {batch_id: 'B-OLD', production_date: date('2025-10-02'), quantity: 10, level: 0, status: 'completed', serial_start: 'SN-000105', serial_end: 'SN-000105'})-[:FOR_ORDER]->(o2)
CREATE (old)-[:PRODUCED]->(:Serial {serial_number: 'SN-000105', status: 'ok'})
CREATE (b1:Batch {batch_id: 'B-1', production_date: date('2025-10-05'), quantity: 100, level: 0, status: 'completed'})-[:FOR_ORDER]->(o1)
CREATE (b2:Batch {batch_id: 'B-2', production_date: date('2025-10-05'), quantity: 100, level: 0, status: 'completed'})-[:FOR_ORDER]->(o1)
CREATE (b3:Batch {batch_id: 'B-3', production_date: date('2025-10-05'), quantity: 50, level: 0, status: 'completed'})-[:FOR_ORDER]->(o2)
CREATE (bx:Batch {batch_id: 'B-SCRAPPED', production_date: date('2025-10-05'), quantity: 50, level: 0, status: 'scrapped'})-[:FOR_ORDER]->(o2)
FOREACH (b IN [old, b1, b2, b3, bx] | CREATE (b)-[:RUN_ON]->(m), (b)-[:DURING_SHIFT]->(sh), (b)-[:OPERATED_BY]->(op))
WITH old
MATCH (used:MaterialLot {lot_number: 'LOT-USED'})
CREATE (old)-[:CONSUMED {quantity: 70.0, unit: 'kg'}]->(used)

// name: holds
// Genealogy for quarantine and holds (issue 13). Lots LOT-A (SUP-001, 100 kg), LOT-B (SUP-002,
// 50 kg), LOT-C (SUP-001, 40 kg), LOT-H (SUP-001, loaded on_hold), LOT-R (SUP-001, rejected).
// B-1 consumed LOT-A and LOT-B (for ORD-1, serials SN-1 and SN-2); B-2 consumed LOT-A; B-3 (a
// level-1 batch) consumed B-2 (for ORD-3, serial SN-3); B-4 consumed LOT-C (for ORD-4); B-NEW
// (for ORD-5, serial SN-5) has consumed nothing yet. ORD-1, ORD-3, ORD-5 are Globex's (CUST-001),
// ORD-4 Initech's (CUST-002); every order is assigned to SUP-001, at quality_check, with its
// stages before shipping completed: it ships unless a hold stops it.
CREATE (s1:Supplier {id: 'SUP-001', name: 'Acme Metals', country: 'DE', status: 'active', certifications: []})
CREATE (s2:Supplier {id: 'SUP-002', name: 'Bolt Co', country: 'PL', status: 'active', certifications: []})
CREATE (c1:Customer {id: 'CUST-001', name: 'Globex', country: 'US'})
CREATE (c2:Customer {id: 'CUST-002', name: 'Initech', country: 'US'})
CREATE (s1)-[:SUPPLIED]->(a:MaterialLot {lot_number: 'LOT-A', quantity: 100.0, unit: 'kg', received_date: date('2026-01-05'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (s2)-[:SUPPLIED]->(b:MaterialLot {lot_number: 'LOT-B', quantity: 50.0, unit: 'kg', received_date: date('2026-01-06'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (s1)-[:SUPPLIED]->(c:MaterialLot {lot_number: 'LOT-C', quantity: 40.0, unit: 'kg', received_date: date('2026-01-07'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (s1)-[:SUPPLIED]->(:MaterialLot {lot_number: 'LOT-H', quantity: 10.0, unit: 'kg', received_date: date('2026-01-08'), inspection_result: 'pending', quarantine_status: 'on_hold'})
CREATE (s1)-[:SUPPLIED]->(:MaterialLot {lot_number: 'LOT-R', quantity: 10.0, unit: 'kg', received_date: date('2026-01-09'), inspection_result: 'failed', quarantine_status: 'rejected'})
CREATE (b1:Batch {batch_id: 'B-1', production_date: date('2026-02-01'), quantity: 2, level: 0, status: 'completed'})
CREATE (b2:Batch {batch_id: 'B-2', production_date: date('2026-02-02'), quantity: 5, level: 0, status: 'completed'})
CREATE (b3:Batch {batch_id: 'B-3', production_date: date('2026-02-03'), quantity: 1, level: 1, status: 'completed'})
CREATE (b4:Batch {batch_id: 'B-4', production_date: date('2026-02-04'), quantity: 4, level: 0, status: 'completed'})
CREATE (bn:Batch {batch_id: 'B-NEW', production_date: date('2026-02-05'), quantity: 1, level: 1, status: 'in_progress'})
CREATE (b1)-[:CONSUMED {quantity: 10.0, unit: 'kg'}]->(a)
CREATE (b1)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(b)
CREATE (b2)-[:CONSUMED {quantity: 20.0, unit: 'kg'}]->(a)
CREATE (b3)-[:CONSUMED {quantity: 5.0}]->(b2)
CREATE (b4)-[:CONSUMED {quantity: 8.0, unit: 'kg'}]->(c)
CREATE (b1)-[:PRODUCED]->(:Serial {serial_number: 'SN-1', status: 'ok'})
CREATE (b1)-[:PRODUCED]->(:Serial {serial_number: 'SN-2', status: 'ok'})
CREATE (b3)-[:PRODUCED]->(:Serial {serial_number: 'SN-3', status: 'ok'})
CREATE (bn)-[:PRODUCED]->(:Serial {serial_number: 'SN-5', status: 'ok'})
WITH s1, c1, c2, b1, b2, b3, b4, bn
UNWIND [['ORD-1', c1, b1], ['ORD-3', c1, b3], ['ORD-4', c2, b4], ['ORD-5', c1, bn]] AS row
WITH s1, row[0] AS number, row[1] AS c, row[2] AS b
CREATE (c)-[:PLACED]->(o:Order {order_number: number, part_number: 'PN-100', quantity: 1, due_date: date('2026-12-01'), created_at: datetime('2026-01-02T08:00:00Z'), status: 'in_production', workflow_status: 'quality_check', production_status: 'in_progress', version: 3})
CREATE (o)-[:ASSIGNED_TO {assigned_at: datetime('2026-01-03T08:00:00Z'), assigned_by: 'U-001'}]->(s1)
CREATE (b)-[:FOR_ORDER]->(o)
WITH o
UNWIND range(1, 8) AS i
CREATE (o)-[:HAS_STAGE]->(:ProductionStage {id: o.order_number + '/' + i, sequence: i, name: ['yarn_received', 'knitting', 'linking', 'washing_finishing', 'final_qc', 'packing', 'ready_to_ship', 'shipped'][i - 1], status: CASE WHEN i < 8 THEN 'completed' ELSE 'pending' END, completion_percentage: CASE WHEN i < 8 THEN 100 ELSE 0 END, photo_urls: []})

// name: holds_new_consumption
// A consumption recorded after the fact, as consume writes it: B-NEW consumed 1 unit of B-4
// (made from LOT-C).
MATCH (bn:Batch {batch_id: 'B-NEW'}), (b4:Batch {batch_id: 'B-4'})
CREATE (bn)-[:CONSUMED {quantity: 1.0}]->(b4)

// name: two_lots_one_batch
// The smallest traceable graph: one supplier, two lots, one batch that consumed both, two serials.
CREATE (s:Supplier {id: 'SUP-001', name: 'Acme Metals', status: 'active', certifications: ['ISO 9001']})
CREATE (m:Material {id: 'MAT-001', name: 'Steel sheet', category: 'metal', unit: 'kg'})
CREATE (l1:MaterialLot {lot_number: 'LOT-1', quantity: 100.0, unit: 'kg', received_date: date('2025-10-01'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (l2:MaterialLot {lot_number: 'LOT-2', quantity: 50.0, unit: 'kg', received_date: date('2025-10-02'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (s)-[:SUPPLIED {promised_at: date('2025-09-30'), delivered_at: date('2025-10-01'), quantity: 100.0}]->(l1)
CREATE (s)-[:SUPPLIED {promised_at: date('2025-10-02'), delivered_at: date('2025-10-02'), quantity: 50.0}]->(l2)
CREATE (l1)-[:OF_MATERIAL]->(m), (l2)-[:OF_MATERIAL]->(m)
CREATE (b:Batch {batch_id: 'B-1', production_date: date('2025-10-03'), quantity: 2, serial_start: 'SN-1', serial_end: 'SN-2', level: 0, status: 'completed'})
CREATE (b)-[:CONSUMED {quantity: 10.0, unit: 'kg'}]->(l1), (b)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(l2)
CREATE (b)-[:PRODUCED]->(:Serial {serial_number: 'SN-1', status: 'ok'})
CREATE (b)-[:PRODUCED]->(:Serial {serial_number: 'SN-2', status: 'ok'})

// name: fsma
// FSMA 204 export (issue 13 §4). LOT-F1 (Fibre Mill SUP-F1, DE; 100 kg merino yarn, received
// 2026-04-01) and LOT-F2 (Dye Works SUP-F2, no country; 30 kg, 2026-04-02). B-F1 (2026-04-05, 10
// pieces, on machine M-01 of line L1) consumed 40 kg of LOT-F1 and 10 kg of LOT-F2, for ORD-F1
// (Globex, shipped 2026-04-20 by its status change); B-F2 (2026-04-06, 5) consumed 20 kg of
// LOT-F1, for ORD-F2 (Initech, its 'shipped' stage completed 2026-04-21); B-F3 (2026-04-08, 3, a
// level-1 batch) consumed 3 of B-F2, for ORD-F3 (Globex, at quality_check: not shipped); B-F4
// (2026-04-07, 2) consumed 5 kg of LOT-F2 only, for ORD-F4 (Globex, shipped 2026-04-22).
// LOT-F9 (SUP-F1, 7 kg, received 2026-03-01) has not been consumed yet.
CREATE (s1:Supplier {id: 'SUP-F1', name: 'Fibre Mill', country: 'DE', status: 'active', certifications: []})
CREATE (s2:Supplier {id: 'SUP-F2', name: 'Dye Works', status: 'active', certifications: []})
CREATE (globex:Customer {id: 'CUST-001', name: 'Globex', country: 'US'})
CREATE (initech:Customer {id: 'CUST-002', name: 'Initech', country: 'US'})
CREATE (y:Material {id: 'MAT-Y', name: 'Merino yarn', unit: 'kg'})
CREATE (s1)-[:SUPPLIED]->(l1:MaterialLot {lot_number: 'LOT-F1', quantity: 100.0, unit: 'kg', received_date: date('2026-04-01'), inspection_result: 'passed', quarantine_status: 'released'})-[:OF_MATERIAL]->(y)
CREATE (s2)-[:SUPPLIED]->(l2:MaterialLot {lot_number: 'LOT-F2', quantity: 30.0, unit: 'kg', received_date: date('2026-04-02'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (s1)-[:SUPPLIED]->(:MaterialLot {lot_number: 'LOT-F9', quantity: 7.0, unit: 'kg', received_date: date('2026-03-01'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (m:Machine {id: 'M-01', name: 'Knitter 1', type: 'knitting', line: 'L1'})
CREATE (b1:Batch {batch_id: 'B-F1', production_date: date('2026-04-05'), quantity: 10, level: 0, status: 'completed'})-[:RUN_ON]->(m)
CREATE (b2:Batch {batch_id: 'B-F2', production_date: date('2026-04-06'), quantity: 5, level: 0, status: 'completed'})
CREATE (b3:Batch {batch_id: 'B-F3', production_date: date('2026-04-08'), quantity: 3, level: 1, status: 'completed'})
CREATE (b4:Batch {batch_id: 'B-F4', production_date: date('2026-04-07'), quantity: 2, level: 0, status: 'completed'})
CREATE (b1)-[:CONSUMED {quantity: 40.0, unit: 'kg'}]->(l1)
CREATE (b1)-[:CONSUMED {quantity: 10.0, unit: 'kg'}]->(l2)
CREATE (b2)-[:CONSUMED {quantity: 20.0, unit: 'kg'}]->(l1)
CREATE (b3)-[:CONSUMED {quantity: 3.0}]->(b2)
CREATE (b4)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(l2)
CREATE (globex)-[:PLACED]->(o1:Order {order_number: 'ORD-F1', part_number: 'PN-1', product_type: 'sweater', quantity: 10, status: 'completed', workflow_status: 'shipped'})<-[:FOR_ORDER]-(b1)
CREATE (o1)-[:STATUS_CHANGED]->(:OrderStatusChange {id: 'ORD-F1/7', from_status: 'quality_check', to_status: 'shipped', changed_at: datetime('2026-04-20T09:30:00Z')})
CREATE (initech)-[:PLACED]->(o2:Order {order_number: 'ORD-F2', part_number: 'PN-2', quantity: 5, status: 'completed'})<-[:FOR_ORDER]-(b2)
CREATE (o2)-[:HAS_STAGE]->(:ProductionStage {id: 'ORD-F2/8', sequence: 8, name: 'shipped', status: 'completed', completion_percentage: 100, completed_at: datetime('2026-04-21T15:00:00Z'), photo_urls: []})
CREATE (globex)-[:PLACED]->(:Order {order_number: 'ORD-F3', part_number: 'PN-1', product_type: 'sweater', quantity: 3, status: 'in_production', workflow_status: 'quality_check'})<-[:FOR_ORDER]-(b3)
CREATE (globex)-[:PLACED]->(o4:Order {order_number: 'ORD-F4', part_number: 'PN-4', product_type: 'scarf', quantity: 2, status: 'completed', workflow_status: 'delivered'})<-[:FOR_ORDER]-(b4)
CREATE (o4)-[:STATUS_CHANGED]->(:OrderStatusChange {id: 'ORD-F4/7', from_status: 'quality_check', to_status: 'shipped', changed_at: datetime('2026-04-22T08:00:00Z')})

// name: api_entities
// Every entity of docs/model.md once or twice: two suppliers, three lots, a sub-assembly batch
// (B-SUB, from LOT-1) consumed by B-1 (with LOT-3) for ORD-1 of Globex; B-2 (from LOT-2) for
// ORD-2 of Initech; QI-1 (high, material root cause, full follow-up) in B-1, QI-2 (low) in B-2.
CREATE (s1:Supplier {id: 'SUP-001', name: 'Acme Metals', country: 'DE', status: 'active', certifications: ['ISO 9001']})
CREATE (s2:Supplier {id: 'SUP-002', name: 'Bolt Co', country: 'PL', status: 'probation', certifications: []})
CREATE (m1:Material {id: 'MAT-001', name: 'Steel sheet', category: 'metal', unit: 'kg', requirements: ['RoHS']})
CREATE (m2:Material {id: 'MAT-002', name: 'Bolt M6', category: 'fastener', unit: 'pcs', requirements: []})
CREATE (m1)-[:PREFERRED_SUPPLIER {rank: 1}]->(s1), (m2)-[:PREFERRED_SUPPLIER {rank: 1}]->(s2)
CREATE (l1:MaterialLot {lot_number: 'LOT-1', quantity: 100.0, unit: 'kg', received_date: date('2025-10-01'), inspection_result: 'passed', quarantine_status: 'quarantined'})
CREATE (l2:MaterialLot {lot_number: 'LOT-2', quantity: 50.0, unit: 'kg', received_date: date('2025-10-02'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (l3:MaterialLot {lot_number: 'LOT-3', quantity: 1000.0, unit: 'pcs', received_date: date('2025-10-03'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (s1)-[:SUPPLIED {promised_at: date('2025-09-30'), delivered_at: date('2025-10-01'), quantity: 100.0}]->(l1)
CREATE (s1)-[:SUPPLIED {promised_at: date('2025-10-02'), delivered_at: date('2025-10-02'), quantity: 50.0}]->(l2)
CREATE (s2)-[:SUPPLIED {promised_at: date('2025-10-05'), delivered_at: date('2025-10-03'), quantity: 1000.0}]->(l3)
CREATE (l1)-[:OF_MATERIAL]->(m1), (l2)-[:OF_MATERIAL]->(m1), (l3)-[:OF_MATERIAL]->(m2)
CREATE (c1:Customer {id: 'CUST-001', name: 'Globex', country: 'US'})
CREATE (c2:Customer {id: 'CUST-002', name: 'Initech', country: 'US'})
CREATE (o1:Order {order_number: 'ORD-1', part_number: 'PN-100', product_type: 'bracket', quantity: 100, due_date: date('2025-11-01'), created_at: datetime('2025-09-20T08:00:00Z'), status: 'in_production', workflow_status: 'in_production', production_status: 'in_progress', current_stage: 2, buyer_price: 1000.0, supplier_cost: 600.0})
CREATE (o2:Order {order_number: 'ORD-2', part_number: 'PN-200', product_type: 'plate', quantity: 50, due_date: date('2025-10-25'), created_at: datetime('2025-09-25T08:00:00Z'), status: 'completed', workflow_status: 'delivered', production_status: 'completed', buyer_price: 500.0, supplier_cost: 300.0})
CREATE (c1)-[:PLACED]->(o1), (c2)-[:PLACED]->(o2)
CREATE (o1)-[:ASSIGNED_TO {assigned_at: datetime('2025-09-21T08:00:00Z'), assigned_by: 'U-001'}]->(s1)
CREATE (o1)-[:HAS_STAGE]->(st1:ProductionStage {id: 'ORD-1/1', sequence: 1, name: 'yarn_received', status: 'completed', completion_percentage: 100, photo_urls: []})
CREATE (o1)-[:HAS_STAGE]->(st2:ProductionStage {id: 'ORD-1/2', sequence: 2, name: 'knitting', status: 'in_progress', completion_percentage: 40, photo_urls: ['https://x/1.jpg']})
CREATE (o1)-[:HAS_QC_CHECK]->(qc:QCCheck {id: 'QC-1', result: 'fail', aql_level: '2.5', sample_size: 20, defects_found: 3, photo_urls: [], checked_at: datetime('2025-10-09T10:00:00Z')})-[:AT_STAGE]->(st2)
CREATE (u:User {id: 'U-001', email: 'ann@example.com', name: 'Ann', role: 'admin'})
CREATE (o1)-[:STATUS_CHANGED]->(:OrderStatusChange {id: 'ORD-1/1', from_status: 'confirmed', to_status: 'in_production', changed_at: datetime('2025-09-22T08:00:00Z')})-[:CHANGED_BY]->(u)
CREATE (mc:Machine {id: 'M-01', name: 'Press 1', type: 'press', line: 'L1'})
CREATE (sh:Shift {id: 'A', name: 'Morning', start_time: '06:00', end_time: '14:00'})
CREATE (op:Operator {id: 'OP-001', name: 'Bob'})
CREATE (bs:Batch {batch_id: 'B-SUB', production_date: date('2025-10-04'), quantity: 100, level: 0, status: 'completed'})
CREATE (b1:Batch {batch_id: 'B-1', production_date: date('2025-10-05'), quantity: 100, serial_start: 'SN-1', serial_end: 'SN-2', level: 1, status: 'completed'})
CREATE (b2:Batch {batch_id: 'B-2', production_date: date('2025-10-06'), quantity: 50, serial_start: 'SN-3', serial_end: 'SN-3', level: 0, status: 'completed'})
CREATE (bs)-[:CONSUMED {quantity: 10.0, unit: 'kg'}]->(l1)
CREATE (b1)-[:CONSUMED {quantity: 100.0, unit: 'pcs'}]->(bs), (b1)-[:CONSUMED {quantity: 400.0, unit: 'pcs'}]->(l3)
CREATE (b2)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(l2)
CREATE (b1)-[:FOR_ORDER]->(o1), (b2)-[:FOR_ORDER]->(o2)
CREATE (b1)-[:RUN_ON]->(mc), (b1)-[:OPERATED_BY]->(op), (b1)-[:DURING_SHIFT]->(sh)
CREATE (b1)-[:PRODUCED]->(sn1:Serial {serial_number: 'SN-1', status: 'defective'})
CREATE (b1)-[:PRODUCED]->(sn2:Serial {serial_number: 'SN-2', status: 'ok'})
CREATE (b2)-[:PRODUCED]->(sn3:Serial {serial_number: 'SN-3', status: 'ok'})
CREATE (q1:QualityIssue {issue_id: 'QI-1', type: 'crack', description: 'Crack in weld', parts_affected: 5, severity: 'high', status: 'investigating', detected_at: datetime('2025-10-10T09:00:00Z'), detected_by: 'QC', detection_point: 'final_qc', scrap_cost: 300.0, rework_cost: 100.0, downtime_cost: 50.0, investigation_cost: 50.0, total_cost: 500.0, charged_to_supplier: true})
CREATE (q2:QualityIssue {issue_id: 'QI-2', type: 'scratch', description: 'Scratch', parts_affected: 2, severity: 'low', status: 'open', detected_at: datetime('2025-10-20T09:00:00Z'), detected_by: 'QC', detection_point: 'packing', total_cost: 100.0, charged_to_supplier: false})
CREATE (q1)-[:FOUND_IN]->(b1), (q1)-[:AFFECTS]->(sn1), (q2)-[:FOUND_IN]->(b2), (q2)-[:AFFECTS]->(sn3)
CREATE (q1)-[:HAS_INVESTIGATION]->(inv:Investigation {id: 'QI-1/INV', status: 'in_progress', root_cause_category: 'material', root_cause_details: 'Inclusions in steel', root_cause_confirmed: false, investigator: 'Eve', opened_at: datetime('2025-10-11T09:00:00Z')})
CREATE (inv)-[:SUSPECTS]->(l1)
CREATE (inv)-[:VERIFIED_BY]->(:VerificationTest {id: 'QI-1/T1', name: 'Spectro', method: 'OES', result: 'fail', performed_at: datetime('2025-10-12T09:00:00Z')})
CREATE (q1)-[:HAS_ACTION]->(:Action {id: 'QI-1/CA1', kind: 'corrective', description: 'Quarantine LOT-1', owner: 'Eve', due_date: date('2025-10-15'), status: 'done'})
CREATE (q1)-[:HAS_ACTION]->(:Action {id: 'QI-1/PA1', kind: 'preventive', description: 'Incoming inspection', owner: 'Eve', due_date: date('2025-11-15'), status: 'open'})
CREATE (q1)-[:NOTIFIED]->(:SupplierNotification {id: 'QI-1/N', notified_at: date('2025-10-12'), supplier_response: 'Investigating', supplier_capa_number: 'CAPA-9'})-[:TO_SUPPLIER]->(s1)

// name: api_orders_10
// 10 orders, each with 2 batches consuming 2 lots of 2 suppliers (N+1 round-trip test).
UNWIND range(1, 10) AS i
CREATE (c:Customer {id: 'C-' + i, name: 'Customer ' + i})-[:PLACED]->(o:Order {order_number: 'O-' + i, created_at: datetime('2025-01-01T00:00:00Z') + duration({days: i}), status: 'pending'})
WITH i, o
UNWIND range(1, 2) AS j
CREATE (b:Batch {batch_id: 'B-' + i + '-' + j, level: 0})-[:FOR_ORDER]->(o)
WITH i, j, b
UNWIND range(1, 2) AS k
CREATE (b)-[:CONSUMED {quantity: 1.0}]->(l:MaterialLot {lot_number: 'L-' + i + '-' + j + '-' + k})
CREATE (:Supplier {id: 'S-' + i + '-' + j + '-' + k, name: 'Supplier'})-[:SUPPLIED]->(l)

// name: api_orders_50
// 50 orders, each with 2 batches consuming 2 lots of 2 suppliers (N+1 round-trip test).
UNWIND range(1, 50) AS i
CREATE (c:Customer {id: 'C-' + i, name: 'Customer ' + i})-[:PLACED]->(o:Order {order_number: 'O-' + i, created_at: datetime('2025-01-01T00:00:00Z') + duration({days: i}), status: 'pending'})
WITH i, o
UNWIND range(1, 2) AS j
CREATE (b:Batch {batch_id: 'B-' + i + '-' + j, level: 0})-[:FOR_ORDER]->(o)
WITH i, j, b
UNWIND range(1, 2) AS k
CREATE (b)-[:CONSUMED {quantity: 1.0}]->(l:MaterialLot {lot_number: 'L-' + i + '-' + j + '-' + k})
CREATE (:Supplier {id: 'S-' + i + '-' + j + '-' + k, name: 'Supplier'})-[:SUPPLIED]->(l)

// name: sleep_ten_seconds
// A statement that outlives any short transaction timeout (QUERY_TIMEOUT test).
CALL apoc.util.sleep(10000)
RETURN 1 AS done

// name: lot_with_unreadable_quantity
// A lot typed in by hand (say in Browser) whose quantity is not a number: reading it is a bug in
// the data, not in the request, so the API answers INTERNAL_ERROR without the details.
CREATE (:MaterialLot {lot_number: 'LOT-BAD', quantity: 'about a hundred', unit: 'kg'})

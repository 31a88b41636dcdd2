// name: two_tenants
// Two customers and two suppliers whose genealogies share a lot and a sub-assembly batch
// (tests/graph/test_isolation.py). Every key and name is unique as a substring, so "a key of the
// other tenant appears in the answer" is a plain text search.
//   SUP-A (Alpha Steel) supplied LOT-A1 and LOT-AS; SUP-B (Beta Bolts) supplied LOT-B1 and LOT-B2.
//   BAT-SHARED consumed LOT-AS and LOT-B1; BAT-A (ORD-A of CUST-A, assigned to SUP-A) consumed
//   BAT-SHARED and LOT-A1; BAT-B (ORD-B of CUST-B, assigned to SUP-B) consumed BAT-SHARED and LOT-B2.
//   Serials SN-A1 (of BAT-A), SN-B1 (of BAT-B). Issues QI-A (BAT-A), QI-B (BAT-B), QI-SHARED
//   (BAT-SHARED), each with an investigation suspecting a lot and a supplier notification.
//   Each supplier's inspection state of its tenant's part: SUP-A / PN-A, SUP-B / PN-B.
CREATE (sa:Supplier {id: 'SUP-A', name: 'Alpha Steel', country: 'DE', status: 'active', contact_name: 'Ada', contact_email: 'ada@alpha.test', phone: '+49 1', certifications: []})
CREATE (sb:Supplier {id: 'SUP-B', name: 'Beta Bolts', country: 'PL', status: 'active', contact_name: 'Bea', contact_email: 'bea@beta.test', phone: '+48 2', certifications: []})
CREATE (m:Material {id: 'MAT-X', name: 'Steel', category: 'metal', unit: 'kg', requirements: []})
CREATE (m)-[:PREFERRED_SUPPLIER {rank: 1}]->(sa), (m)-[:PREFERRED_SUPPLIER {rank: 2}]->(sb)
CREATE (la1:MaterialLot {lot_number: 'LOT-A1', quantity: 10.0, unit: 'kg', received_date: date('2025-10-01'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (las:MaterialLot {lot_number: 'LOT-AS', quantity: 10.0, unit: 'kg', received_date: date('2025-10-01'), inspection_result: 'passed', quarantine_status: 'quarantined'})
CREATE (lb1:MaterialLot {lot_number: 'LOT-B1', quantity: 10.0, unit: 'kg', received_date: date('2025-10-02'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (lb2:MaterialLot {lot_number: 'LOT-B2', quantity: 10.0, unit: 'kg', received_date: date('2025-10-02'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (sa)-[:SUPPLIED {promised_at: date('2025-10-01'), delivered_at: date('2025-10-01'), quantity: 10.0}]->(la1)
CREATE (sa)-[:SUPPLIED {promised_at: date('2025-10-01'), delivered_at: date('2025-10-01'), quantity: 10.0}]->(las)
CREATE (sb)-[:SUPPLIED {promised_at: date('2025-10-02'), delivered_at: date('2025-10-03'), quantity: 10.0}]->(lb1)
CREATE (sb)-[:SUPPLIED {promised_at: date('2025-10-02'), delivered_at: date('2025-10-03'), quantity: 10.0}]->(lb2)
CREATE (la1)-[:OF_MATERIAL]->(m), (las)-[:OF_MATERIAL]->(m), (lb1)-[:OF_MATERIAL]->(m), (lb2)-[:OF_MATERIAL]->(m)
CREATE (ca:Customer {id: 'CUST-A', name: 'Acme Cars', country: 'US'})
CREATE (cb:Customer {id: 'CUST-B', name: 'Bravo Trucks', country: 'US'})
CREATE (oa:Order {order_number: 'ORD-A', part_number: 'PN-A', product_type: 'axle', quantity: 1, due_date: date('2025-11-01'), created_at: datetime('2025-09-20T08:00:00Z'), status: 'in_production', workflow_status: 'in_production', production_status: 'in_progress', current_stage: 2, buyer_price: 1111.0, supplier_cost: 777.0})
CREATE (ob:Order {order_number: 'ORD-B', part_number: 'PN-B', product_type: 'beam', quantity: 1, due_date: date('2025-11-02'), created_at: datetime('2025-09-21T08:00:00Z'), status: 'in_production', workflow_status: 'in_production', production_status: 'in_progress', current_stage: 1, buyer_price: 2222.0, supplier_cost: 888.0})
CREATE (ca)-[:PLACED]->(oa), (cb)-[:PLACED]->(ob)
CREATE (oa)-[:ASSIGNED_TO {assigned_at: datetime('2025-09-21T08:00:00Z')}]->(sa)
CREATE (ob)-[:ASSIGNED_TO {assigned_at: datetime('2025-09-22T08:00:00Z')}]->(sb)
CREATE (sa)-[:HAS_INSPECTION_STATE]->(:InspectionState {id: 'SUP-A/PN-A', supplier_id: 'SUP-A', part_number: 'PN-A', severity: 'normal', switching_score: 2, normal_recent: 'A', tightened_accepted_run: 0, tightened_not_accepted: 0, lots_inspected: 1})
CREATE (sb)-[:HAS_INSPECTION_STATE]->(:InspectionState {id: 'SUP-B/PN-B', supplier_id: 'SUP-B', part_number: 'PN-B', severity: 'tightened', switching_score: 0, normal_recent: '', tightened_accepted_run: 1, tightened_not_accepted: 0, lots_inspected: 3})
CREATE (oa)-[:HAS_STAGE]->(:ProductionStage {id: 'ORD-A/1', sequence: 1, name: 'yarn_received', status: 'completed', completion_percentage: 100, photo_urls: []})
CREATE (ob)-[:HAS_STAGE]->(stb:ProductionStage {id: 'ORD-B/1', sequence: 1, name: 'yarn_received', status: 'in_progress', completion_percentage: 50, photo_urls: []})
CREATE (ob)-[:HAS_QC_CHECK]->(:QCCheck {id: 'QC-B', result: 'pass', aql_level: '2.5', sample_size: 20, defects_found: 0, photo_urls: [], checked_at: datetime('2025-10-09T10:00:00Z')})-[:AT_STAGE]->(stb)
CREATE (u:User {id: 'U-B', email: 'buyer@bravo.test', name: 'Bo', role: 'buyer'})
CREATE (ob)-[:STATUS_CHANGED]->(:OrderStatusChange {id: 'ORD-B/1', from_status: 'confirmed', to_status: 'in_production', changed_at: datetime('2025-09-22T08:00:00Z')})-[:CHANGED_BY]->(u)
CREATE (mc:Machine {id: 'M-1', name: 'Press', type: 'press', line: 'L1'})
CREATE (sh:Shift {id: 'S1', name: 'Morning', start_time: '06:00', end_time: '14:00'})
CREATE (op:Operator {id: 'OP-1', name: 'Olga'})
CREATE (bs:Batch {batch_id: 'BAT-SHARED', production_date: date('2025-10-04'), quantity: 2, level: 0, status: 'completed'})
CREATE (ba:Batch {batch_id: 'BAT-A', production_date: date('2025-10-05'), quantity: 1, serial_start: 'SN-A1', serial_end: 'SN-A1', level: 1, status: 'completed'})
CREATE (bb:Batch {batch_id: 'BAT-B', production_date: date('2025-10-06'), quantity: 1, serial_start: 'SN-B1', serial_end: 'SN-B1', level: 1, status: 'completed'})
CREATE (bs)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(las), (bs)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(lb1)
CREATE (ba)-[:CONSUMED {quantity: 1.0, unit: 'pcs'}]->(bs), (ba)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(la1)
CREATE (bb)-[:CONSUMED {quantity: 1.0, unit: 'pcs'}]->(bs), (bb)-[:CONSUMED {quantity: 5.0, unit: 'kg'}]->(lb2)
CREATE (ba)-[:FOR_ORDER]->(oa), (bb)-[:FOR_ORDER]->(ob)
CREATE (bs)-[:RUN_ON]->(mc), (ba)-[:RUN_ON]->(mc), (bb)-[:RUN_ON]->(mc)
CREATE (ba)-[:OPERATED_BY]->(op), (ba)-[:DURING_SHIFT]->(sh)
CREATE (ba)-[:PRODUCED]->(sna:Serial {serial_number: 'SN-A1', status: 'defective'})
CREATE (bb)-[:PRODUCED]->(snb:Serial {serial_number: 'SN-B1', status: 'defective'})
WITH *
UNWIND [['QI-A', ba, sna, la1, sa], ['QI-B', bb, snb, lb2, sb], ['QI-SHARED', bs, null, lb1, sb]] AS spec
WITH spec[0] AS id, spec[1] AS batch, spec[2] AS serial, spec[3] AS suspect, spec[4] AS supplier
CREATE (q:QualityIssue {issue_id: id, type: 'crack', description: 'Crack', parts_affected: 1, severity: 'high', status: 'investigating', detected_at: datetime('2025-10-10T09:00:00Z'), detected_by: 'QC', detection_point: 'final_qc', scrap_cost: 4001.25, rework_cost: 300.25, downtime_cost: 20.0, investigation_cost: 0.0, total_cost: 4321.5, charged_to_supplier: false})-[:FOUND_IN]->(batch)
FOREACH (s IN CASE WHEN serial IS NULL THEN [] ELSE [serial] END | CREATE (q)-[:AFFECTS]->(s))
CREATE (q)-[:HAS_INVESTIGATION]->(inv:Investigation {id: id + '/INV', status: 'in_progress', root_cause_category: 'material', root_cause_details: 'x', root_cause_confirmed: false, investigator: 'Eve', opened_at: datetime('2025-10-11T09:00:00Z')})
CREATE (inv)-[:SUSPECTS]->(suspect)
CREATE (q)-[:HAS_ACTION]->(:Action {id: id + '/CA', kind: 'corrective', description: 'Hold', owner: 'Eve', due_date: date('2025-10-15'), status: 'open'})
CREATE (q)-[:NOTIFIED]->(:SupplierNotification {id: id + '/N', notified_at: date('2025-10-12'), supplier_response: 'ok', supplier_capa_number: 'CAPA-' + id})-[:TO_SUPPLIER]->(supplier)

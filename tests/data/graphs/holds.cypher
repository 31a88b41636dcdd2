// name: holds
// Genealogy for quarantine and holds (issue 13). Lots LOT-A (SUP-001, 100 kg), LOT-B (SUP-002,
// 50 kg), LOT-C (SUP-001, 40 kg), LOT-H (SUP-001, loaded on_hold), LOT-R (SUP-001, rejected).
// B-1 consumed LOT-A and LOT-B (for ORD-1, serials SN-1 and SN-2); B-2 consumed LOT-A; B-3 (a
// level-1 batch) consumed B-2 (for ORD-3, serial SN-3); B-4 consumed LOT-C (for ORD-4); B-NEW
// (for ORD-5, serial SN-5) has consumed nothing yet. ORD-1, ORD-3, ORD-5 are Globex's (CUST-001),
// ORD-4 Initech's (CUST-002); every order is assigned to SUP-001, at quality_check, with its
// stages before shipping completed: it ships unless a hold stops it. Gina represents Globex; issue
// QI-H1 (open, 120.50) was found in B-1, QI-H2 (closed, 30.00) in B-3.
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
CREATE (:User {id: 'U-G1', name: 'Gina', email: 'gina@globex.example', role: 'buyer'})-[:REPRESENTS]->(c1)
CREATE (:QualityIssue {issue_id: 'QI-H1', type: 'dimensional', severity: 'high', status: 'open', total_cost: 120.5, detected_at: datetime('2026-02-10T08:00:00Z')})-[:FOUND_IN]->(b1)
CREATE (:QualityIssue {issue_id: 'QI-H2', type: 'visual', severity: 'low', status: 'closed', total_cost: 30.0, detected_at: datetime('2026-02-11T08:00:00Z')})-[:FOUND_IN]->(b3)
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

// name: mass_balance
// Lots with known balances (kg), of SUP-M1 unless said: LOT-M1 received 100, consumed 60 (B-M1
// 40, B-M2 20) and scrapped 5 + 3: 32 on hand, balanced. LOT-M2 received 100, consumed 104
// (B-M1): 4 out beyond what came in, -4 %, within 5 %. LOT-M3 received 50, consumed 50 (B-M2)
// and scrapped 5: -5 beyond, -10 %, flagged. LOT-M4 received 0 (a quantity never loaded) and
// consumed 1 (B-M2): flagged, no percentage. LOT-M5 received 20, nothing drawn. LOT-O of SUP-M2.
// LOT-M1, LOT-M2 and LOT-M3 are yarn (MAT-Y), LOT-M4 zips (MAT-Z), LOT-M5 of no material.
CREATE (s:Supplier {id: 'SUP-M1', name: 'Mill One', status: 'active', certifications: []})
CREATE (s2:Supplier {id: 'SUP-M2', name: 'Mill Two', status: 'active', certifications: []})
CREATE (s)-[:SUPPLIED]->(m1:MaterialLot {lot_number: 'LOT-M1', quantity: 100.0, unit: 'kg', received_date: date('2026-03-01'), quarantine_status: 'released'})
CREATE (s)-[:SUPPLIED]->(m2:MaterialLot {lot_number: 'LOT-M2', quantity: 100.0, unit: 'kg', received_date: date('2026-03-02'), quarantine_status: 'released'})
CREATE (s)-[:SUPPLIED]->(m3:MaterialLot {lot_number: 'LOT-M3', quantity: 50.0, unit: 'kg', received_date: date('2026-03-03'), quarantine_status: 'released'})
CREATE (s)-[:SUPPLIED]->(m4:MaterialLot {lot_number: 'LOT-M4', unit: 'kg', received_date: date('2026-03-04'), quarantine_status: 'released'})
CREATE (s)-[:SUPPLIED]->(:MaterialLot {lot_number: 'LOT-M5', quantity: 20.0, unit: 'kg', received_date: date('2026-03-05'), quarantine_status: 'released'})
CREATE (s2)-[:SUPPLIED]->(:MaterialLot {lot_number: 'LOT-O', quantity: 10.0, unit: 'kg', received_date: date('2026-03-06'), quarantine_status: 'released'})
CREATE (b1:Batch {batch_id: 'B-M1', production_date: date('2026-03-10'), quantity: 10, level: 0, status: 'completed'})
CREATE (b2:Batch {batch_id: 'B-M2', production_date: date('2026-03-11'), quantity: 10, level: 0, status: 'completed'})
CREATE (b1)-[:CONSUMED {quantity: 40.0, unit: 'kg'}]->(m1)
CREATE (b2)-[:CONSUMED {quantity: 20.0, unit: 'kg'}]->(m1)
CREATE (b1)-[:CONSUMED {quantity: 104.0, unit: 'kg'}]->(m2)
CREATE (b2)-[:CONSUMED {quantity: 50.0, unit: 'kg'}]->(m3)
CREATE (b2)-[:CONSUMED {quantity: 1.0, unit: 'kg'}]->(m4)
CREATE (y:Material {id: 'MAT-Y', name: 'Yarn', unit: 'kg'}), (z:Material {id: 'MAT-Z', name: 'Zips', unit: 'kg'})
CREATE (m1)-[:OF_MATERIAL]->(y), (m2)-[:OF_MATERIAL]->(y), (m3)-[:OF_MATERIAL]->(y), (m4)-[:OF_MATERIAL]->(z)
CREATE (m1)-[:HAS_SCRAP]->(:Scrap {id: 'LOT-M1/SCRAP-1', quantity: 5.0, unit: 'kg', reason: 'spill', scrapped_at: datetime('2026-03-12T08:00:00Z'), scrapped_by: 'U-P'})
CREATE (m1)-[:HAS_SCRAP]->(:Scrap {id: 'LOT-M1/SCRAP-2', quantity: 3.0, unit: 'kg', reason: 'contaminated', scrapped_at: datetime('2026-03-13T08:00:00Z'), scrapped_by: 'U-P'})
CREATE (m3)-[:HAS_SCRAP]->(:Scrap {id: 'LOT-M3/SCRAP-1', quantity: 5.0, unit: 'kg', reason: 'wet', scrapped_at: datetime('2026-03-12T08:00:00Z'), scrapped_by: 'U-P'})

// name: holds_loaded_shipped
// ORD-3 as loaded from a system without the workflow: no workflow status, status completed.
MATCH (o:Order {order_number: 'ORD-3'})
SET o.status = 'completed'
REMOVE o.workflow_status

// name: mock_recall
// For the mock recall report (issue 13 §2), over holds: LOT-A is of MAT-W and lost 5 kg to scrap
// (received 100, consumed 30, scrapped 5: 65 on hand, balanced). A hostile lot (SUP-001, 10 kg)
// went 12 kg into B-X (-2 kg, -20 %: flagged), made for ORD-X of a customer with a hostile name
// and contact, serials SN-X-0009 and SN-X-0010.
MATCH (s1:Supplier {id: 'SUP-001'}), (a:MaterialLot {lot_number: 'LOT-A'})
CREATE (a)-[:OF_MATERIAL]->(w:Material {id: 'MAT-W', name: 'Steel wire', unit: 'kg'})
CREATE (a)-[:HAS_SCRAP]->(:Scrap {id: 'LOT-A/SCRAP-1', quantity: 5.0, unit: 'kg', reason: 'rust', scrapped_at: datetime('2026-02-06T08:00:00Z'), scrapped_by: 'U-P'})
CREATE (s1)-[:SUPPLIED]->(x:MaterialLot {lot_number: '<script>alert("lot")</script>&LOT', quantity: 10.0, unit: 'kg', received_date: date('2026-01-10'), inspection_result: 'passed', quarantine_status: 'released'})
CREATE (x)-[:OF_MATERIAL]->(w)
CREATE (bx:Batch {batch_id: 'B-X', production_date: date('2026-02-07'), quantity: 2, level: 0, status: 'completed'})
CREATE (bx)-[:CONSUMED {quantity: 12.0, unit: 'kg'}]->(x)
CREATE (bx)-[:PRODUCED]->(:Serial {serial_number: 'SN-X-0009', status: 'ok'})
CREATE (bx)-[:PRODUCED]->(:Serial {serial_number: 'SN-X-0010', status: 'ok'})
CREATE (cx:Customer {id: 'CUST-X', name: '<img src=x onerror=alert(1)>', country: 'US'})
CREATE (:User {id: 'U-X', name: '</td><script>1</script>', email: '"x"@evil.example', role: 'buyer'})-[:REPRESENTS]->(cx)
CREATE (cx)-[:PLACED]->(ox:Order {order_number: 'ORD-X', part_number: 'PN-<b>', quantity: 2, due_date: date('2026-12-01'), created_at: datetime('2026-01-02T08:00:00Z'), status: 'in_production', workflow_status: 'in_production', version: 1})
CREATE (ox)-[:ASSIGNED_TO {assigned_at: datetime('2026-01-03T08:00:00Z'), assigned_by: 'U-001'}]->(s1)
CREATE (bx)-[:FOR_ORDER]->(ox)

// name: mock_recall_unnamed
// Loaded data without names: SUP-001 and MAT-W have none.
MATCH (s:Supplier {id: 'SUP-001'}), (m:Material {id: 'MAT-W'})
REMOVE s.name, m.name

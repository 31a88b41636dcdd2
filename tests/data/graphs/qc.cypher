// name: qc_orders
// Orders for the QC check tests, each with the eight stages: ORD-Q1 .. ORD-Q8 of Globex
// (CUST-001), part PN-100, assigned to SUP-001 and at quality_check; ORD-P1 in production (also
// SUP-001 / PN-100); ORD-R1 of SUP-001 for another part (PN-200); ORD-X1 of Initech (CUST-002)
// at SUP-002, part PN-100; ORD-NEW, a quote request without supplier or stages.
CREATE (s1:Supplier {id: 'SUP-001', name: 'Acme Metals', country: 'DE', status: 'active', certifications: []})
CREATE (s2:Supplier {id: 'SUP-002', name: 'Bolt Co', country: 'PL', status: 'active', certifications: []})
CREATE (c1:Customer {id: 'CUST-001', name: 'Globex', country: 'US'})
CREATE (c2:Customer {id: 'CUST-002', name: 'Initech', country: 'US'})
CREATE (c1)-[:PLACED]->(:Order {order_number: 'ORD-NEW', part_number: 'PN-100', quantity: 10, due_date: date('2026-12-01'), created_at: datetime('2025-09-20T08:00:00Z'), status: 'pending', workflow_status: 'quote_requested', production_status: 'not_started'})
WITH s1, s2, c1, c2
UNWIND [
  ['ORD-Q1', 'quality_check', 'PN-100', 1], ['ORD-Q2', 'quality_check', 'PN-100', 1],
  ['ORD-Q3', 'quality_check', 'PN-100', 1], ['ORD-Q4', 'quality_check', 'PN-100', 1],
  ['ORD-Q5', 'quality_check', 'PN-100', 1], ['ORD-Q6', 'quality_check', 'PN-100', 1],
  ['ORD-Q7', 'quality_check', 'PN-100', 1], ['ORD-Q8', 'quality_check', 'PN-100', 1],
  ['ORD-P1', 'in_production', 'PN-100', 1], ['ORD-R1', 'in_production', 'PN-200', 1],
  ['ORD-X1', 'quality_check', 'PN-100', 2]
] AS row
WITH row, CASE row[3] WHEN 1 THEN c1 ELSE c2 END AS c, CASE row[3] WHEN 1 THEN s1 ELSE s2 END AS s
CREATE (c)-[:PLACED]->(o:Order {order_number: row[0], part_number: row[2], quantity: 1200, due_date: date('2026-12-01'), created_at: datetime('2025-09-20T08:00:00Z'), status: 'in_production', workflow_status: row[1], production_status: 'in_progress', version: 0})
CREATE (o)-[:ASSIGNED_TO {assigned_at: datetime('2025-09-21T08:00:00Z'), assigned_by: 'U-001'}]->(s)
WITH o
UNWIND range(1, 8) AS i
CREATE (o)-[:HAS_STAGE]->(:ProductionStage {id: o.order_number + '/' + i, sequence: i, name: ['yarn_received', 'knitting', 'linking', 'washing_finishing', 'final_qc', 'packing', 'ready_to_ship', 'shipped'][i - 1], status: 'pending', completion_percentage: 0, photo_urls: []})

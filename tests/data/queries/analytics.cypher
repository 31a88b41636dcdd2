// Generated genealogies for the root-cause ranking tests (tests/schema/test_analytics.py).

// name: plant_genealogy
// Write suppliers and their lots ($lots: {lot, supplier, date}), batches with machine, operator
// and shift ($batches: {id, date, level, quantity, machine, operator, shift}), what each batch
// consumed ($links: {batch, input}, a lot number or a batch id) and the serials batches made
// ($serials: {batch, serial, status}).
// mode: write
// params: $lots, $batches, $links, $serials
UNWIND $lots AS row
MERGE (s:Supplier {id: row.supplier})
  ON CREATE SET s.name = row.supplier, s.status = 'active', s.certifications = []
CREATE (l:MaterialLot {lot_number: row.lot, received_date: date(row.date)})
CREATE (s)-[:SUPPLIED {promised_at: date(row.date), delivered_at: date(row.date)}]->(l)
WITH count(*) AS lots
UNWIND $batches AS row
MERGE (m:Machine {id: row.machine})
MERGE (o:Operator {id: row.operator})
MERGE (h:Shift {id: row.shift})
CREATE (b:Batch {batch_id: row.id, production_date: date(row.date), level: row.level, quantity: row.quantity})
CREATE (b)-[:RUN_ON]->(m), (b)-[:OPERATED_BY]->(o), (b)-[:DURING_SHIFT]->(h)
WITH count(*) AS batches
UNWIND $links AS row
MATCH (b:Batch {batch_id: row.batch})
OPTIONAL MATCH (lot:MaterialLot {lot_number: row.input})
OPTIONAL MATCH (sub:Batch {batch_id: row.input})
WITH b, coalesce(lot, sub) AS input
CREATE (b)-[:CONSUMED]->(input)
WITH count(*) AS links
UNWIND $serials AS row
MATCH (b:Batch {batch_id: row.batch})
CREATE (b)-[:PRODUCED]->(:Serial {serial_number: row.serial, status: row.status})
RETURN count(*) AS serials

// name: plant_issue
// A quality issue found in $batch affecting the serials $serials.
// mode: write
// params: $issue_id, $batch, $serials
MATCH (b:Batch {batch_id: $batch})
CREATE (i:QualityIssue {issue_id: $issue_id, type: 'defect', parts_affected: size($serials), severity: 'high', detected_at: datetime()})-[:FOUND_IN]->(b)
WITH i
UNWIND $serials AS serial
MATCH (s:Serial {serial_number: serial})
CREATE (i)-[:AFFECTS]->(s)

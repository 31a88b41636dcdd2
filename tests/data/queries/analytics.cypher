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

// name: upstream_suppliers_stored_and_walked
// Per batch: the upstream suppliers stored on it, and those a walk of its genealogy finds (the
// tests' own walk, so that a fault in the stored figure's computation does not hide itself);
// whether it is marked as having made serials, and whether it did; its machines and operators
// as stored on it and as its relationships say.
MATCH (b:Batch)
RETURN b.batch_id AS batch, b.upstream_supplier_ids AS stored,
  COLLECT { MATCH (b)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(s:Supplier)
            RETURN DISTINCT s.id AS id ORDER BY id } AS walked,
  coalesce(b.made_serials, false) AS marked,
  b.serial_start IS NOT NULL OR EXISTS { (b)-[:PRODUCED]->(:Serial) } AS made,
  [b.machine_ids, b.operator_ids] AS ran_stored,
  [COLLECT { MATCH (b)-[:RUN_ON]->(m:Machine) RETURN m.id AS id ORDER BY id },
   COLLECT { MATCH (b)-[:OPERATED_BY]->(o:Operator) RETURN o.id AS id ORDER BY id }] AS ran_walked
ORDER BY batch

// name: spoil_upstream_suppliers
// Stored upstream suppliers that are wrong: none on some batches, a stranger on the others; and
// every batch marked as having made serials.
// mode: write
MATCH (b:Batch)
SET b.upstream_supplier_ids = CASE WHEN b.batch_id < 'B-2' THEN null ELSE ['SUP-STRANGER'] END,
  b.made_serials = true
RETURN count(b) AS spoiled

// name: link_shop_floor_batches
// On the shop-floor graph: B-OLD consumed B-1, which consumed B-3, which consumed LOT-BOLT
// (SUP-002); B-2 consumed LOT-OK (SUP-001).
// mode: write
MATCH (old:Batch {batch_id: 'B-OLD'}), (b1:Batch {batch_id: 'B-1'}), (b2:Batch {batch_id: 'B-2'}),
  (b3:Batch {batch_id: 'B-3'}), (bolt:MaterialLot {lot_number: 'LOT-BOLT'}),
  (ok:MaterialLot {lot_number: 'LOT-OK'})
CREATE (old)-[:CONSUMED {quantity: 1.0}]->(b1), (b1)-[:CONSUMED {quantity: 1.0}]->(b3),
  (b3)-[:CONSUMED {quantity: 1.0}]->(bolt), (b2)-[:CONSUMED {quantity: 1.0}]->(ok)
RETURN count(*) AS linked

// name: production_days_stored_and_walked
// The parts produced per day and supplier as the ProductionDay nodes hold them, and as the tests'
// own computation finds them from scratch: the quantity of the batches that made serials (a
// serial range or PRODUCED serials) with a lot of the supplier upstream, by a walk of the
// genealogy (not the lists stored on the batches).
CALL () {
  MATCH (d:ProductionDay)
  UNWIND range(0, size(d.supplier_ids) - 1) AS k
  WITH d.day AS day, d.supplier_ids[k] AS supplier, d.parts[k] AS parts
  ORDER BY day, supplier
  RETURN collect([toString(day), supplier, parts]) AS stored
}
CALL () {
  MATCH (b:Batch)
  WHERE b.serial_start IS NOT NULL OR EXISTS { (b)-[:PRODUCED]->(:Serial) }
  CALL (b) {
    MATCH (b)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(s:Supplier)
    RETURN DISTINCT s.id AS supplier
  }
  WITH b.production_date AS day, supplier, sum(coalesce(b.quantity, 0)) AS parts
  ORDER BY day, supplier
  RETURN collect([toString(day), supplier, parts]) AS walked
}
RETURN stored, walked

// name: issue_keys_stored_and_walked
// Per quality issue: the Pareto keys stored on it, and those the tests' own walk of its
// relationships finds (root cause, suspected lots, their suppliers and those notified, the
// machines and operators of the batches it was found in).
MATCH (i:QualityIssue)
OPTIONAL MATCH (i)-[:HAS_INVESTIGATION]->(v:Investigation)
RETURN i.issue_id AS issue,
  [i.pareto_root_cause, i.pareto_lot_numbers, i.pareto_supplier_ids, i.pareto_machine_ids,
   i.pareto_operator_ids] AS stored,
  [coalesce(v.root_cause_category, 'uninvestigated'),
   COLLECT { MATCH (v)-[:SUSPECTS]->(l:MaterialLot) RETURN DISTINCT l.lot_number AS k ORDER BY k },
   COLLECT { MATCH (s:Supplier)
             WHERE EXISTS { (v)-[:SUSPECTS]->(:MaterialLot)<-[:SUPPLIED]-(s) }
                OR EXISTS { (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(s) }
             RETURN s.id AS k ORDER BY k },
   COLLECT { MATCH (i)-[:FOUND_IN]->(:Batch)-[:RUN_ON]->(m:Machine) RETURN DISTINCT m.id AS k ORDER BY k },
   COLLECT { MATCH (i)-[:FOUND_IN]->(:Batch)-[:OPERATED_BY]->(o:Operator) RETURN DISTINCT o.id AS k ORDER BY k }] AS walked
ORDER BY issue

// name: spoil_issue_keys
// Stored Pareto keys that are wrong: none on some issues, strangers on the others.
// mode: write
MATCH (i:QualityIssue)
SET i.pareto_root_cause = CASE WHEN i.issue_id < 'QI-2' THEN null ELSE 'stranger' END,
  i.pareto_lot_numbers = ['LOT-STRANGER'], i.pareto_supplier_ids = ['SUP-STRANGER'],
  i.pareto_machine_ids = null, i.pareto_operator_ids = ['OP-STRANGER']
RETURN count(i) AS spoiled

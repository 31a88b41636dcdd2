// Receiving and recording production (graph/shop_floor.py): receiveLot and recordBatch. Each runs
// in one write transaction function with its idempotency key claimed (cypher/writes); a new key
// (lot number, batch id) is taken by MERGE on its unique constraint, so a second creator of the
// same key waits for the first to commit and then finds it taken.

// name: lot_references
// What a received lot hangs off: its supplier and material (found, and the material's unit).
// params: $supplier_id, $material_id, $scope
OPTIONAL MATCH (s:Supplier {id: $supplier_id})
WHERE {{scope.Supplier(s)}}
OPTIONAL MATCH (m:Material {id: $material_id})
WHERE {{scope.Material(m)}}
RETURN s IS NOT NULL AS supplier_found, m IS NOT NULL AS material_found, m.unit AS material_unit

// name: receive_lot
// A new lot of a material from a supplier (SUPPLIED with the promised and delivered days and the
// quantity, as the loaders write it; OF_MATERIAL), released, with an event. Nothing is written
// (taken true) when the lot number exists.
// mode: write
// params: $lot, $supplier_id, $material_id, $promised_at, $claim, $user_id, $role, $note
MATCH (s:Supplier {id: $supplier_id})
MATCH (m:Material {id: $material_id})
MERGE (l:MaterialLot {lot_number: $lot.lot_number})
  ON CREATE SET l.creating = $claim
WITH s, m, l, coalesce(l.creating = $claim, false) AS fresh
CALL (s, m, l, fresh) {
  WITH s, m, l WHERE fresh
  REMOVE l.creating
  SET l += $lot, l.quarantine_status = 'released'
  CREATE (s)-[:SUPPLIED {promised_at: $promised_at, delivered_at: $lot.received_date, quantity: $lot.quantity}]->(l)
  CREATE (l)-[:OF_MATERIAL]->(m)
  CREATE (:Event {id: randomUUID(), operation: 'receiveLot', entity_label: 'MaterialLot', entity_key: l.lot_number, after: l.inspection_result, quantity: l.quantity, by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(l)
}
RETURN NOT fresh AS taken,
       CASE WHEN fresh THEN l {.*, promised_at: $promised_at, delivered_at: l.received_date} END AS lot

// name: batch_references
// What a recorded batch hangs off besides its (locked) order: machine, shift and operator.
// params: $machine_id, $shift_id, $operator_id
OPTIONAL MATCH (m:Machine {id: $machine_id})
OPTIONAL MATCH (sh:Shift {id: $shift_id})
OPTIONAL MATCH (op:Operator {id: $operator_id})
RETURN m IS NOT NULL AS machine_found, sh IS NOT NULL AS shift_found,
       op IS NOT NULL AS operator_found

// name: record_batch
// A new batch for an order, on a machine, in a shift, by an operator (FOR_ORDER, RUN_ON,
// DURING_SHIFT, OPERATED_BY, as the loaders link them), level 0 until it consumes a batch, with
// an event about it and its order. Nothing is written (taken true) when the batch id exists.
// mode: write
// params: $batch, $order_number, $machine_id, $shift_id, $operator_id, $scope, $claim, $user_id, $role, $note
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
MATCH (m:Machine {id: $machine_id})
MATCH (sh:Shift {id: $shift_id})
MATCH (op:Operator {id: $operator_id})
MERGE (b:Batch {batch_id: $batch.batch_id})
  ON CREATE SET b.creating = $claim
WITH o, m, sh, op, b, coalesce(b.creating = $claim, false) AS fresh
CALL (o, m, sh, op, b, fresh) {
  WITH o, m, sh, op, b WHERE fresh
  REMOVE b.creating
  // Its machine and operator kept on it too, for the Pareto (cypher/analytics/upstream.cypher).
  SET b += $batch, b.level = 0, b.machine_ids = [m.id], b.operator_ids = [op.id]
  CREATE (b)-[:FOR_ORDER]->(o), (b)-[:RUN_ON]->(m), (b)-[:DURING_SHIFT]->(sh), (b)-[:OPERATED_BY]->(op)
  CREATE (e:Event {id: randomUUID(), operation: 'recordBatch', entity_label: 'Batch', entity_key: b.batch_id, after: b.status, quantity: b.quantity, by: $user_id, role: $role, at: datetime(), note: $note})
  CREATE (e)-[:ABOUT]->(b), (e)-[:ABOUT]->(o)
}
RETURN NOT fresh AS taken, CASE WHEN fresh THEN b {.*} END AS batch

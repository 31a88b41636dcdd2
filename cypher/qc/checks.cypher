// QC checks (issue 11 §4, graph/qc_checks.py). One write transaction function per check (its
// idempotency key kept last: cypher/writes): with the order locked (orders.lock_order), read
// what the check hangs off, lock the supplier and part number's switching state, read it under
// the lock, then write the check, the new state and their events. The plan and the new state are computed
// in Python (graph/sampling.py) between the reads and the write.

// name: check_context
// What a check of a (locked) order needs: its part number, the stage checked (by sequence) and
// the supplier it is assigned to (the latest assignment, should the graph hold more than one).
// params: $order_number, $scope, $stage_sequence
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
OPTIONAL MATCH (o)-[:HAS_STAGE]->(st:ProductionStage {sequence: $stage_sequence})
WITH o, st ORDER BY st.id LIMIT 1
OPTIONAL MATCH (o)-[a:ASSIGNED_TO]->(s:Supplier)
WITH o, st, s ORDER BY a.assigned_at DESC, s.id LIMIT 1
RETURN o.part_number AS part_number, st.id AS stage_id, st.name AS stage_name,
       s.id AS supplier_id

// name: lock_inspection_state
// The switching state of a supplier and part number, created at $initial (normal) by the first
// check, then locked for the rest of the transaction by a property write (held until commit).
// MERGE on the unique pair makes a second creator wait for the first and then find its node.
// mode: write
// params: $supplier_id, $part_number, $initial
MATCH (sup:Supplier {id: $supplier_id})
MERGE (s:InspectionState {supplier_id: $supplier_id, part_number: $part_number})
  ON CREATE SET s += $initial, s.id = $supplier_id + '/' + $part_number, s.lots_inspected = 0,
                s.created_at = datetime()
MERGE (sup)-[:HAS_INSPECTION_STATE]->(s)
SET s.lots_inspected = coalesce(s.lots_inspected, 0)
RETURN count(s) AS locked

// name: inspection_state
// The locked switching state as the last committed check left it (read in its own statement,
// after the lock, so a concurrent check's update is never read stale).
// params: $supplier_id, $part_number
MATCH (s:InspectionState {supplier_id: $supplier_id, part_number: $part_number})
RETURN s {.severity, .switching_score, .normal_recent, .tightened_accepted_run,
          .tightened_not_accepted} AS state,
       s.lots_inspected AS lots_inspected

// name: record_check
// The check (linked to its order and stage), the supplier and part number's new switching state,
// and an event for each: the check's (about the check and its order; before null, after its
// result) and the state's (before and after severity).
// mode: write
// params: $order_number, $scope, $stage_id, $supplier_id, $part_number, $check, $state, $user_id, $role, $operation, $note
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
MATCH (o)-[:HAS_STAGE]->(st:ProductionStage {id: $stage_id})
MATCH (s:InspectionState {supplier_id: $supplier_id, part_number: $part_number})
// The order is locked: no other check can take the same number.
WITH o, st, s, s.severity AS before, COUNT { (o)-[:HAS_QC_CHECK]->() } + 1 AS n
CREATE (o)-[:HAS_QC_CHECK]->(q:QCCheck {id: o.order_number + '/QC-' + n})-[:AT_STAGE]->(st)
SET q += $check, q.checked_at = datetime(), q.checked_by = $user_id
SET s += $state, s.updated_at = datetime()
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'QCCheck', entity_key: q.id, after: q.result, by: $user_id, role: $role, at: datetime(), note: $note})
CREATE (e)-[:ABOUT]->(q), (e)-[:ABOUT]->(o)
CREATE (:Event {id: randomUUID(), operation: $operation, entity_label: 'InspectionState', entity_key: s.id, before: before, after: s.severity, by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(s)
RETURN q {.*} AS check, s {.*} AS state, {{scope.OrderFields(o)}} AS order

// Test and bench maintenance, never loaded by the service.

// name: delete_data_batch
// Delete up to $batch_size nodes (and their relationships), keeping migration bookkeeping.
// Run repeatedly until it deletes 0: one huge DETACH DELETE would exhaust the heap.
// mode: write
// params: $batch_size
MATCH (n)
WHERE NOT n:SchemaMigration
WITH n LIMIT $batch_size
DETACH DELETE n
RETURN count(*) AS deleted

// name: forget_migrations
// Drop the records of migrations from $min_version up, so they count as pending again.
// mode: write
// params: $min_version
MATCH (m:SchemaMigration)
WHERE m.version >= $min_version
DETACH DELETE m
RETURN count(*) AS forgotten

// name: set_order_state
// Put an order into a workflow state directly (the workflow tests start from every state).
// mode: write
// params: $order_number, $state
MATCH (o:Order {order_number: $order_number})
SET o.workflow_status = $state

// name: set_stage
// Put an order's stage at a percentage directly (tests start stage rules from any layout).
// mode: write
// params: $order_number, $sequence, $percentage, $status, $target_date
MATCH (o:Order {order_number: $order_number})-[:HAS_STAGE]->(st:ProductionStage {sequence: $sequence})
SET st.completion_percentage = $percentage, st.status = $status, st.target_date = $target_date

// name: complete_stages
// Complete every stage of an order before $before (so the order may ship from quality_check).
// mode: write
// params: $order_number, $before
MATCH (o:Order {order_number: $order_number})-[:HAS_STAGE]->(st:ProductionStage)
WHERE st.sequence < $before
SET st.completion_percentage = 100, st.status = 'completed'

// name: order_trail
// What the writes left about an order: status changes (with who), events, stages, assignments.
// params: $order_number
MATCH (o:Order {order_number: $order_number})
RETURN o.workflow_status AS state, o.version AS version,
       [(o)-[:STATUS_CHANGED]->(c)-[:CHANGED_BY]->(u) | [c.from_status, c.to_status, u.id, c.note]] AS changes,
       [(e:Event)-[:ABOUT]->(o) | [e.operation, e.before, e.after, e.by, e.role]] AS events,
       COUNT { (o)-[:HAS_STAGE]->() } AS stages,
       COLLECT { MATCH (o)-[:HAS_STAGE]->(st) RETURN [st.sequence, st.status, st.completion_percentage, toString(st.started_at), toString(st.completed_at)] ORDER BY st.sequence } AS stage_states,
       [(o)-[:ASSIGNED_TO]->(s) | s.id] AS suppliers

// name: qc_trail
// What QC checks left in the graph: every check (with its order and stage), every switching
// state, every event of recordQcCheck, and every order's workflow status and status changes.
// params:
RETURN
  COLLECT { MATCH (o:Order)-[:HAS_QC_CHECK]->(q:QCCheck)-[:AT_STAGE]->(st) RETURN q {.*, order: o.order_number, stage: st.name, checked_at: null} ORDER BY q.id } AS checks,
  COLLECT { MATCH (s:Supplier)-[:HAS_INSPECTION_STATE]->(i:InspectionState) RETURN i {.*, supplier: s.id, created_at: null, updated_at: null} ORDER BY i.id } AS states,
  COLLECT { MATCH (e:Event) WHERE e.operation = 'recordQcCheck' RETURN [e.entity_label, e.entity_key, e.before, e.after, e.by, e.role] } AS events,
  COLLECT { MATCH (o:Order) RETURN [o.order_number, o.workflow_status, o.version, COUNT { (o)-[:STATUS_CHANGED]->() }] ORDER BY o.order_number } AS orders

// name: set_inspection_state
// Put a supplier and part number's switching state where a test starts from (the switching
// rules themselves are tested in tests/graph/test_sampling.py).
// mode: write
// params: $supplier_id, $part_number, $state
MATCH (sup:Supplier {id: $supplier_id})
MERGE (s:InspectionState {supplier_id: $supplier_id, part_number: $part_number})
  ON CREATE SET s.id = $supplier_id + '/' + $part_number, s.lots_inspected = 0
SET s += $state
MERGE (sup)-[:HAS_INSPECTION_STATE]->(s)

// name: count_label
// How many nodes carry $label.
// params: $label
MATCH (n) WHERE $label IN labels(n)
RETURN count(n) AS n

// name: events_of
// The events of one operation.
// params: $operation
MATCH (e:Event {operation: $operation})
RETURN e.by AS by, e.entity_key AS entity_key, e.role AS role

// name: shop_snapshot
// What the shop-floor mutations write, to compare before and after a refusal: every node but
// idempotency keys, every relationship, genealogy links with quantities, and the properties of
// lots, batches, serials, scrap and events.
// params:
RETURN
  COUNT { MATCH (n) WHERE NOT n:IdempotencyKey } AS nodes,
  COUNT { MATCH ()-[r]->() } AS relationships,
  COLLECT { MATCH (b:Batch)-[c:CONSUMED]->(i) RETURN [b.batch_id, coalesce(i.lot_number, i.batch_id), c.quantity, c.unit] ORDER BY b.batch_id, coalesce(i.lot_number, i.batch_id) } AS links,
  COLLECT { MATCH (n) WHERE n:MaterialLot OR n:Batch OR n:Serial OR n:Scrap OR n:Event RETURN properties(n) AS p ORDER BY coalesce(n.lot_number, n.batch_id, n.serial_number, n.id) } AS entities

// name: shop_events
// The events of the shop-floor mutations: what, about which entity, who, and what they link.
// params:
MATCH (e:Event)
WHERE e.operation IN ['receiveLot', 'recordBatch', 'consume', 'produceSerials', 'scrap']
RETURN e.operation AS operation, e.entity_label AS label, e.entity_key AS key, e.after AS after,
       e.quantity AS quantity, e.input_key AS input, e.by AS by, e.role AS role,
       [(e)-[:ABOUT]->(n) | coalesce(n.lot_number, n.batch_id, n.order_number, n.id)] AS about
ORDER BY e.at, e.id

// name: set_action_due
// Put actions' due day where a test needs it (the API takes no due day in the past).
// mode: write
// params: $ids, $due
MATCH (a:Action) WHERE a.id IN $ids
SET a.due_date = $due

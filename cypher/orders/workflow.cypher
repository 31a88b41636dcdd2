// The order workflow's writes (graph/workflow.py holds the transitions). Each runs inside one
// write transaction function (graph/order_workflow.py): lock the order, check and change it,
// record the change; its idempotency key is kept last (cypher/writes).

// name: lock_order
// Lock the order for the rest of the transaction (a transition then reads its committed state):
// writing a property takes the node's write lock, held until commit.
// mode: write
// params: $order_number, $scope
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
SET o.version = coalesce(o.version, 0)
RETURN o.workflow_status AS state, coalesce(o.version, 0) AS version

// name: supplier_exists
// Whether the supplier to assign exists (and the caller may see it).
// params: $supplier_id, $scope
OPTIONAL MATCH (s:Supplier {id: $supplier_id})
WHERE {{scope.Supplier(s)}}
RETURN s IS NOT NULL AS found

// name: transition
// Move a locked order from one of $sources to $target: its status fields, version, a status
// change (who, when, note) and an event, and for an assignment the ASSIGNED_TO link and the eight
// stages, and for shipping the last stage completed ($complete_stage). Nothing changes (moved
// false) unless its state is still one of $sources.
// mode: write
// params: $order_number, $scope, $sources, $target, $status, $production_status, $changes, $supplier_id, $stage_names, $complete_stage, $note, $user_id, $role, $operation
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
WITH o, o.workflow_status AS before
OPTIONAL CALL (o, before) {
  WITH o, before WHERE before IN $sources
  SET o += $changes,
      o.workflow_status = $target,
      o.status = $status,
      o.production_status = coalesce($production_status, o.production_status),
      o.version = coalesce(o.version, 0) + 1,
      o.updated_at = datetime()
  WITH o, before, COUNT { (o)-[:STATUS_CHANGED]->() } + 1 AS n
  CREATE (o)-[:STATUS_CHANGED]->(ch:OrderStatusChange {id: o.order_number + '/' + n, from_status: before, to_status: $target, changed_at: datetime(), note: $note})
  MERGE (u:User {id: $user_id})
  CREATE (ch)-[:CHANGED_BY]->(u)
  CREATE (:Event {id: randomUUID(), operation: $operation, entity_label: 'Order', entity_key: o.order_number, before: before, after: $target, by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(o)
  WITH o
  OPTIONAL MATCH (s:Supplier {id: $supplier_id})
  // An assignment replaces any earlier one; stages an order already has are kept as they are.
  CALL (o, s) {
    WITH o, s WHERE s IS NOT NULL
    OPTIONAL MATCH (o)-[old:ASSIGNED_TO]->()
    DELETE old
    WITH DISTINCT o, s
    CREATE (o)-[:ASSIGNED_TO {assigned_at: datetime(), assigned_by: $user_id}]->(s)
  }
  FOREACH (i IN range(0, size($stage_names) - 1) |
    MERGE (st:ProductionStage {id: o.order_number + '/' + (i + 1)})
      ON CREATE SET st.sequence = i + 1, st.name = $stage_names[i], st.status = 'pending',
                    st.completion_percentage = 0, st.photo_urls = []
    MERGE (o)-[:HAS_STAGE]->(st))
  WITH o
  OPTIONAL MATCH (o)-[:HAS_STAGE]->(last:ProductionStage {sequence: $complete_stage})
  SET last.completion_percentage = 100, last.status = 'completed',
      last.started_at = coalesce(last.started_at, datetime()),
      last.completed_at = coalesce(last.completed_at, datetime()),
      o.current_stage = coalesce(last.sequence, o.current_stage)
  RETURN true AS moved
}
RETURN before, coalesce(moved, false) AS moved, {{scope.OrderFields(o)}} AS order

// name: create_order
// A new order of a customer the caller may act for, at quote_requested, with its first status
// change and an event. Refused (customer_found false, or taken true) when the customer is out of
// reach or the number is taken; MERGE on the unique order number makes a second creator of the
// same number wait for the first and then find it taken.
// mode: write
// params: $customer_id, $order, $note, $user_id, $role, $scope, $claim
OPTIONAL MATCH (c:Customer {id: $customer_id})
WHERE {{scope.Customer(c)}}
OPTIONAL CALL (c) {
  WITH c WHERE c IS NOT NULL
  MERGE (o:Order {order_number: $order.order_number})
    ON CREATE SET o.creating = $claim
  WITH c, o, coalesce(o.creating = $claim, false) AS fresh
  CALL (c, o, fresh) {
    WITH c, o WHERE fresh
    REMOVE o.creating
    SET o += $order,
        o.created_at = datetime(),
        o.updated_at = datetime(),
        o.workflow_status = 'quote_requested',
        o.status = 'pending',
        o.production_status = 'not_started',
        o.version = 1
    CREATE (c)-[:PLACED]->(o)
    CREATE (o)-[:STATUS_CHANGED]->(ch:OrderStatusChange {id: o.order_number + '/1', to_status: 'quote_requested', changed_at: datetime(), note: $note})
    MERGE (u:User {id: $user_id})
    CREATE (ch)-[:CHANGED_BY]->(u)
    CREATE (:Event {id: randomUUID(), operation: 'createOrder', entity_label: 'Order', entity_key: o.order_number, after: 'quote_requested', by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(o)
  }
  RETURN o, fresh
}
RETURN c IS NOT NULL AS customer_found, coalesce(NOT fresh, false) AS taken,
       CASE WHEN fresh THEN {{scope.OrderFields(o)}} END AS order

// name: order_events
// Every event about an order, oldest first (the audit trail; status history reads the changes).
// params: $order_number, $scope
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
MATCH (e:Event)-[:ABOUT]->(o)
WITH e ORDER BY e.at, e.id
RETURN collect(e {.*, at: toString(e.at)}) AS events

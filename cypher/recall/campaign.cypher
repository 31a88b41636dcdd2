// Recall campaigns (graph/recall_campaign.py): openRecall, markCustomerNotified, recordRecovery,
// closeRecall, each one write transaction with its idempotency key kept last (cypher/writes), and
// the recall reads. A recall holds the roots of its scope ((:Recall)-[:HOLDS]->(lot, batch or
// serial)) while it is open; cypher/holds/holds.cypher derives the holds downstream from them.
// Each customer of the recall's preview is to be notified: (:Recall)-[:NOTIFIES {notified_at,
// notified_by, note}]->(:Customer), notified_at null until markCustomerNotified.

// fragment: Shown(r)
// Whether the caller may read recall r: the plant's roles always; others when they may read one
// of the lots, batches or serials it holds (a buyer: those that went into its own orders).
// params: $scope
$scope.rows = 'all'
  OR EXISTS { MATCH (r)-[:HOLDS]->(root)
              WHERE (root:MaterialLot AND {{scope.MaterialLot(root)}}) OR (root:Batch AND {{scope.Batch(root)}})
                 OR (root:Serial AND {{scope.Serial(root)}}) }

// fragment: Row(r)
// Recall r as read: its own properties, what it holds, and each customer to notify that the
// caller may read, with whether, when and by whom it was notified.
// params: $scope
r {.*,
   roots: COLLECT { MATCH (r)-[:HOLDS]->(root) RETURN coalesce(root.lot_number, root.batch_id, root.serial_number) AS k ORDER BY k },
   customers: COLLECT { MATCH (r)-[notice:NOTIFIES]->(to:Customer) WHERE {{scope.Customer(to)}}
                        RETURN {customer_id: to.id, name: to.name, notified: notice.notified_at IS NOT NULL, notified_at: notice.notified_at, notified_by: notice.notified_by, note: notice.note} AS row ORDER BY to.id }}

// name: lock_orders
// Lock the orders not yet shipped that the recall touches, in order number order (as
// holds.lock_downstream_orders): a concurrent ship either committed first or reads the new hold.
// mode: write
// params: $order_numbers, $open_states
MATCH (o:Order)
WHERE o.order_number IN $order_numbers AND o.workflow_status IN $open_states
WITH o ORDER BY o.order_number
SET o.order_number = o.order_number
RETURN count(o) AS locked

// name: open
// Open a recall: its id (RC-<n>, from a counter whose lock orders concurrent opens), the scope
// as given, a HOLDS link to each root, a NOTIFIES link to each customer and an event.
// mode: write
// params: $scope_given, $lot_numbers, $batch_ids, $serial_numbers, $customer_ids, $reason, $classification, $user_id, $role, $operation, $scope
MERGE (k:Counter {name: 'recall'})
SET k.value = coalesce(k.value, 0) + 1
CREATE (r:Recall {id: 'RC-' + k.value, status: 'open', reason: $reason, classification: $classification, opened_at: datetime(), opened_by: $user_id, units_recovered: 0})
SET r += $scope_given
WITH r
CALL (r) {
  MATCH (n:MaterialLot) WHERE n.lot_number IN $lot_numbers
  CREATE (r)-[:HOLDS]->(n)
  RETURN count(*) AS lots
}
CALL (r) {
  MATCH (n:Batch) WHERE n.batch_id IN $batch_ids
  CREATE (r)-[:HOLDS]->(n)
  RETURN count(*) AS batches
}
CALL (r) {
  MATCH (n:Serial) WHERE n.serial_number IN $serial_numbers
  CREATE (r)-[:HOLDS]->(n)
  RETURN count(*) AS serials
}
CALL (r) {
  MATCH (c:Customer) WHERE c.id IN $customer_ids
  CREATE (r)-[:NOTIFIES]->(c)
  RETURN count(*) AS customers
}
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Recall', entity_key: r.id, before: null, after: 'open', by: $user_id, role: $role, at: datetime(), note: $reason})
CREATE (e)-[:ABOUT]->(r)
RETURN {{recall.Row(r)}} AS recall

// name: lock_recall
// Lock the recall for the rest of the transaction and read its status and the customers not yet
// notified (ids: the write's refusal names them).
// mode: write
// params: $recall_id, $scope
MATCH (r:Recall {id: $recall_id})
WHERE {{recall.Shown(r)}}
SET r.id = r.id
RETURN r.status AS state,
       COLLECT { MATCH (r)-[n:NOTIFIES]->(c:Customer) WHERE n.notified_at IS NULL RETURN c.id ORDER BY c.id } AS pending

// name: notice
// The locked recall's notice to one customer, if it has one: whether it was notified.
// params: $recall_id, $customer_id
MATCH (:Recall {id: $recall_id})-[n:NOTIFIES]->(:Customer {id: $customer_id})
RETURN n.notified_at IS NOT NULL AS notified, n.notified_at AS notified_at, n.notified_by AS notified_by

// name: notify
// Mark a customer of the open recall notified (guarded: the recall is open, the customer not yet
// notified), with an event.
// mode: write
// params: $recall_id, $customer_id, $note, $user_id, $role, $operation, $scope
MATCH (r:Recall {id: $recall_id, status: 'open'})-[n:NOTIFIES]->(c:Customer {id: $customer_id})
WHERE n.notified_at IS NULL
SET n.notified_at = datetime(), n.notified_by = $user_id, n.note = $note
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Recall', entity_key: r.id, before: 'pending', after: 'notified', by: $user_id, role: $role, at: datetime(), note: coalesce($note, c.id)})
CREATE (e)-[:ABOUT]->(r), (e)-[:ABOUT]->(c)
RETURN {{recall.Row(r)}} AS recall

// name: recover
// Add units recovered to the open recall (guarded: it is open), with an event.
// mode: write
// params: $recall_id, $units, $note, $user_id, $role, $operation, $scope
MATCH (r:Recall {id: $recall_id, status: 'open'})
WITH r, coalesce(r.units_recovered, 0) AS before
SET r.units_recovered = before + $units
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Recall', entity_key: r.id, before: toString(before), after: toString(r.units_recovered), by: $user_id, role: $role, at: datetime(), note: $note})
CREATE (e)-[:ABOUT]->(r)
RETURN {{recall.Row(r)}} AS recall

// name: close
// Close the open recall once every customer is notified (guarded: open, none pending); its holds
// end with it. An event.
// mode: write
// params: $recall_id, $note, $user_id, $role, $operation, $scope
MATCH (r:Recall {id: $recall_id, status: 'open'})
WHERE NOT EXISTS { (r)-[n:NOTIFIES]->(:Customer) WHERE n.notified_at IS NULL }
SET r.status = 'closed', r.closed_at = datetime(), r.closed_by = $user_id, r.close_note = $note
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Recall', entity_key: r.id, before: 'open', after: 'closed', by: $user_id, role: $role, at: datetime(), note: $note})
CREATE (e)-[:ABOUT]->(r)
RETURN {{recall.Row(r)}} AS recall

// name: by_id
// Recalls by id, as the caller may read them (DataLoader shape: key, items).
// params: $keys, $scope
UNWIND $keys AS key
MATCH (r:Recall {id: key})
WHERE {{recall.Shown(r)}}
RETURN key, [{{recall.Row(r)}}] AS items

// name: list
// The recalls the caller may read, newest first, optionally of one status.
// params: $status, $scope
MATCH (r:Recall)
WHERE ($status IS NULL OR r.status = $status) AND {{recall.Shown(r)}}
WITH r ORDER BY r.opened_at DESC, r.id DESC
RETURN {{recall.Row(r)}} AS recall

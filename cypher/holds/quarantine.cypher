// quarantineLot and releaseLot (graph/holds.py). Each runs in one write transaction function:
// with its idempotency key claimed (cypher/writes), lock the lot, read its state under the lock,
// then write the change guarded by the state it was read in, its Quarantine node and an event.

// name: lock_lot
// Lock the lot for the rest of the transaction (writing a property to its own value takes the
// node's write lock, held until commit) and read its state and active quarantine.
// mode: write
// params: $lot_number, $scope
MATCH (l:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(l)}}
SET l.lot_number = l.lot_number
RETURN l.quarantine_status AS state,
       [(l)-[:HAS_QUARANTINE]->(q:Quarantine) WHERE q.released_at IS NULL | q {.id, .reason, .since, .by}][0] AS active

// name: lock_downstream_orders
// Lock every order not yet shipped that a batch downstream of the lot was made for, in order
// number order (so two quarantines never wait on each other in a circle). A ship of one of them
// locks the order first and reads its holds after: it waits for this quarantine to commit and then
// sees its hold, or it committed first and the order was shipped before the lot was quarantined.
// mode: write
// params: $lot_number, $open_states
MATCH (l:MaterialLot {lot_number: $lot_number})
CALL (l) {
  CALL apoc.path.subgraphNodes(l, {relationshipFilter: '<CONSUMED', labelFilter: '+Batch', bfs: true, maxLevel: -1}) YIELD node
  MATCH (node:Batch)-[:FOR_ORDER]->(o:Order)
  WHERE o.workflow_status IN $open_states
  RETURN DISTINCT o
}
WITH o ORDER BY o.order_number
SET o.order_number = o.order_number
RETURN count(o) AS locked

// name: quarantine
// Quarantine the locked lot, if it is still in one of $sources: its status, a Quarantine node
// (<lot>/Q-<n>, active until released) and an event about both.
// mode: write
// params: $lot_number, $scope, $sources, $reason, $user_id, $role, $operation
MATCH (l:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(l)}}
WITH l, l.quarantine_status AS before
WHERE coalesce(before, 'released') IN $sources
WITH l, before, COUNT { (l)-[:HAS_QUARANTINE]->() } + 1 AS n
SET l.quarantine_status = 'quarantined'
CREATE (l)-[:HAS_QUARANTINE]->(q:Quarantine {id: l.lot_number + '/Q-' + n, lot_number: l.lot_number, reason: $reason, since: datetime(), by: $user_id, role: $role, status_before: before})
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'MaterialLot', entity_key: l.lot_number, before: before, after: 'quarantined', by: $user_id, role: $role, at: datetime(), note: $reason})
CREATE (e)-[:ABOUT]->(l), (e)-[:ABOUT]->(q)
RETURN l {.*} AS lot, q {.*} AS quarantine, before

// name: release
// Release the locked lot, if it is still in one of $sources: its status back to released, its
// active quarantine (if any: a lot loaded as held has none) closed, and an event.
// mode: write
// params: $lot_number, $scope, $sources, $note, $user_id, $role, $operation
MATCH (l:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(l)}}
WITH l, l.quarantine_status AS before
WHERE before IN $sources
SET l.quarantine_status = 'released'
WITH l, before
OPTIONAL MATCH (l)-[:HAS_QUARANTINE]->(q:Quarantine)
WHERE q.released_at IS NULL
SET q.released_at = datetime(), q.released_by = $user_id, q.release_note = $note
WITH l, before, collect(q) AS closed
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'MaterialLot', entity_key: l.lot_number, before: before, after: 'released', by: $user_id, role: $role, at: datetime(), note: $note})
CREATE (e)-[:ABOUT]->(l)
FOREACH (q IN closed | CREATE (e)-[:ABOUT]->(q))
RETURN l {.*} AS lot, [q IN closed | q {.*}] AS released, before

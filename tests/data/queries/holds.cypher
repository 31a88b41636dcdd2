// name: quarantine_trail
// What quarantineLot and releaseLot write, to compare before and after: each lot's status, every
// Quarantine node, their events (with what each is about) and the orders' workflow states.
// params:
RETURN
  COLLECT { MATCH (l:MaterialLot) RETURN [l.lot_number, l.quarantine_status] AS s ORDER BY l.lot_number } AS lots,
  COLLECT { MATCH (l:MaterialLot)-[:HAS_QUARANTINE]->(q:Quarantine) RETURN q {.id, .lot_number, .reason, .by, .role, released: q.released_at IS NOT NULL, .released_by, .release_note} AS q ORDER BY q.id } AS quarantines,
  COLLECT { MATCH (e:Event) WHERE e.operation IN ['quarantineLot', 'releaseLot'] RETURN e {.operation, .entity_label, .entity_key, .before, .after, .by, .role, .note, about: apoc.coll.sort([(e)-[:ABOUT]->(n) | CASE WHEN n:Quarantine THEN n.id ELSE n.lot_number END])} AS e ORDER BY e.at, e.id } AS events,
  COLLECT { MATCH (o:Order) RETURN [o.order_number, o.workflow_status] AS s ORDER BY o.order_number } AS orders

// name: set_lot_status
// Put a lot's quarantine status directly (as loaded data would have it).
// mode: write
// params: $lot_number, $status
MATCH (l:MaterialLot {lot_number: $lot_number})
SET l.quarantine_status = $status

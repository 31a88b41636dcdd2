// name: recall_trail
// What the recall writes leave, to compare before and after: every Recall, what it holds, whom it
// notifies (and whether), the lots' statuses and the recall events.
// params:
RETURN
  COLLECT { MATCH (r:Recall) RETURN r {.id, .status, .reason, .classification, .opened_by, .units_recovered, .closed_by, .close_note} AS r ORDER BY r.id } AS recalls,
  COLLECT { MATCH (r:Recall)-[:HOLDS]->(n) RETURN [r.id, coalesce(n.lot_number, n.batch_id, n.serial_number)] AS h ORDER BY h } AS holds,
  COLLECT { MATCH (r:Recall)-[n:NOTIFIES]->(c:Customer) RETURN [r.id, c.id, n.notified_by] AS n ORDER BY n } AS notices,
  COLLECT { MATCH (l:MaterialLot) RETURN [l.lot_number, l.quarantine_status] AS s ORDER BY s } AS lots,
  COLLECT { MATCH (e:Event) WHERE e.entity_label = 'Recall' RETURN [e.operation, e.entity_key, e.before, e.after, e.by] AS e ORDER BY e } AS events

// name: stall
// Keep the transaction busy for $ms milliseconds (to let its timeout kill it midway).
// params: $ms
CALL apoc.util.sleep($ms)
RETURN true AS slept

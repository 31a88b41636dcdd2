// Holds (issue 13 §1): a batch, serial or order is on hold while a lot upstream of it (CONSUMED,
// at any depth) is held; a lot while it is held itself. Holds are derived here, when read, from
// the lots' quarantine status, never stored downstream: a new CONSUMED link, a second quarantined
// lot or a release is right at once, with nothing for the writes to keep in step.
// A lot holds while its quarantine_status is quarantined (quarantineLot), on_hold or rejected (as
// loaded); its active Quarantine node (released_at null) says why, since when and by whom.
// The walk is APOC's upstream expansion with NODE_GLOBAL uniqueness: every node once, so
// diamonds in the genealogy cost nothing extra (as the backward trace). Each <kind>_holds query
// answers many keys at once (DataLoader batches, as cypher/api/relationships.cypher: key, items)
// and skips the walks when no lot anywhere is held (the usual case: one index lookup). Each
// checks that the caller may read the entity asked about, as a root lookup would.
// An open recall (openRecall, cypher/recall/campaign.cypher) holds the roots of its scope (lots,
// batches or serials: (:Recall)-[:HOLDS]->(root)) and, as a quarantined lot does, everything
// downstream of them: its holds name the recall. They are read only while some recall is open.

// fragment: Holding(l)
// Whether lot l holds everything downstream of it (the material_lot_quarantine index answers).
// params:
l.quarantine_status IN ['quarantined', 'on_hold', 'rejected']

// fragment: CauseShown(l)
// Whether the caller may read which lot causes a hold. A buyer reads an entity only when it went
// into its own orders, so every lot upstream of it is one of its orders' lots; a supplier reads
// only its own lots (another supplier's lot under a shared batch holds it all the same).
// params: $scope
($scope.rows IN ['all', 'customer']
  OR ($scope.rows = 'supplier' AND EXISTS { (l)<-[:SUPPLIED]-(:Supplier {id: $scope.supplier_id}) }))

// fragment: RecallHoldOf(r)
// One hold caused by the open recall r (its lot, when the root it holds is a lot the caller may
// read, is set by the query that knows the root).
// params:
{lot: null, status: 'recalled', reason: r.reason, since: r.opened_at, by: r.opened_by, recall: r.id}

// fragment: HoldOf(l)
// One hold caused by the held lot l: the lot, its status and its active quarantine's reason, start
// and author (null for a lot loaded as held, which no quarantineLot recorded); the lot, the reason
// and the author are null when the caller may not read the lot.
// params: $scope
head([q IN [(l)-[:HAS_QUARANTINE]->(q:Quarantine) WHERE q.released_at IS NULL | q] + [null] |
  CASE WHEN {{holds.CauseShown(l)}}
       THEN {lot: l.lot_number, status: l.quarantine_status, reason: q.reason, since: q.since, by: q.by, recall: null}
       ELSE {lot: null, status: l.quarantine_status, reason: null, since: q.since, by: null, recall: null} END])

// fragment: RecallHoldOn(node)
// The hold of the open recall r on node (a root of its scope, or upstream of what is asked
// about): the recall's hold, naming the lot when node is a lot the caller may read.
// params: $scope
CASE WHEN node:MaterialLot AND {{holds.CauseShown(node)}}
     THEN {lot: node.lot_number, status: 'recalled', reason: r.reason, since: r.opened_at, by: r.opened_by, recall: r.id}
     ELSE {{holds.RecallHoldOf(r)}} END

// name: lot_holds
// The holds of each lot: itself, while it is held or an open recall holds it.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (l:MaterialLot {lot_number: key})
WHERE {{scope.MaterialLot(l)}}
WITH key, CASE WHEN {{holds.Holding(l)}} THEN [{{holds.HoldOf(l)}}] ELSE [] END
          + [(r:Recall {status: 'open'})-[:HOLDS]->(l) | {{holds.RecallHoldOn(l)}}] AS items
WHERE size(items) > 0
RETURN key, items

// name: batch_holds
// The holds of each batch: one per held lot upstream of it and one per open recall holding it or
// anything upstream of it, oldest first.
// params: $keys, $scope
WITH EXISTS { MATCH (h:MaterialLot) WHERE {{holds.Holding(h)}} } AS any_held,
     EXISTS { MATCH (:Recall {status: 'open'}) } AS any_recall
UNWIND CASE WHEN any_held OR any_recall THEN $keys ELSE [] END AS key
MATCH (b:Batch {batch_id: key})
WHERE {{scope.Batch(b)}}
CALL (b, any_held, any_recall) {
  WITH b WHERE any_held
  CALL apoc.path.subgraphNodes(b, {relationshipFilter: 'CONSUMED>', labelFilter: '/MaterialLot', bfs: true, maxLevel: -1}) YIELD node
  WITH node AS l WHERE {{holds.Holding(l)}}
  RETURN {{holds.HoldOf(l)}} AS hold
  UNION
  // Only while a recall is open: the walk over batches and lots alike, for the roots it holds.
  WITH b WHERE any_recall
  CALL apoc.path.subgraphNodes(b, {relationshipFilter: 'CONSUMED>', bfs: true, maxLevel: -1}) YIELD node
  MATCH (r:Recall {status: 'open'})-[:HOLDS]->(node)
  RETURN {{holds.RecallHoldOn(node)}} AS hold
}
WITH key, hold ORDER BY hold.since, hold.lot
RETURN key, collect(hold) AS items

// name: serial_holds
// The holds of each serial: those of the batch that produced it, and of an open recall of a
// serial range that holds the serial itself.
// params: $keys, $scope
WITH EXISTS { MATCH (h:MaterialLot) WHERE {{holds.Holding(h)}} } AS any_held,
     EXISTS { MATCH (:Recall {status: 'open'}) } AS any_recall
UNWIND CASE WHEN any_held OR any_recall THEN $keys ELSE [] END AS key
MATCH (b:Batch)-[:PRODUCED]->(s:Serial {serial_number: key})
WHERE {{scope.Serial(s)}}
CALL (b, s, any_held, any_recall) {
  WITH b WHERE any_held
  CALL apoc.path.subgraphNodes(b, {relationshipFilter: 'CONSUMED>', labelFilter: '/MaterialLot', bfs: true, maxLevel: -1}) YIELD node
  WITH node AS l WHERE {{holds.Holding(l)}}
  RETURN {{holds.HoldOf(l)}} AS hold
  UNION
  // Only while a recall is open: the walk over batches and lots alike, for the roots it holds.
  WITH b WHERE any_recall
  CALL apoc.path.subgraphNodes(b, {relationshipFilter: 'CONSUMED>', bfs: true, maxLevel: -1}) YIELD node
  MATCH (r:Recall {status: 'open'})-[:HOLDS]->(node)
  RETURN {{holds.RecallHoldOn(node)}} AS hold
  UNION
  WITH s WHERE any_recall
  MATCH (r:Recall {status: 'open'})-[:HOLDS]->(s)
  RETURN {{holds.RecallHoldOf(r)}} AS hold
}
WITH DISTINCT key, hold
WITH key, hold ORDER BY hold.since, hold.lot
RETURN key, collect(hold) AS items

// name: order_holds
// The holds of each order: those of every batch made for it, and of an open recall of a serial
// range that holds one of their serials.
// params: $keys, $scope
WITH EXISTS { MATCH (h:MaterialLot) WHERE {{holds.Holding(h)}} } AS any_held,
     EXISTS { MATCH (:Recall {status: 'open'}) } AS any_recall
UNWIND CASE WHEN any_held OR any_recall THEN $keys ELSE [] END AS key
MATCH (o:Order {order_number: key})
WHERE {{scope.Order(o)}}
WITH key, [(o)<-[:FOR_ORDER]-(b:Batch) | b] AS starts, any_held, any_recall
WHERE size(starts) > 0
CALL (starts, any_held, any_recall) {
  WITH starts WHERE any_held
  CALL apoc.path.subgraphNodes(starts, {relationshipFilter: 'CONSUMED>', labelFilter: '/MaterialLot', bfs: true, maxLevel: -1}) YIELD node
  WITH node AS l WHERE {{holds.Holding(l)}}
  RETURN {{holds.HoldOf(l)}} AS hold
  UNION
  // Only while a recall is open: the walk over batches and lots alike, for the roots it holds.
  WITH starts WHERE any_recall
  CALL apoc.path.subgraphNodes(starts, {relationshipFilter: 'CONSUMED>', bfs: true, maxLevel: -1}) YIELD node
  MATCH (r:Recall {status: 'open'})-[:HOLDS]->(node)
  RETURN {{holds.RecallHoldOn(node)}} AS hold
  UNION
  WITH starts WHERE any_recall
  UNWIND starts AS b
  MATCH (b)-[:PRODUCED]->(:Serial)<-[:HOLDS]-(r:Recall {status: 'open'})
  RETURN DISTINCT {{holds.RecallHoldOf(r)}} AS hold
}
WITH DISTINCT key, hold
WITH key, hold ORDER BY hold.since, hold.lot
RETURN key, collect(hold) AS items

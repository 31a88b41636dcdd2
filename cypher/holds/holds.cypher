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

// fragment: HoldOf(l)
// One hold caused by the held lot l: the lot, its status and its active quarantine's reason, start
// and author (null for a lot loaded as held, which no quarantineLot recorded); the lot, the reason
// and the author are null when the caller may not read the lot.
// params: $scope
head([q IN [(l)-[:HAS_QUARANTINE]->(q:Quarantine) WHERE q.released_at IS NULL | q] + [null] |
  CASE WHEN {{holds.CauseShown(l)}}
       THEN {lot: l.lot_number, status: l.quarantine_status, reason: q.reason, since: q.since, by: q.by}
       ELSE {lot: null, status: l.quarantine_status, reason: null, since: q.since, by: null} END])

// name: lot_holds
// The hold of each lot: itself, while it is held.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (l:MaterialLot {lot_number: key})
WHERE {{holds.Holding(l)}} AND {{scope.MaterialLot(l)}}
RETURN key, [{{holds.HoldOf(l)}}] AS items

// name: batch_holds
// The holds of each batch: one per held lot upstream of it, oldest first.
// params: $keys, $scope
WITH EXISTS { MATCH (h:MaterialLot) WHERE {{holds.Holding(h)}} } AS any_held
UNWIND CASE WHEN any_held THEN $keys ELSE [] END AS key
MATCH (b:Batch {batch_id: key})
WHERE {{scope.Batch(b)}}
CALL (b) {
  CALL apoc.path.subgraphNodes(b, {relationshipFilter: 'CONSUMED>', labelFilter: '/MaterialLot', bfs: true, maxLevel: -1}) YIELD node
  WITH node AS l WHERE {{holds.Holding(l)}}
  RETURN l
}
WITH key, {{holds.HoldOf(l)}} AS hold
WITH key, hold ORDER BY hold.since, hold.lot
RETURN key, collect(hold) AS items

// name: serial_holds
// The holds of each serial: those of the batch that produced it.
// params: $keys, $scope
WITH EXISTS { MATCH (h:MaterialLot) WHERE {{holds.Holding(h)}} } AS any_held
UNWIND CASE WHEN any_held THEN $keys ELSE [] END AS key
MATCH (b:Batch)-[:PRODUCED]->(s:Serial {serial_number: key})
WHERE {{scope.Serial(s)}}
CALL (b) {
  CALL apoc.path.subgraphNodes(b, {relationshipFilter: 'CONSUMED>', labelFilter: '/MaterialLot', bfs: true, maxLevel: -1}) YIELD node
  WITH node AS l WHERE {{holds.Holding(l)}}
  RETURN l
}
WITH DISTINCT key, l
WITH key, {{holds.HoldOf(l)}} AS hold
WITH key, hold ORDER BY hold.since, hold.lot
RETURN key, collect(hold) AS items

// name: order_holds
// The holds of each order: one per held lot upstream of any batch made for it.
// params: $keys, $scope
WITH EXISTS { MATCH (h:MaterialLot) WHERE {{holds.Holding(h)}} } AS any_held
UNWIND CASE WHEN any_held THEN $keys ELSE [] END AS key
MATCH (o:Order {order_number: key})
WHERE {{scope.Order(o)}}
WITH key, [(o)<-[:FOR_ORDER]-(b:Batch) | b] AS starts
WHERE size(starts) > 0
CALL (starts) {
  CALL apoc.path.subgraphNodes(starts, {relationshipFilter: 'CONSUMED>', labelFilter: '/MaterialLot', bfs: true, maxLevel: -1}) YIELD node
  WITH node AS l WHERE {{holds.Holding(l)}}
  RETURN l
}
WITH key, {{holds.HoldOf(l)}} AS hold
WITH key, hold ORDER BY hold.since, hold.lot
RETURN key, collect(hold) AS items

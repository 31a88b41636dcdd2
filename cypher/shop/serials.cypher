// produceSerials (graph/shop_floor.py): a batch's serial numbers, all or none. The batch is locked
// (genealogy.lock_batches) and its serials counted; then every serial is taken by MERGE on its
// unique number, marked with this write's claim. A serial found without the claim was there before
// (or a concurrent write took it first and committed: MERGE on a unique key waits for it); then
// the claimed ones are deleted again.

// name: batch_serials
// The locked batch's units produced and serials so far.
// params: $batch_id, $scope
MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
RETURN b.quantity AS quantity, COUNT { (b)-[:PRODUCED]->(:Serial) } AS serials

// name: release_serials
// Undo produce_serials when a number was taken: delete the serials this write created.
// mode: write
// params: $serials, $claim
UNWIND $serials AS number
MATCH (s:Serial {serial_number: number})
WHERE s.creating = $claim
DELETE s

// name: produce_serials
// Take each of $serials by MERGE on its unique number (new ones marked with $claim). When none was
// taken already, they become the batch's (PRODUCED, status ok), its serial range widens to cover
// $first and $last, and one event records the lot of them; otherwise nothing more is written here
// (release_serials deletes the claimed ones) and the first $shown taken numbers, in the order
// given, and how many there were, are answered.
// mode: write
// params: $batch_id, $serials, $claim, $shown, $first, $last, $scope, $user_id, $role, $note
MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
CALL (b) {
  UNWIND $serials AS number
  MERGE (s:Serial {serial_number: number})
    ON CREATE SET s.creating = $claim
  WITH number, s, coalesce(s.creating = $claim, false) AS fresh
  RETURN collect(CASE WHEN fresh THEN s END) AS claimed,
         collect(CASE WHEN NOT fresh THEN number END) AS taken
}
CALL (b, claimed, taken) {
  WITH b, claimed WHERE size(taken) = 0
  UNWIND claimed AS s
  REMOVE s.creating
  SET s.status = 'ok'
  CREATE (b)-[:PRODUCED]->(s)
}
CALL (b, taken) {
  WITH b WHERE size(taken) = 0
  SET b.serial_start = CASE WHEN b.serial_start IS NULL OR $first < b.serial_start THEN $first ELSE b.serial_start END,
      b.serial_end = CASE WHEN b.serial_end IS NULL OR $last > b.serial_end THEN $last ELSE b.serial_end END,
      // What the scorecards seek batches that made serials by (cypher/analytics/upstream.cypher).
      b.made_serials = true
  CREATE (:Event {id: randomUUID(), operation: 'produceSerials', entity_label: 'Batch', entity_key: b.batch_id, after: $first + '..' + $last, quantity: size($serials), by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(b)
}
RETURN taken[..$shown] AS taken, size(taken) AS clashes, b {.*} AS batch

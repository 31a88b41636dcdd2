// produceSerials (graph/shop_floor.py): a batch's serial numbers, all or none. The batch is locked
// (genealogy.lock_batch) and its serials counted; then every serial is taken by MERGE on its unique
// number, marked with this write's claim; a serial found without the claim was there before (or
// a concurrent write took it first and committed), and the claimed ones are deleted again.

// name: batch_serials
// The locked batch's units produced and serials so far.
// params: $batch_id, $scope
MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
RETURN b.quantity AS quantity, COUNT { (b)-[:PRODUCED]->(:Serial) } AS serials

// name: claim_serials
// Take each of $serials (new ones marked with $claim); the ones that were taken already, the
// first $shown of them in the given order, and how many.
// mode: write
// params: $serials, $claim, $shown
UNWIND $serials AS number
MERGE (s:Serial {serial_number: number})
  ON CREATE SET s.creating = $claim
WITH number, s
WHERE coalesce(s.creating, '') <> $claim
RETURN collect(number)[..$shown] AS taken, count(number) AS clashes

// name: release_serials
// Undo claim_serials: delete the serials this write created.
// mode: write
// params: $serials, $claim
UNWIND $serials AS number
MATCH (s:Serial {serial_number: number})
WHERE s.creating = $claim
DELETE s

// name: produce_serials
// The claimed serials become the batch's (PRODUCED, status ok); its serial range widens to cover
// $first and $last; one event for the lot of them.
// mode: write
// params: $batch_id, $serials, $first, $last, $scope, $user_id, $role, $note
MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
CALL (b) {
  UNWIND $serials AS number
  MATCH (s:Serial {serial_number: number})
  REMOVE s.creating
  SET s.status = 'ok'
  CREATE (b)-[:PRODUCED]->(s)
}
SET b.serial_start = CASE WHEN b.serial_start IS NULL OR $first < b.serial_start THEN $first ELSE b.serial_start END,
    b.serial_end = CASE WHEN b.serial_end IS NULL OR $last > b.serial_end THEN $last ELSE b.serial_end END
CREATE (:Event {id: randomUUID(), operation: 'produceSerials', entity_label: 'Batch', entity_key: b.batch_id, after: $first + '..' + $last, quantity: size($serials), by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(b)
RETURN b {.*} AS batch

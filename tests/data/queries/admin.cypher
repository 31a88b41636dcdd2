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

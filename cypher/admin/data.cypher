// name: delete_data_batch
// Delete up to $batch_size nodes (and their relationships), keeping migration bookkeeping.
// Run repeatedly until it deletes 0: one huge DETACH DELETE would exhaust the heap.
// params: $batch_size
MATCH (n)
WHERE NOT n:SchemaMigration
WITH n LIMIT $batch_size
DETACH DELETE n
RETURN count(*) AS deleted

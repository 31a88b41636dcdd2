// Idempotency keys, shared by every mutation (graph/writes.py): the first transaction to claim a
// key writes and stores its answer under it; a retry or a resend with the key replays the answer.

// name: claim_key
// The caller's idempotency key: created now (answer null: go on and write), or found with the
// answer and input fingerprint of the write that created it (replay it, or refuse other input).
// MERGE on a unique key waits for a concurrent holder of the same key to commit.
// mode: write
// params: $key, $operation, $input_hash
MERGE (k:IdempotencyKey {key: $key})
  ON CREATE SET k.operation = $operation, k.input_hash = $input_hash, k.created_at = datetime()
RETURN k.operation AS operation, k.input_hash AS input_hash, k.answer AS answer

// name: store_answer
// The answer a key replays.
// mode: write
// params: $key, $answer
MATCH (k:IdempotencyKey {key: $key})
SET k.answer = $answer

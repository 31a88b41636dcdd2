// Idempotency keys, shared by every mutation (graph/writes.py): the first transaction to keep its
// answer under a key commits its write; a retry or a resend with the key replays that answer.

// name: keep_answer
// The caller's idempotency key with this attempt's answer, created now (kept: commit), or found
// as an earlier attempt left it (not kept: this attempt rolls back and replays that answer, or
// refuses other input). MERGE on a unique key waits for a concurrent holder of the same key to
// commit; $attempt is unique per attempt, so only the attempt that created the key finds it.
// mode: write
// params: $key, $operation, $input_hash, $answer, $attempt
MERGE (k:IdempotencyKey {key: $key})
  ON CREATE SET k.operation = $operation, k.input_hash = $input_hash, k.answer = $answer,
                k.created_at = datetime(), k.attempt = $attempt
WITH k, k.attempt = $attempt AS kept
REMOVE k.attempt
RETURN kept, k.operation AS operation, k.input_hash AS input_hash, k.answer AS answer

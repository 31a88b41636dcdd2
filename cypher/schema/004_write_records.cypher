// The records every write leaves: one idempotency key per (user, client key), one event per
// change. Unique keys make MERGE on an idempotency key a lock: a second request with the same key
// waits for the first to commit, then replays its answer.
CREATE CONSTRAINT idempotency_key_unique IF NOT EXISTS FOR (n:IdempotencyKey) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT event_id_unique IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;
CREATE INDEX event_entity IF NOT EXISTS FOR (n:Event) ON (n.entity_label, n.entity_key);

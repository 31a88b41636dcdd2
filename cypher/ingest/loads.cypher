// Load bookkeeping: one :Load node per `tracegraph load` run (loaders/loads.py). Its status says
// whether what the load wrote is whole (complete) or not (running, failed, interrupted); what it
// created carries its id in `_load`, so an unfinished load can be resumed (re-run) or removed.

// name: load_start
// Record a new load as running; $props holds its source, fingerprint, host and pid.
// params: $id, $props
// mode: write
CREATE (l:Load {id: $id})
SET l += $props,
    l.status = 'running', l.started_at = datetime(), l.heartbeat_at = datetime(),
    l.resumed = 0;

// name: load_resume
// Mark an unfinished load running again, by this process ($props: host and pid).
// params: $id, $props
// mode: write
MATCH (l:Load {id: $id})
SET l += $props,
    l.status = 'running', l.heartbeat_at = datetime(), l.finished_at = null, l.message = null,
    l.resumed = coalesce(l.resumed, 0) + 1;

// name: load_progress
// The counts written so far, and a sign of life (a load whose signs stop is listed interrupted).
// params: $id, $counts
// mode: write
MATCH (l:Load {id: $id})
SET l += $counts, l.heartbeat_at = datetime();

// name: load_finish
// Final status (complete, failed, interrupted or removed), counts and message of a load.
// params: $id, $status, $counts, $message
// mode: write
MATCH (l:Load {id: $id})
SET l += $counts,
    l.status = $status, l.message = $message, l.finished_at = datetime(),
    l.heartbeat_at = datetime();

// name: load_list
// The latest $most loads, newest first.
// params: $most
MATCH (l:Load)
RETURN properties(l) AS load
ORDER BY l.started_at DESC
LIMIT $most;

// name: load_by_id
// One load by id.
// params: $id
MATCH (l:Load {id: $id})
RETURN properties(l) AS load;

// name: load_by_fingerprint
// The latest load of the same input (same kind, source and content), removed ones left out.
// params: $fingerprint
MATCH (l:Load {fingerprint: $fingerprint})
WHERE l.status <> 'removed'
RETURN properties(l) AS load
ORDER BY l.started_at DESC
LIMIT 1;

// name: load_node_ids
// Element ids of the nodes a load created (one pass over the nodes).
// params: $id
MATCH (n)
WHERE n._load = $id
RETURN elementId(n) AS id;

// name: load_relationship_ids
// Element ids of the relationships a load created (one pass over the relationships).
// params: $id
MATCH ()-[r]->()
WHERE r._load = $id
RETURN elementId(r) AS id;

// name: load_dependents
// Relationships of the load's nodes ($ids) that the load did not create: another load or a user
// built on them, so removing the nodes would take those along.
// params: $ids, $load
UNWIND $ids AS id
MATCH (n)-[r]-()
WHERE elementId(n) = id AND (r._load IS NULL OR r._load <> $load)
RETURN count(r) AS dependents, collect(DISTINCT type(r))[..5] AS types;

// name: delete_relationships
// Delete relationships by element id.
// params: $ids
// mode: write
UNWIND $ids AS id
MATCH ()-[r]->()
WHERE elementId(r) = id
DELETE r
RETURN count(*) AS deleted;

// name: delete_nodes
// Delete nodes by element id. DELETE, not DETACH DELETE: a relationship someone added since the
// dependents check makes the transaction fail rather than disappear with the node.
// params: $ids
// mode: write
UNWIND $ids AS id
MATCH (n)
WHERE elementId(n) = id
DELETE n
RETURN count(*) AS deleted;

// Production stages (graph/stages.py holds the rules): read a locked order's stages, write one
// stage's progress, and what every query shows of a stage.

// fragment: StageFields(n)
// A stage as read: "delayed" is computed, never stored (past its target date, not completed).
n {.*,
  status: CASE WHEN n.status <> 'completed' AND n.target_date < date() THEN 'delayed' ELSE n.status END,
  delayed: coalesce(n.status <> 'completed' AND n.target_date < date(), false)}

// name: stages_of
// The stages of an order the caller may act on (locked by the caller's transaction first).
// params: $order_number, $scope
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
MATCH (o)-[:HAS_STAGE]->(st:ProductionStage)
RETURN st.sequence AS sequence, st.status AS status,
       coalesce(st.completion_percentage, 0) AS completion_percentage

// name: lock_order_stages
// Lock the order (as orders.lock_order) and read its stages in the same round trip.
// mode: write
// params: $order_number, $scope
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
SET o.version = coalesce(o.version, 0)
RETURN o.workflow_status AS state,
       COLLECT { MATCH (o)-[:HAS_STAGE]->(st:ProductionStage)
                 RETURN {sequence: st.sequence, status: st.status,
                         completion_percentage: coalesce(st.completion_percentage, 0)} } AS stages

// name: write_stage
// One stage's progress as graph.stages decided it, the order's current stage, and an event about
// both. started_at is kept once set; completed_at is set on reaching 100 and cleared on reopening.
// mode: write
// params: $order_number, $scope, $sequence, $percentage, $status, $current_stage, $note, $photo_urls, $target_date, $operation, $before, $after, $user_id, $role
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
MATCH (o)-[:HAS_STAGE]->(st:ProductionStage {sequence: $sequence})
WITH o, st, datetime() AS now
SET st.completion_percentage = $percentage,
    st.status = $status,
    st.started_at = CASE WHEN $percentage > 0 THEN coalesce(st.started_at, now) ELSE st.started_at END,
    st.completed_at = CASE WHEN $percentage = 100 THEN coalesce(st.completed_at, now) END,
    st.notes = coalesce($note, st.notes),
    st.photo_urls = coalesce(st.photo_urls, []) + [u IN $photo_urls WHERE NOT u IN coalesce(st.photo_urls, [])],
    st.target_date = coalesce($target_date, st.target_date),
    st.updated_at = now,
    o.current_stage = $current_stage,
    o.updated_at = now
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'ProductionStage', entity_key: st.id, before: $before, after: $after, by: $user_id, role: $role, at: now, note: $note})
CREATE (e)-[:ABOUT]->(st), (e)-[:ABOUT]->(o)
RETURN {{orders.StageFields(st)}} AS stage, {{scope.OrderFields(o)}} AS order

// name: order_summary
// Seed 004's dashboard figures over the orders the caller may see: how many in each group of
// workflow states (graph/workflow.py names the groups), and how many are late: delayed, or with
// a stage past its target date while still open.
// params: $scope, $in_progress, $done, $open
MATCH (o:Order)
WHERE {{scope.Order(o)}}
WITH o.workflow_status AS state,
     EXISTS { (o)-[:HAS_STAGE]->(st:ProductionStage) WHERE st.status <> 'completed' AND st.target_date < date() } AS late
WITH state, count(*) AS n, sum(CASE WHEN late THEN 1 ELSE 0 END) AS late
WITH collect({state: state, count: n, late: late}) AS rows
RETURN reduce(t = 0, r IN rows | t + r.count) AS total,
       reduce(t = 0, r IN rows | t + CASE WHEN r.state IN $in_progress THEN r.count ELSE 0 END) AS in_progress,
       reduce(t = 0, r IN rows | t + CASE WHEN r.state IN $done THEN r.count ELSE 0 END) AS completed,
       reduce(t = 0, r IN rows | t + CASE WHEN r.state = 'delayed' THEN r.count
                                          WHEN r.state IN $open THEN r.late ELSE 0 END) AS delayed,
       [r IN rows | {state: r.state, count: r.count}] AS by_state

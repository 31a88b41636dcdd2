// Quality issues worked from report to closure (issue 12 §2; graph/quality.py holds the rules).
// Each mutation is one write transaction function (its idempotency key kept last:
// cypher/writes): it locks the issue (or the action, or the notification) it changes, reads its
// state in a statement of its own, and writes the change with the state it leaves from checked
// again in the write (`WHERE x.status IN $sources`), with an Event in the same statement.
// Every statement reaches the issue through {{scope.QualityIssue(i)}}: out of scope is missing.

// fragment: ActionFields(n)
// An action as read: overdue is computed, never stored (due before today and not finished).
n {.*, overdue: coalesce(n.status IN ['open', 'in_progress'] AND n.due_date < date(), false)}

// fragment: ActionEditable(n)
// Whether the caller may edit or move action n: $editor.limit is the caller's write limit of the
// operation from tracegraph/access.py ('any' for quality and admin, 'own_actions' for a role that
// edits only the actions it owns, with $editor.user_id); anything else edits nothing.
// params: $editor
$editor.limit = 'any' OR ($editor.limit = 'own_actions' AND n.owner = $editor.user_id)

// name: lock_issue
// Lock the issue for the rest of the transaction (a property written and removed again takes the
// node's write lock, held until commit, and leaves nothing behind).
// mode: write
// params: $issue_id, $scope
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
SET i._lock = true
REMOVE i._lock
RETURN count(i) AS locked

// name: issue_state
// A locked issue as the last committed write left it: its status, its investigation's, every
// action's, and the suppliers behind the suspected lots with those already notified.
// params: $issue_id, $scope
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
OPTIONAL MATCH (i)-[:HAS_INVESTIGATION]->(v:Investigation)
RETURN i.status AS status,
       v {.id, .status, .root_cause_category, .root_cause_confirmed} AS investigation,
       COLLECT { MATCH (i)-[:HAS_ACTION]->(a:Action) RETURN a {.id, .status} ORDER BY a.id } AS actions,
       COLLECT { MATCH (v)-[:SUSPECTS]->(:MaterialLot)<-[:SUPPLIED]-(s:Supplier)
                 RETURN DISTINCT s.id ORDER BY s.id } AS suspected_suppliers,
       COLLECT { MATCH (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(s:Supplier)
                 RETURN DISTINCT s.id ORDER BY s.id } AS notified_suppliers

// name: report_context
// What a report refers to: whether the caller may see the batch, and which of $serials that batch
// (or a batch made from it, at any depth) produced.
// params: $batch_id, $serials, $scope
OPTIONAL MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
RETURN b IS NOT NULL AS batch_found,
       COLLECT { MATCH (b)<-[:CONSUMED*0..]-(:Batch)-[:PRODUCED]->(s:Serial)
                 WHERE s.serial_number IN $serials RETURN DISTINCT s.serial_number } AS serials

// name: lock_issue_day
// The day's issue sequence, created at 0 by the first report of the day, then locked (as
// lock_issue) so reports of one day take their numbers one after the other.
// mode: write
// params: $day
MERGE (d:IssueSequence {day: $day})
  ON CREATE SET d.last = 0
SET d._lock = true
REMOVE d._lock
RETURN d.last AS last

// name: report_issue
// A new issue, numbered from its day's locked sequence, found in the batch and affecting the
// serials, status open, with its costs summed into total_cost in the same statement, and an event.
// mode: write
// params: $day, $batch_id, $serials, $issue, $costs, $scope, $user_id, $role, $operation
MATCH (d:IssueSequence {day: $day})
MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
SET d.last = d.last + 1
WITH d, b, CASE WHEN d.last < 1000 THEN right('00' + toString(d.last), 3) ELSE toString(d.last) END AS n
CREATE (i:QualityIssue {issue_id: $day + '-' + n})
SET i += $issue, i += $costs,
    i.status = 'open',
    i.reported_by = $user_id,
    i.reported_at = datetime()
SET i.total_cost = i.scrap_cost + i.rework_cost + i.downtime_cost + i.investigation_cost
CREATE (i)-[:FOUND_IN]->(b)
WITH i
CALL (i) {
  MATCH (s:Serial) WHERE s.serial_number IN $serials
  CREATE (i)-[:AFFECTS]->(s)
}
CREATE (:Event {id: randomUUID(), operation: $operation, entity_label: 'QualityIssue', entity_key: i.issue_id, after: i.status, by: $user_id, role: $role, at: datetime()})-[:ABOUT]->(i)
RETURN {{scope.QualityIssueFields(i)}} AS issue

// name: record_cost
// The costs given (the others kept), total_cost their sum in the same statement, and an event
// (total before and after).
// mode: write
// params: $issue_id, $costs, $scope, $note, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
WITH i, i.total_cost AS before
SET i += $costs
SET i.total_cost = coalesce(i.scrap_cost, 0.0) + coalesce(i.rework_cost, 0.0)
      + coalesce(i.downtime_cost, 0.0) + coalesce(i.investigation_cost, 0.0),
    i.charged_to_supplier = coalesce(i.charged_to_supplier, false)
CREATE (:Event {id: randomUUID(), operation: $operation, entity_label: 'QualityIssue', entity_key: i.issue_id, before: toString(before), after: toString(i.total_cost), by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(i)
RETURN {{scope.QualityIssueFields(i)}} AS issue

// name: lots_behind
// Which of $lots went into the issue's batch (directly or through sub-assemblies).
// params: $issue_id, $lots, $scope
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
RETURN COLLECT { MATCH (i)-[:FOUND_IN]->(:Batch)-[:CONSUMED*1..]->(l:MaterialLot)
                 WHERE l.lot_number IN $lots RETURN DISTINCT l.lot_number } AS lots

// name: open_investigation
// The issue's investigation, status open, suspecting $lots; the issue moves from open to
// investigating. Nothing is written (opened false) unless the issue is still in one of $sources
// and has no investigation.
// mode: write
// params: $issue_id, $sources, $fields, $lots, $scope, $note, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
OPTIONAL CALL (i) {
  WITH i WHERE i.status IN $sources AND NOT EXISTS { (i)-[:HAS_INVESTIGATION]->() }
  WITH i, i.status AS before
  CREATE (i)-[:HAS_INVESTIGATION]->(v:Investigation {id: i.issue_id + '/INV'})
  SET v += $fields,
      v.status = 'open',
      v.root_cause_confirmed = false,
      v.opened_by = $user_id,
      v.opened_at = datetime(),
      i.status = CASE WHEN before = 'open' THEN 'investigating' ELSE before END
  WITH i, v, before
  CALL (v) {
    MATCH (l:MaterialLot) WHERE l.lot_number IN $lots
    CREATE (v)-[:SUSPECTS]->(l)
  }
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Investigation', entity_key: v.id, after: 'open', by: $user_id, role: $role, at: datetime(), note: $note})
  CREATE (e)-[:ABOUT]->(v), (e)-[:ABOUT]->(i)
  FOREACH (_ IN CASE WHEN before <> i.status THEN [1] ELSE [] END |
    CREATE (:Event {id: randomUUID(), operation: $operation, entity_label: 'QualityIssue', entity_key: i.issue_id, before: before, after: i.status, by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(i))
  RETURN v
}
RETURN v IS NOT NULL AS opened, v {.*} AS investigation, {{scope.QualityIssueFields(i)}} AS issue

// name: update_investigation
// The fields given (the others kept) and, when $lots is not null, the suspected lots replaced by
// $lots, with an event naming what changed. Nothing is written (changed false) unless the
// investigation is still in one of $sources.
// mode: write
// params: $issue_id, $sources, $fields, $lots, $changed, $scope, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})-[:HAS_INVESTIGATION]->(v:Investigation)
WHERE {{scope.QualityIssue(i)}}
WITH i, v, v.status AS before
OPTIONAL CALL (i, v, before) {
  WITH i, v, before WHERE before IN $sources
  SET v += $fields, v.updated_at = datetime()
  WITH i, v, before
  CALL (v) {
    MATCH (v)-[r:SUSPECTS]->(l:MaterialLot)
    WHERE $lots IS NOT NULL AND NOT l.lot_number IN $lots
    DELETE r
  }
  CALL (v) {
    MATCH (l:MaterialLot) WHERE l.lot_number IN coalesce($lots, [])
    MERGE (v)-[:SUSPECTS]->(l)
  }
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Investigation', entity_key: v.id, before: before, after: v.status, by: $user_id, role: $role, at: datetime(), note: $changed})
  CREATE (e)-[:ABOUT]->(v), (e)-[:ABOUT]->(i)
  RETURN true AS changed
}
RETURN before, coalesce(changed, false) AS changed, v {.*} AS investigation,
       {{scope.QualityIssueFields(i)}} AS issue

// name: move_investigation
// Move the investigation from one of $sources to $target with the fields given (a closing
// category and confirmation), stamping started_at or closed_at, with an event. Nothing is written
// (moved false) unless it is still in one of $sources.
// mode: write
// params: $issue_id, $sources, $target, $fields, $scope, $note, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})-[:HAS_INVESTIGATION]->(v:Investigation)
WHERE {{scope.QualityIssue(i)}}
WITH i, v, v.status AS before
OPTIONAL CALL (i, v, before) {
  WITH i, v, before WHERE before IN $sources
  SET v += $fields,
      v.status = $target,
      v.started_at = CASE WHEN $target = 'in_progress' THEN datetime() ELSE v.started_at END,
      v.closed_at = CASE WHEN $target = 'closed' THEN datetime() ELSE v.closed_at END,
      v.closed_by = CASE WHEN $target = 'closed' THEN $user_id ELSE v.closed_by END,
      v.updated_at = datetime()
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Investigation', entity_key: v.id, before: before, after: $target, by: $user_id, role: $role, at: datetime(), note: $note})
  CREATE (e)-[:ABOUT]->(v), (e)-[:ABOUT]->(i)
  RETURN true AS moved
}
RETURN before, coalesce(moved, false) AS moved, v {.*} AS investigation,
       {{scope.QualityIssueFields(i)}} AS issue

// name: add_test
// A verification test of the (locked issue's) investigation, numbered <issueId>/T<n>, with an
// event. Nothing is written (added false) unless the investigation is still in one of $sources.
// mode: write
// params: $issue_id, $sources, $test, $scope, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})-[:HAS_INVESTIGATION]->(v:Investigation)
WHERE {{scope.QualityIssue(i)}}
WITH i, v, v.status AS before
OPTIONAL CALL (i, v, before) {
  WITH i, v, before WHERE before IN $sources
  WITH i, v, COUNT { (v)-[:VERIFIED_BY]->() } + 1 AS n
  CREATE (v)-[:VERIFIED_BY]->(t:VerificationTest {id: i.issue_id + '/T' + n})
  SET t += $test, t.recorded_by = $user_id, t.recorded_at = datetime()
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'VerificationTest', entity_key: t.id, after: t.result, by: $user_id, role: $role, at: datetime()})
  CREATE (e)-[:ABOUT]->(t), (e)-[:ABOUT]->(i)
  RETURN true AS added
}
RETURN before, coalesce(added, false) AS added, v {.*} AS investigation,
       {{scope.QualityIssueFields(i)}} AS issue

// name: add_action
// A corrective or preventive action of the (locked) issue, numbered <issueId>/CA<n> or /PA<n>,
// status open, with an event. Nothing is written (added false) unless the issue is still in one
// of $sources.
// mode: write
// params: $issue_id, $sources, $action, $scope, $note, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
OPTIONAL CALL (i) {
  WITH i WHERE i.status IN $sources
  WITH i, CASE $action.kind WHEN 'corrective' THEN 'CA' ELSE 'PA' END AS prefix,
       COUNT { (i)-[:HAS_ACTION]->(:Action {kind: $action.kind}) } + 1 AS n
  CREATE (i)-[:HAS_ACTION]->(a:Action {id: i.issue_id + '/' + prefix + n})
  SET a += $action, a.status = 'open', a.created_by = $user_id, a.created_at = datetime()
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Action', entity_key: a.id, after: 'open', by: $user_id, role: $role, at: datetime(), note: $note})
  CREATE (e)-[:ABOUT]->(a), (e)-[:ABOUT]->(i)
  RETURN a
}
RETURN a IS NOT NULL AS added, {{quality.ActionFields(a)}} AS action,
       {{scope.QualityIssueFields(i)}} AS issue

// name: lock_action
// Lock the action (as lock_issue) if its issue is in the caller's scope.
// mode: write
// params: $action_id, $scope
MATCH (i:QualityIssue)-[:HAS_ACTION]->(a:Action {id: $action_id})
WHERE {{scope.QualityIssue(i)}}
SET a._lock = true
REMOVE a._lock
RETURN count(a) AS locked

// name: action_state
// A locked action as the last committed write left it, whether the caller may edit it, and its
// issue's status.
// params: $action_id, $scope, $editor
MATCH (i:QualityIssue)-[:HAS_ACTION]->(a:Action {id: $action_id})
WHERE {{scope.QualityIssue(i)}}
RETURN a.status AS status, a.owner AS owner, {{quality.ActionEditable(a)}} AS editable,
       i.status AS issue_status

// name: change_action
// Move the action from one of $sources to $target (the same for an edit) with the fields given,
// stamping started_at, completed_at or cancelled_at, with an event. Nothing is written (changed
// false) unless it is still in one of $sources and the caller may edit it.
// mode: write
// params: $action_id, $sources, $target, $fields, $scope, $editor, $note, $user_id, $role, $operation
MATCH (i:QualityIssue)-[:HAS_ACTION]->(a:Action {id: $action_id})
WHERE {{scope.QualityIssue(i)}}
WITH i, a, a.status AS before
OPTIONAL CALL (i, a, before) {
  WITH i, a, before WHERE before IN $sources AND {{quality.ActionEditable(a)}}
  SET a += $fields,
      a.status = $target,
      a.started_at = CASE WHEN $target = 'in_progress' AND before <> $target THEN datetime() ELSE a.started_at END,
      a.completed_at = CASE WHEN $target = 'done' THEN datetime() ELSE a.completed_at END,
      a.cancelled_at = CASE WHEN $target = 'cancelled' THEN datetime() ELSE a.cancelled_at END,
      a.updated_at = datetime()
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Action', entity_key: a.id, before: before, after: $target, by: $user_id, role: $role, at: datetime(), note: $note})
  CREATE (e)-[:ABOUT]->(a), (e)-[:ABOUT]->(i)
  RETURN true AS changed
}
RETURN before, coalesce(changed, false) AS changed, {{quality.ActionFields(a)}} AS action,
       {{scope.QualityIssueFields(i)}} AS issue

// name: notify_suppliers
// A notification to each of $suppliers not yet notified of the (locked) issue, addressed to it
// (TO_SUPPLIER), with an event each. Nothing is written unless the issue is in one of $sources.
// mode: write
// params: $issue_id, $sources, $suppliers, $message, $scope, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}} AND i.status IN $sources
UNWIND $suppliers AS supplier_id
MATCH (s:Supplier {id: supplier_id})
WHERE NOT EXISTS { (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(s) }
CREATE (i)-[:NOTIFIED]->(n:SupplierNotification {id: i.issue_id + '/N-' + s.id})-[:TO_SUPPLIER]->(s)
SET n.notified_at = date(), n.message = $message, n.notified_by = $user_id
CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'SupplierNotification', entity_key: n.id, after: 'notified', by: $user_id, role: $role, at: datetime(), note: $message})
CREATE (e)-[:ABOUT]->(n), (e)-[:ABOUT]->(i)
WITH i, n ORDER BY n.id
WITH i, collect(n {.*}) AS notifications
RETURN notifications, {{scope.QualityIssueFields(i)}} AS issue

// name: lock_notification
// Lock the notification (as lock_issue) if it is addressed to the caller's supplier (or the
// caller is the plant).
// mode: write
// params: $notification_id, $scope
MATCH (n:SupplierNotification {id: $notification_id})
WHERE {{scope.SupplierNotification(n)}}
SET n._lock = true
REMOVE n._lock
RETURN count(n) AS locked

// name: notification_state
// Whether the locked notification was answered already.
// params: $notification_id, $scope
MATCH (n:SupplierNotification {id: $notification_id})
WHERE {{scope.SupplierNotification(n)}}
RETURN n.supplier_response IS NOT NULL AS answered

// name: respond
// The supplier's answer on its own notification: response, CAPA number, when and who, with an
// event. Nothing is written (answered false) when it was answered already.
// mode: write
// params: $notification_id, $response, $capa_number, $scope, $user_id, $role, $operation
MATCH (n:SupplierNotification {id: $notification_id})
WHERE {{scope.SupplierNotification(n)}}
OPTIONAL CALL (n) {
  WITH n WHERE n.supplier_response IS NULL
  SET n.supplier_response = $response,
      n.supplier_capa_number = $capa_number,
      n.responded_at = datetime(),
      n.responded_by = $user_id
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'SupplierNotification', entity_key: n.id, before: 'notified', after: 'answered', by: $user_id, role: $role, at: datetime(), note: $capa_number})
  CREATE (e)-[:ABOUT]->(n)
  WITH n, e
  CALL (n, e) {
    MATCH (i:QualityIssue)-[:NOTIFIED]->(n)
    CREATE (e)-[:ABOUT]->(i)
  }
  RETURN true AS answered
}
RETURN coalesce(answered, false) AS answered, n {.*} AS notification

// name: close_issue
// Close the (locked) issue, with an event, only if it is still in one of $sources, its
// investigation is closed and every action is done or cancelled (closed false otherwise).
// mode: write
// params: $issue_id, $sources, $finished, $scope, $note, $user_id, $role, $operation
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
WITH i, i.status AS before
OPTIONAL CALL (i, before) {
  WITH i, before WHERE before IN $sources
    AND EXISTS { (i)-[:HAS_INVESTIGATION]->(:Investigation {status: 'closed'}) }
    AND NOT EXISTS { (i)-[:HAS_ACTION]->(a:Action) WHERE NOT a.status IN $finished }
  SET i.status = 'closed', i.closed_at = datetime(), i.closed_by = $user_id
  CREATE (:Event {id: randomUUID(), operation: $operation, entity_label: 'QualityIssue', entity_key: i.issue_id, before: before, after: 'closed', by: $user_id, role: $role, at: datetime(), note: $note})-[:ABOUT]->(i)
  RETURN true AS closed
}
RETURN before, coalesce(closed, false) AS closed, {{scope.QualityIssueFields(i)}} AS issue

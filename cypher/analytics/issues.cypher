// Root-cause Pareto and cost of quality (issue 14 sections 2 and 3): quality issues grouped in
// the database, within the caller's scope. The issues counted pass the filter $filter
// ({date_from, date_to, severity, customer_id, part_number, supplier_id}; null fields do not
// filter) and scope.QualityIssue. An issue's:
// - root-cause category: its investigation's (null: 'uninvestigated');
// - suppliers and lots: the lots its investigation suspects and their suppliers, and the
//   supplier it was notified to (what the investigation blames, not every lot upstream: a bulk
//   lot upstream of everything would top every list);
// - machine, operator: those of the batch it was found in;
// - order, customer: the order the batch it was found in was made for, and its customer;
// - month: the calendar month it was detected in.
// Costs are null for roles that do not see quality costs, and a cost measure then ranks by key.

// fragment: IssueFilter(i)
// Which quality issues the analytics filter and the caller's scope select.
// params: $filter, $scope
// Bounds always given, so the planner can seek the detected_at index.
i.detected_at >= datetime({date: coalesce($filter.date_from, date('0001-01-01'))})
  AND i.detected_at < datetime({date: coalesce($filter.date_to, date('9999-12-30'))}) + duration('P1D')
  AND ($filter.severity IS NULL OR i.severity IN $filter.severity)
  AND ($filter.customer_id IS NULL OR EXISTS { (i)-[:FOUND_IN]->(:Batch)<-[:CONSUMED*0..]-(:Batch)-[:FOR_ORDER]->(:Order)<-[:PLACED]-(:Customer {id: $filter.customer_id}) })
  AND ($filter.part_number IS NULL OR EXISTS { (i)-[:FOUND_IN]->(:Batch)<-[:CONSUMED*0..]-(:Batch)-[:FOR_ORDER]->(:Order {part_number: $filter.part_number}) })
  AND ($filter.supplier_id IS NULL OR EXISTS { (i)-[:HAS_INVESTIGATION]->(:Investigation)-[:SUSPECTS]->(:MaterialLot)<-[:SUPPLIED]-(:Supplier {id: $filter.supplier_id}) }
    OR EXISTS { (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(:Supplier {id: $filter.supplier_id}) })
  AND {{scope.QualityIssue(i)}}

// name: issue_totals
// The issues the filter selects in all: count, parts affected, cost (null when hidden), and the
// cost split and the part charged to suppliers.
// params: $filter, $scope
MATCH (i:QualityIssue)
WHERE {{analytics.IssueFilter(i)}}
WITH count(i) AS issues, sum(coalesce(i.parts_affected, 0)) AS parts_affected,
  sum(coalesce(i.total_cost, 0.0)) AS total, sum(coalesce(i.scrap_cost, 0.0)) AS scrap,
  sum(coalesce(i.rework_cost, 0.0)) AS rework, sum(coalesce(i.downtime_cost, 0.0)) AS downtime,
  sum(coalesce(i.investigation_cost, 0.0)) AS investigation,
  sum(CASE WHEN i.charged_to_supplier THEN coalesce(i.total_cost, 0.0) ELSE 0.0 END) AS charged
WITH *, {{scope.QualityCostsShown(issues)}} AS shown
RETURN issues, parts_affected, CASE WHEN shown THEN total END AS cost,
  CASE WHEN shown THEN scrap END AS scrap, CASE WHEN shown THEN rework END AS rework,
  CASE WHEN shown THEN downtime END AS downtime,
  CASE WHEN shown THEN investigation END AS investigation,
  CASE WHEN shown THEN charged END AS charged

// name: pareto
// Issues per key of each dimension (root_cause, supplier, lot, machine, operator) in one pass over
// the issues selected: count, parts affected, cost; per dimension the $limit largest by $measure
// ('issues', 'parts_affected', 'cost'), ties by key, each with its share of the measure over all
// the issues selected and the running (cumulative) share down the list. An issue with no key in a
// dimension is in none of its rows; an issue with several (two suspected lots, two notified
// suppliers, found in batches of two machines) is in each, once, so those shares may add up to
// more than 100. Every issue has one root cause ('uninvestigated' without an investigation), so
// the root-cause rows add up to the whole the shares are taken of.
// For a caller who sees every row ($scope.rows 'all'; graph.analytics.pareto picks this query
// then, pareto_scoped otherwise): each issue's keys are those stored on it (ParetoKeys below),
// read as they are; walking each issue's relationships for them took most of the time on the
// 10M graph (issue 14 section 6). Suppliers, machines and operators are named after the grouping,
// for the few rows answered.
// params: $filter, $scope, $measure, $limit
MATCH (i:QualityIssue)
WHERE {{analytics.IssueFilter(i)}}
UNWIND [['root_cause', coalesce(i.pareto_root_cause, 'uninvestigated')]]
  + [x IN coalesce(i.pareto_lot_numbers, []) | ['lot', x]]
  + [x IN coalesce(i.pareto_supplier_ids, []) | ['supplier', x]]
  + [x IN coalesce(i.pareto_machine_ids, []) | ['machine', x]]
  + [x IN coalesce(i.pareto_operator_ids, []) | ['operator', x]] AS entry
WITH entry[0] AS dimension, entry[1] AS key, null AS name, count(i) AS issues,
  sum(coalesce(i.parts_affected, 0)) AS parts_affected, sum(coalesce(i.total_cost, 0.0)) AS cost
WITH *, CASE WHEN {{scope.QualityCostsShown(key)}} THEN true ELSE false END AS shown
WITH dimension, key, name, issues, parts_affected, shown, CASE WHEN shown THEN cost END AS cost,
  CASE $measure
    WHEN 'parts_affected' THEN toFloat(parts_affected)
    WHEN 'cost' THEN CASE WHEN shown THEN cost ELSE 0.0 END
    ELSE toFloat(issues) END AS measured
ORDER BY dimension, measured DESC, key
WITH dimension, shown, sum(measured) AS dimension_total, collect({key: key, name: name, issues: issues,
  parts_affected: parts_affected, cost: cost, measured: measured})[..$limit] AS rows
WITH collect({dimension: dimension, shown: shown, total: dimension_total, rows: rows}) AS dimensions
// Hidden costs leave nothing to share out: the shares of a cost measure are null then.
WITH [d IN dimensions | d {.dimension, .rows}] AS dimensions,
  CASE WHEN head([d IN dimensions WHERE d.dimension = 'root_cause' | d.total]) > 0
        AND ($measure <> 'cost' OR any(d IN dimensions WHERE d.shown))
       THEN 100.0 / head([d IN dimensions WHERE d.dimension = 'root_cause' | d.total]) END AS per
UNWIND dimensions AS d
WITH d.dimension AS dimension, d.rows AS rows, per
UNWIND range(0, size(rows) - 1) AS k
WITH dimension, k, rows[k] AS row, reduce(t = 0.0, r IN rows[..k + 1] | t + r.measured) AS running,
  per
// Machines and operators named now, for the few rows answered.
WITH dimension, k, row, running, per, CASE dimension
  WHEN 'machine' THEN COLLECT { MATCH (m:Machine {id: row.key}) RETURN m.name }[0]
  WHEN 'operator' THEN COLLECT { MATCH (o:Operator {id: row.key}) RETURN o.name }[0]
  WHEN 'supplier' THEN COLLECT { MATCH (s:Supplier {id: row.key}) RETURN s.name }[0]
  ELSE row.name END AS name
RETURN dimension, row.key AS key, name, row.issues AS issues,
  row.parts_affected AS parts_affected, row.cost AS cost, row.measured * per AS share,
  running * per AS cumulative
ORDER BY dimension, k

// name: pareto_scoped
// The rows of pareto (above) for a caller who does not see every row: the keys stored on an
// issue are not limited to the caller's scope (a buyer sees the suspected lots its own orders
// consumed, and only their suppliers; a supplier only itself and its own lots), so they are found
// from the issue's relationships within the scope.
// Each issue's keys are read with list comprehensions (its own relationships walked once) and
// grouped in one aggregation; machines and operators are those kept on its batches
// (Batch.machine_ids, operator_ids: cypher/analytics/upstream.cypher), named after the grouping.
// A subquery per issue, and reading each batch's relationships (a finished batch's include all
// its serials), cost most of the time on the 10M graph (issue 14 section 6).
// params: $filter, $scope, $measure, $limit
MATCH (i:QualityIssue)
WHERE {{analytics.IssueFilter(i)}}
WITH i, coalesce(i.parts_affected, 0) AS parts, coalesce(i.total_cost, 0.0) AS spent,
  [(i)-[r:HAS_INVESTIGATION|FOUND_IN|NOTIFIED]->(x) | [type(r), x]] AS links
WITH i, parts, spent, [l IN links WHERE l[0] = 'HAS_INVESTIGATION' | l[1]][0] AS inv,
  [l IN links WHERE l[0] = 'FOUND_IN' AND l[1]:Batch | [l[1].machine_ids, l[1].operator_ids]] AS ran,
  [l IN links WHERE l[0] = 'NOTIFIED' AND l[1]:SupplierNotification | l[1]] AS notices
WITH i, parts, spent, coalesce(inv.root_cause_category, 'uninvestigated') AS category,
  CASE WHEN inv:Investigation
    THEN [(inv)-[:SUSPECTS]->(l:MaterialLot) WHERE {{scope.MaterialLot(l)}} | l] ELSE [] END AS lots,
  ran,
  reduce(found = [], n IN notices
    | found + [(n)-[:TO_SUPPLIER]->(s:Supplier) WHERE {{scope.Supplier(s)}} | s]) AS notified
// Suppliers: those notified and those of the suspected lots the caller sees, each once.
WITH i, parts, spent, category, lots, ran,
  reduce(found = [], s IN notified
    + reduce(of = [], l IN lots | of + [(l)<-[:SUPPLIED]-(s:Supplier) WHERE {{scope.Supplier(s)}} | s])
    | CASE WHEN s IN found THEN found ELSE found + s END) AS blamed
// Machines and operators, each once (an issue is nearly always found in one batch).
WITH i, parts, spent, category, lots, blamed,
  CASE size(ran) WHEN 1 THEN [x IN coalesce(ran[0][0], []) | ['machine', x]] + [x IN coalesce(ran[0][1], []) | ['operator', x]]
  ELSE reduce(found = [], x IN reduce(all = [], r IN ran | all + [x IN coalesce(r[0], []) | ['machine', x]] + [x IN coalesce(r[1], []) | ['operator', x]])
              | CASE WHEN x IN found THEN found ELSE found + [x] END) END AS ran
UNWIND [['root_cause', category, null]] + [l IN lots | ['lot', l.lot_number, null]]
  + [s IN blamed | ['supplier', s.id, s.name]] + [x IN ran | x + [null]] AS entry
WITH entry[0] AS dimension, entry[1] AS key, entry[2] AS name, count(i) AS issues,
  sum(parts) AS parts_affected, sum(spent) AS cost
WITH *, CASE WHEN {{scope.QualityCostsShown(key)}} THEN true ELSE false END AS shown
WITH dimension, key, name, issues, parts_affected, shown, CASE WHEN shown THEN cost END AS cost,
  CASE $measure
    WHEN 'parts_affected' THEN toFloat(parts_affected)
    WHEN 'cost' THEN CASE WHEN shown THEN cost ELSE 0.0 END
    ELSE toFloat(issues) END AS measured
ORDER BY dimension, measured DESC, key
WITH dimension, shown, sum(measured) AS dimension_total, collect({key: key, name: name, issues: issues,
  parts_affected: parts_affected, cost: cost, measured: measured})[..$limit] AS rows
WITH collect({dimension: dimension, shown: shown, total: dimension_total, rows: rows}) AS dimensions
// Hidden costs leave nothing to share out: the shares of a cost measure are null then.
WITH [d IN dimensions | d {.dimension, .rows}] AS dimensions,
  CASE WHEN head([d IN dimensions WHERE d.dimension = 'root_cause' | d.total]) > 0
        AND ($measure <> 'cost' OR any(d IN dimensions WHERE d.shown))
       THEN 100.0 / head([d IN dimensions WHERE d.dimension = 'root_cause' | d.total]) END AS per
UNWIND dimensions AS d
WITH d.dimension AS dimension, d.rows AS rows, per
UNWIND range(0, size(rows) - 1) AS k
WITH dimension, k, rows[k] AS row, reduce(t = 0.0, r IN rows[..k + 1] | t + r.measured) AS running,
  per
// Machines and operators named now, for the few rows answered.
WITH dimension, k, row, running, per, CASE dimension
  WHEN 'machine' THEN COLLECT { MATCH (m:Machine {id: row.key}) RETURN m.name }[0]
  WHEN 'operator' THEN COLLECT { MATCH (o:Operator {id: row.key}) RETURN o.name }[0]
  ELSE row.name END AS name
RETURN dimension, row.key AS key, name, row.issues AS issues,
  row.parts_affected AS parts_affected, row.cost AS cost, row.measured * per AS share,
  running * per AS cumulative
ORDER BY dimension, k

// name: cost_page
// Cost of quality per key of $group ('month' as YYYY-MM, 'supplier', 'order', 'customer'):
// issues, the scrap / rework / downtime / investigation split, total and the part charged to
// suppliers; sorted by $sort ('total_desc', or 'key': months in order), after the cursor $after
// ({sk, key} or null), at most $limit rows.
// params: $filter, $scope, $group, $sort, $after, $limit
MATCH (i:QualityIssue)
WHERE {{analytics.IssueFilter(i)}}
CALL (i) {
  WITH i WHERE $group = 'month'
  RETURN left(toString(date(i.detected_at)), 7) AS key, null AS name
  UNION
  WITH i WHERE $group = 'supplier'
  CALL (i) {
    MATCH (i)-[:HAS_INVESTIGATION]->(:Investigation)-[:SUSPECTS]->(:MaterialLot)<-[:SUPPLIED]-(s:Supplier)
    RETURN s
    UNION
    MATCH (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(s:Supplier)
    RETURN s
  }
  WITH s WHERE {{scope.Supplier(s)}}
  RETURN s.id AS key, s.name AS name
  UNION
  WITH i WHERE $group IN ['order', 'customer']
  MATCH (i)-[:FOUND_IN]->(:Batch)-[:FOR_ORDER]->(o:Order)
  WHERE {{scope.Order(o)}}
  OPTIONAL MATCH (o)<-[:PLACED]-(c:Customer)
  WITH o, c WHERE $group = 'order' OR ({{scope.Customer(c)}})
  RETURN DISTINCT CASE $group WHEN 'order' THEN o.order_number ELSE c.id END AS key,
    CASE $group WHEN 'order' THEN o.part_number ELSE c.name END AS name
}
WITH key, name, i WHERE key IS NOT NULL
WITH key, name, count(i) AS issues, sum(coalesce(i.parts_affected, 0)) AS parts_affected,
  sum(coalesce(i.total_cost, 0.0)) AS total, sum(coalesce(i.scrap_cost, 0.0)) AS scrap,
  sum(coalesce(i.rework_cost, 0.0)) AS rework, sum(coalesce(i.downtime_cost, 0.0)) AS downtime,
  sum(coalesce(i.investigation_cost, 0.0)) AS investigation,
  sum(CASE WHEN i.charged_to_supplier THEN coalesce(i.total_cost, 0.0) ELSE 0.0 END) AS charged
WITH key, name, issues, parts_affected, {{scope.QualityCostsShown(key)}} AS shown, total, scrap,
  rework, downtime, investigation, charged
WITH key, name, issues, parts_affected, CASE WHEN shown THEN total END AS total,
  CASE WHEN shown THEN scrap END AS scrap, CASE WHEN shown THEN rework END AS rework,
  CASE WHEN shown THEN downtime END AS downtime,
  CASE WHEN shown THEN investigation END AS investigation,
  CASE WHEN shown THEN charged END AS charged
WITH *, CASE $sort WHEN 'total_desc' THEN -coalesce(total, 0.0) ELSE key END AS sk
WHERE $after IS NULL OR sk > $after.sk OR (sk = $after.sk AND key > $after.key)
RETURN sk, key, name, issues, parts_affected, total, scrap, rework, downtime, investigation,
  charged
ORDER BY sk, key
LIMIT $limit

// name: cost_count
// How many groups cost_page has for the same filter (totalCount).
// params: $filter, $scope, $group
MATCH (i:QualityIssue)
WHERE {{analytics.IssueFilter(i)}}
CALL (i) {
  WITH i WHERE $group = 'month'
  RETURN left(toString(date(i.detected_at)), 7) AS key
  UNION
  WITH i WHERE $group = 'supplier'
  CALL (i) {
    MATCH (i)-[:HAS_INVESTIGATION]->(:Investigation)-[:SUSPECTS]->(:MaterialLot)<-[:SUPPLIED]-(s:Supplier)
    RETURN s
    UNION
    MATCH (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(s:Supplier)
    RETURN s
  }
  WITH s WHERE {{scope.Supplier(s)}}
  RETURN s.id AS key
  UNION
  WITH i WHERE $group IN ['order', 'customer']
  MATCH (i)-[:FOUND_IN]->(:Batch)-[:FOR_ORDER]->(o:Order)
  WHERE {{scope.Order(o)}}
  OPTIONAL MATCH (o)<-[:PLACED]-(c:Customer)
  WITH o, c WHERE $group = 'order' OR ({{scope.Customer(c)}})
  RETURN CASE $group WHEN 'order' THEN o.order_number ELSE c.id END AS key
}
WITH DISTINCT key WHERE key IS NOT NULL
RETURN count(key) AS total

// name: issue_v1
// Per issue: the v1 response shape (seed 000 section 6.2): type, description, parts affected,
// severity, the day it was detected and the machine of the batch it was found in.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (i:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(i)}}
OPTIONAL MATCH (i)-[:FOUND_IN]->(:Batch)-[:RUN_ON]->(m:Machine)
WITH key, i, head(collect(m.id)) AS machine
RETURN key, [{type: i.type, description: i.description, parts_affected: i.parts_affected,
  severity: i.severity, date: date(i.detected_at), machine: coalesce(machine, '')}] AS items

// What the root-cause Pareto reads of each issue, kept on it (issue 14 section 6), each list
// sorted and distinct, computed from the issue's relationships:
// - QualityIssue.pareto_root_cause: its investigation's root-cause category ('uninvestigated'
//   without an investigation or a category);
// - pareto_lot_numbers: the lots its investigation suspects;
// - pareto_supplier_ids: the suppliers of those lots and the suppliers it was notified to;
// - pareto_machine_ids, pareto_operator_ids: those of the batches it was found in (RUN_ON,
//   OPERATED_BY).
// Kept right by every write that can change them, in its own transaction, under the issue's lock
// (graph.analytics.recompute_issue_keys, after the write): reportQualityIssue (FOUND_IN; a
// batch's machine and operator are written only when it is created), openInvestigation,
// updateInvestigation, startInvestigation and closeInvestigation (the category and the suspected
// lots); the loaders after a load (or a load's removal), migration 015 on an existing graph and
// `tracegraph analytics refresh` recompute every issue. notifySupplier writes NOTIFIED only to
// suppliers of the lots suspected then, already among the issue's suppliers, so it leaves them
// as they are. A lot's supplier is written with the lot (SUPPLIED), before anything can suspect
// it. Nothing else writes HAS_INVESTIGATION, SUSPECTS, NOTIFIED, TO_SUPPLIER, FOUND_IN or a
// root-cause category.

// fragment: ParetoKeys(i)
// The Pareto keys of issue i as a map of the properties above (computed: the walk the stored
// keys save).
{pareto_root_cause: coalesce(COLLECT { MATCH (i)-[:HAS_INVESTIGATION]->(pareto_inv:Investigation)
                                        RETURN pareto_inv.root_cause_category AS category }[0],
                              'uninvestigated'),
 pareto_lot_numbers: COLLECT { MATCH (i)-[:HAS_INVESTIGATION]->(:Investigation)-[:SUSPECTS]->(pareto_lot:MaterialLot)
                               RETURN DISTINCT pareto_lot.lot_number AS key ORDER BY key },
 pareto_supplier_ids: COLLECT { CALL (i) {
                                  MATCH (i)-[:HAS_INVESTIGATION]->(:Investigation)-[:SUSPECTS]->(:MaterialLot)<-[:SUPPLIED]-(pareto_supplier:Supplier)
                                  RETURN pareto_supplier
                                  UNION
                                  MATCH (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(pareto_supplier:Supplier)
                                  RETURN pareto_supplier
                                }
                                RETURN DISTINCT pareto_supplier.id AS key ORDER BY key },
 pareto_machine_ids: COLLECT { MATCH (i)-[:FOUND_IN]->(:Batch)-[:RUN_ON]->(pareto_machine:Machine)
                               RETURN DISTINCT pareto_machine.id AS key ORDER BY key },
 pareto_operator_ids: COLLECT { MATCH (i)-[:FOUND_IN]->(:Batch)-[:OPERATED_BY]->(pareto_operator:Operator)
                                RETURN DISTINCT pareto_operator.id AS key ORDER BY key }}

// name: recompute_issue_keys
// Recompute the Pareto keys stored on each issue of $issue_ids, after the caller's own writes in
// the same transaction.
// mode: write
// params: $issue_ids
MATCH (i:QualityIssue)
WHERE i.issue_id IN $issue_ids
SET i += {{analytics.ParetoKeys(i)}}
RETURN count(i) AS issues

// name: refresh_issue_keys
// Recompute the Pareto keys of one page of issues: at most $limit, by issue id after $after
// (null: from the first). Each issue is locked before its relationships are read, so a write that
// commits meanwhile is either seen or waits for this page and recomputes after it.
// mode: write
// params: $after, $limit
MATCH (i:QualityIssue)
WHERE i.issue_id > coalesce($after, '')
WITH i ORDER BY i.issue_id LIMIT $limit
SET i.issue_id = i.issue_id
SET i += {{analytics.ParetoKeys(i)}}
RETURN count(i) AS issues, max(i.issue_id) AS last

// The list (connection) queries: filters, scope, sort and keyset pagination in Cypher.
// <list>_page: rows (sk, node) after the cursor ($after: {sk, key} or null), ordered by the
// sort key sk then the entity key, at most $limit rows (the caller asks for first + 1).
// $sort is one of a fixed set of values mapped from a GraphQL enum; descending sorts negate
// a number so every order is ascending. <list>_count: totalCount for the same filter.

// fragment: suppliers_where(n)
// Which Supplier nodes the list's filter and the caller's scope select.
// params: $filter, $scope
($filter.status IS NULL OR n.status = $filter.status)
  AND ($filter.country IS NULL OR n.country = $filter.country)
  AND {{scope.Supplier(n)}}

// name: suppliers_page
// One page of Supplier nodes.
// params: $filter, $scope, $sort, $after, $limit
MATCH (n:Supplier)
WHERE {{api.suppliers_where(n)}}
WITH n, CASE $sort WHEN 'name' THEN n.name ELSE n.id END AS sk
WHERE $after IS NULL OR sk > $after.sk OR (sk = $after.sk AND n.id > $after.key)
RETURN sk, {{scope.SupplierFields(n)}} AS node
ORDER BY sk, n.id
LIMIT $limit

// name: suppliers_count
// How many Supplier nodes the filter selects.
// params: $filter, $scope
MATCH (n:Supplier)
WHERE {{api.suppliers_where(n)}}
RETURN count(n) AS total

// fragment: orders_where(n)
// Which Order nodes the list's filter and the caller's scope select.
// params: $filter, $scope
($filter.status IS NULL OR n.status = $filter.status)
  AND ($filter.workflow_status IS NULL OR n.workflow_status = $filter.workflow_status)
  AND ($filter.customer_id IS NULL OR EXISTS { (:Customer {id: $filter.customer_id})-[:PLACED]->(n) })
  AND ($filter.supplier_id IS NULL OR EXISTS { (n)-[:ASSIGNED_TO]->(:Supplier {id: $filter.supplier_id}) })
  AND ($filter.due_from IS NULL OR n.due_date >= $filter.due_from)
  AND ($filter.due_to IS NULL OR n.due_date <= $filter.due_to)
  AND ($filter.on_hold IS NULL OR (EXISTS { (n)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*1..]->(l:MaterialLot) WHERE {{holds.Holding(l)}} }
        OR EXISTS { (n)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->()<-[:HOLDS]-(:Recall {status: 'open'}) }
        OR EXISTS { (n)<-[:FOR_ORDER]-(:Batch)-[:PRODUCED]->(:Serial)<-[:HOLDS]-(:Recall {status: 'open'}) }) = $filter.on_hold)
  AND {{scope.Order(n)}}

// name: orders_page
// One page of Order nodes.
// params: $filter, $scope, $sort, $after, $limit
MATCH (n:Order)
WHERE {{api.orders_where(n)}}
WITH n, CASE $sort WHEN 'created_at_desc' THEN -coalesce(n.created_at.epochMillis, 0) WHEN 'due_date' THEN coalesce(datetime({date: n.due_date}).epochMillis, 0) ELSE n.order_number END AS sk
WHERE $after IS NULL OR sk > $after.sk OR (sk = $after.sk AND n.order_number > $after.key)
RETURN sk, {{scope.OrderFields(n)}} AS node
ORDER BY sk, n.order_number
LIMIT $limit

// name: orders_count
// How many Order nodes the filter selects.
// params: $filter, $scope
MATCH (n:Order)
WHERE {{api.orders_where(n)}}
RETURN count(n) AS total

// fragment: lots_where(n)
// Which MaterialLot nodes the list's filter and the caller's scope select.
// params: $filter, $scope
($filter.supplier_id IS NULL OR EXISTS { (:Supplier {id: $filter.supplier_id})-[:SUPPLIED]->(n) })
  AND ($filter.material_id IS NULL OR EXISTS { (n)-[:OF_MATERIAL]->(:Material {id: $filter.material_id}) })
  AND ($filter.quarantine_status IS NULL OR n.quarantine_status = $filter.quarantine_status)
  AND ($filter.inspection_result IS NULL OR n.inspection_result = $filter.inspection_result)
  AND ($filter.received_from IS NULL OR n.received_date >= $filter.received_from)
  AND ($filter.received_to IS NULL OR n.received_date <= $filter.received_to)
  AND ($filter.on_hold IS NULL OR (coalesce({{holds.Holding(n)}}, false)
        OR EXISTS { (n)<-[:HOLDS]-(:Recall {status: 'open'}) }) = $filter.on_hold)
  AND {{scope.MaterialLot(n)}}

// name: lots_page
// One page of MaterialLot nodes.
// params: $filter, $scope, $sort, $after, $limit
MATCH (n:MaterialLot)
WHERE {{api.lots_where(n)}}
WITH n, CASE $sort WHEN 'received_date_desc' THEN -coalesce(datetime({date: n.received_date}).epochMillis, 0) ELSE n.lot_number END AS sk
WHERE $after IS NULL OR sk > $after.sk OR (sk = $after.sk AND n.lot_number > $after.key)
RETURN sk, n{.*} AS node
ORDER BY sk, n.lot_number
LIMIT $limit

// name: lots_count
// How many MaterialLot nodes the filter selects.
// params: $filter, $scope
MATCH (n:MaterialLot)
WHERE {{api.lots_where(n)}}
RETURN count(n) AS total

// fragment: batches_where(n)
// Which Batch nodes the list's filter and the caller's scope select.
// params: $filter, $scope
($filter.order_number IS NULL OR EXISTS { (n)-[:FOR_ORDER]->(:Order {order_number: $filter.order_number}) })
  AND ($filter.lot_number IS NULL OR EXISTS { (n)-[:CONSUMED*1..]->(:MaterialLot {lot_number: $filter.lot_number}) })
  AND ($filter.status IS NULL OR n.status = $filter.status)
  AND ($filter.level IS NULL OR n.level = $filter.level)
  AND ($filter.produced_from IS NULL OR n.production_date >= $filter.produced_from)
  AND ($filter.produced_to IS NULL OR n.production_date <= $filter.produced_to)
  AND ($filter.on_hold IS NULL OR (EXISTS { (n)-[:CONSUMED*1..]->(l:MaterialLot) WHERE {{holds.Holding(l)}} }
        OR EXISTS { (n)-[:CONSUMED*0..]->()<-[:HOLDS]-(:Recall {status: 'open'}) }) = $filter.on_hold)
  AND {{scope.Batch(n)}}

// name: batches_page
// One page of Batch nodes.
// params: $filter, $scope, $sort, $after, $limit
MATCH (n:Batch)
WHERE {{api.batches_where(n)}}
WITH n, CASE $sort WHEN 'production_date_desc' THEN -coalesce(datetime({date: n.production_date}).epochMillis, 0) ELSE n.batch_id END AS sk
WHERE $after IS NULL OR sk > $after.sk OR (sk = $after.sk AND n.batch_id > $after.key)
RETURN sk, n{.*} AS node
ORDER BY sk, n.batch_id
LIMIT $limit

// name: batches_count
// How many Batch nodes the filter selects.
// params: $filter, $scope
MATCH (n:Batch)
WHERE {{api.batches_where(n)}}
RETURN count(n) AS total

// fragment: quality_issues_where(n)
// Which QualityIssue nodes the list's filter and the caller's scope select.
// params: $filter, $scope
($filter.supplier_id IS NULL OR EXISTS { (n)-[:FOUND_IN]->(:Batch)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(:Supplier {id: $filter.supplier_id}) })
  AND ($filter.order_number IS NULL OR EXISTS { (n)-[:FOUND_IN]->(:Batch)<-[:CONSUMED*0..]-(:Batch)-[:FOR_ORDER]->(:Order {order_number: $filter.order_number}) })
  AND ($filter.lot_number IS NULL OR EXISTS { (n)-[:FOUND_IN]->(:Batch)-[:CONSUMED*1..]->(:MaterialLot {lot_number: $filter.lot_number}) })
  AND ($filter.root_cause IS NULL OR EXISTS { (n)-[:HAS_INVESTIGATION]->(:Investigation {root_cause_category: $filter.root_cause}) })
  AND ($filter.severity IS NULL OR n.severity IN $filter.severity)
  AND ($filter.status IS NULL OR n.status IN $filter.status)
  AND ($filter.detected_from IS NULL OR n.detected_at >= datetime({date: $filter.detected_from}))
  AND ($filter.detected_to IS NULL OR n.detected_at < datetime({date: $filter.detected_to}) + duration('P1D'))
  AND {{scope.QualityIssue(n)}}

// name: quality_issues_page
// One page of QualityIssue nodes.
// params: $filter, $scope, $sort, $after, $limit
MATCH (n:QualityIssue)
WHERE {{api.quality_issues_where(n)}}
WITH n, CASE $sort WHEN 'detected_at_desc' THEN -coalesce(n.detected_at.epochMillis, 0) WHEN 'total_cost_desc' THEN -coalesce(n.total_cost, 0.0) ELSE n.issue_id END AS sk
WHERE $after IS NULL OR sk > $after.sk OR (sk = $after.sk AND n.issue_id > $after.key)
RETURN sk, {{scope.QualityIssueFields(n)}} AS node
ORDER BY sk, n.issue_id
LIMIT $limit

// name: quality_issues_count
// How many QualityIssue nodes the filter selects.
// params: $filter, $scope
MATCH (n:QualityIssue)
WHERE {{api.quality_issues_where(n)}}
RETURN count(n) AS total

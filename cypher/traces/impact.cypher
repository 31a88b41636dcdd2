// Impact analysis: what a recall of one material lot touches.

// name: impact
// Everything downstream of the lot (at most 20 genealogy levels: the API's hard bound), with
// totals: batches, serials, orders, customers, open issues (status other than 'closed') and the
// cost impact so far (sum of total_cost of every issue found in a downstream batch), plus the
// lot's quarantine status.
// params: $lot_number, $scope
MATCH (root:MaterialLot {lot_number: $lot_number})
OPTIONAL MATCH (supplier:Supplier)-[:SUPPLIED]->(root)
WITH root, supplier,
     {{scope.Supplier(supplier)}} AS visible
CALL (root) {
  CALL apoc.path.expandConfig(root, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 1, maxLevel: 20}) YIELD path
  WITH last(nodes(path)) AS b, length(path) AS depth
  WHERE b:Batch
    AND {{scope.OwnOrderBatch(b)}}
  WITH b, depth ORDER BY depth, b.batch_id
  RETURN collect(b) AS bs, collect(b {.batch_id, production_date: toString(b.production_date), .level, .status, .quantity, depth: depth}) AS batches
}
CALL (bs) {
  UNWIND bs AS b
  MATCH (b)-[:FOR_ORDER]->(o:Order)
  WHERE {{scope.Order(o)}}
  WITH DISTINCT o ORDER BY o.order_number
  OPTIONAL MATCH (c:Customer)-[:PLACED]->(o)
  RETURN collect(o {.order_number, .status, .part_number, customer_id: c.id}) AS orders,
         collect(DISTINCT c {.id, .name}) AS customers
}
CALL (bs) {
  UNWIND bs AS b
  MATCH (q:QualityIssue)-[:FOUND_IN]->(b)
  WITH q, min(b.batch_id) AS batch_id ORDER BY q.issue_id
  RETURN collect(q {.issue_id, .severity, .status, total_cost: CASE WHEN {{scope.QualityCostsShown(q)}} THEN q.total_cost END, detected_at: CASE WHEN q.detected_at IS NOT NULL THEN toString(datetime.fromepoch(q.detected_at.epochSeconds, q.detected_at.nanosecond)) END, batch_id: batch_id}) AS issues,
         count(CASE WHEN q.status <> 'closed' THEN 1 END) AS open_issue_count,
         CASE WHEN {{scope.QualityCostsShown(q)}} THEN sum(coalesce(q.total_cost, 0.0)) END AS cost_impact
}
CALL (bs) {
  UNWIND bs AS b
  RETURN sum(COUNT { (b)-[:PRODUCED]->() }) AS serial_count
}
RETURN root.lot_number AS lot_number, root.quarantine_status AS quarantine_status,
       supplier.id AS supplier_id, visible, batches, orders, customers, issues,
       serial_count, open_issue_count, cost_impact

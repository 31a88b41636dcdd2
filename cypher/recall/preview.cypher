// previewRecall (issue 13 §2): what a recall of a scope would touch, read without writing. The
// scope is exactly one of: lots ($lot_numbers), batches ($batch_ids), a serial range
// ($serial_from..$serial_to, inclusive, by serial number) or a supplier's lots received in a date
// range ($supplier_id, $received_from, $received_to: either end open).
// Lots and batches reach every batch downstream (APOC, NODE_GLOBAL: each batch once) and every
// serial those batches produced; a serial range is its own serials, their batches and orders. A
// buyer sees only the batches made for its own orders (as in the forward trace), and every list
// keeps to the caller's scope.

// fragment: Shipped(o)
// Whether order o left the plant: its workflow status is one of $shipped_states, or (loaded
// without one) its status is completed.
// params: $shipped_states
coalesce(o.workflow_status IN $shipped_states, o.status = 'completed', false)

// name: preview
// The scope's batches, serials (numbers, shipped and in-house counts), orders, customers with
// their contacts (the users representing them), open quality issues and the cost so far; found
// lists the scope keys the caller may read (the rest are unknown or out of scope).
// params: $lot_numbers, $batch_ids, $serial_from, $serial_to, $supplier_id, $received_from, $received_to, $shipped_states, $scope
WITH CASE
       WHEN $lot_numbers IS NOT NULL THEN COLLECT { MATCH (l:MaterialLot) WHERE l.lot_number IN $lot_numbers AND {{scope.MaterialLot(l)}} RETURN l ORDER BY l.lot_number }
       WHEN $batch_ids IS NOT NULL THEN COLLECT { MATCH (b:Batch) WHERE b.batch_id IN $batch_ids AND {{scope.Batch(b)}} RETURN b ORDER BY b.batch_id }
       WHEN $supplier_id IS NOT NULL THEN COLLECT {
         MATCH (s:Supplier {id: $supplier_id})-[:SUPPLIED]->(l:MaterialLot)
         WHERE {{scope.Supplier(s)}} AND {{scope.MaterialLot(l)}}
           AND ($received_from IS NULL OR l.received_date >= $received_from)
           AND ($received_to IS NULL OR l.received_date <= $received_to)
         RETURN l ORDER BY l.lot_number }
       ELSE [] END AS starts,
     CASE WHEN $serial_from IS NOT NULL THEN COLLECT {
         MATCH (s:Serial) WHERE s.serial_number >= $serial_from AND s.serial_number <= $serial_to AND {{scope.Serial(s)}}
         RETURN s ORDER BY s.serial_number }
       ELSE [] END AS range_serials,
     $serial_from IS NOT NULL AS by_serials
CALL (starts) {
  WITH starts WHERE size(starts) > 0
  CALL apoc.path.expandConfig(starts, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 0}) YIELD path
  WITH last(nodes(path)) AS b, length(path) AS depth
  WHERE b:Batch AND {{scope.OwnOrderBatch(b)}}
  WITH b, depth ORDER BY depth, b.batch_id
  RETURN collect({b: b, depth: depth}) AS walked
}
CALL (range_serials) {
  UNWIND range_serials AS s
  MATCH (b:Batch)-[:PRODUCED]->(s)
  WITH DISTINCT b ORDER BY b.batch_id
  RETURN collect({b: b, depth: 0}) AS serial_batches
}
WITH starts, range_serials, by_serials, walked + serial_batches AS reached
WITH starts, range_serials, by_serials, reached, [r IN reached | r.b] AS bs
CALL (bs, range_serials, by_serials) {
  // Serial numbers by the batch that produced them, so whether they shipped (with the batch's
  // order) is decided once per batch, not once per serial.
  CALL (bs, range_serials, by_serials) {
    WITH range_serials WHERE by_serials
    UNWIND range_serials AS s
    MATCH (b:Batch)-[:PRODUCED]->(s)
    RETURN b, collect(s.serial_number) AS numbers
    UNION
    WITH bs WHERE NOT by_serials
    UNWIND bs AS b
    RETURN b, COLLECT { MATCH (b)-[:PRODUCED]->(s:Serial) RETURN s.serial_number } AS numbers
  }
  WITH numbers, any(o IN [(b)-[:FOR_ORDER]->(o:Order) | o] WHERE {{recall.Shipped(o)}}) AS shipped
  UNWIND numbers AS number
  // A serial two batches claim counts once, shipped if either's order shipped.
  WITH number, max(CASE WHEN shipped THEN 1 ELSE 0 END) AS shipped
  ORDER BY number
  RETURN collect(number) AS serial_numbers, count(number) AS serial_count, sum(shipped) AS shipped_units
}
CALL (bs) {
  UNWIND bs AS b
  MATCH (b)-[:FOR_ORDER]->(o:Order)
  WHERE {{scope.Order(o)}}
  WITH DISTINCT o ORDER BY o.order_number
  OPTIONAL MATCH (c:Customer)-[:PLACED]->(o)
  RETURN collect(o {.order_number, .status, .workflow_status, .part_number, .quantity, customer_id: c.id, shipped: {{recall.Shipped(o)}}}) AS orders,
         collect(DISTINCT c) AS placed_by
}
CALL (placed_by) {
  UNWIND placed_by AS c
  WITH c WHERE {{scope.Customer(c)}}
  WITH c ORDER BY c.id
  RETURN collect(c {.id, .name, .country, contacts: COLLECT { MATCH (u:User)-[:REPRESENTS]->(c) RETURN u {.id, .name, .email} ORDER BY u.id }}) AS customers
}
CALL (bs) {
  UNWIND bs AS b
  MATCH (q:QualityIssue)-[:FOUND_IN]->(b)
  WITH q, min(b.batch_id) AS batch_id ORDER BY q.issue_id
  RETURN collect(CASE WHEN q.status <> 'closed' THEN q {.issue_id, .severity, .status, total_cost: CASE WHEN {{scope.QualityCostsShown(q)}} THEN q.total_cost END, detected_at: CASE WHEN q.detected_at IS NOT NULL THEN toString(datetime.fromepoch(q.detected_at.epochSeconds, q.detected_at.nanosecond)) END, batch_id: batch_id} END) AS open_issues,
         CASE WHEN {{scope.QualityCostsShown(q)}} THEN sum(coalesce(q.total_cost, 0.0)) END AS cost_so_far
}
RETURN [n IN starts | coalesce(n.lot_number, n.batch_id)] AS found,
       [r IN reached | {batch_id: r.b.batch_id, status: r.b.status, level: r.b.level, quantity: r.b.quantity, production_date: toString(r.b.production_date), depth: r.depth}] AS batches,
       serial_numbers, serial_count, shipped_units, orders, customers, open_issues, cost_so_far

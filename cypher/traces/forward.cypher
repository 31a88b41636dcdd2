// Forward traces: a lot, a batch or every lot of a supplier -> everything downstream.
// CONSUMED points from the consumer to its input, so downstream is `<CONSUMED`. The genealogy is
// walked with APOC breadth-first under NODE_GLOBAL uniqueness: every batch is reached once, by a
// shortest path (its depth), so diamonds, splits/merges and CONSUMED cycles never repeat rows
// (measured against a var-length pattern with PROFILE, see docs/analysts.md).
// Exactly one of $lot_number, $batch_id, $supplier_id is non-null. $scope is the caller:
// {role: 'admin'|'buyer'|'supplier', customer_id, supplier_id}.

// name: forward
// Forward trace summary: the root, every downstream batch with its depth (lot-consumers are depth
// 1, a root batch is depth 0), their orders, customers and quality issues, the serial count and
// one page of serials ($first rows after serial number $after; batches in listed order, serial
// numbers within a batch).
// params: $lot_number, $batch_id, $supplier_id, $max_depth, $scope, $first, $after
OPTIONAL MATCH (lot:MaterialLot {lot_number: $lot_number})
OPTIONAL MATCH (batch:Batch {batch_id: $batch_id})
OPTIONAL MATCH (supplier:Supplier {id: $supplier_id})
WITH coalesce(lot, batch, supplier) AS root
WHERE root IS NOT NULL
WITH root,
     CASE WHEN root:Supplier THEN [(root)-[:SUPPLIED]->(l:MaterialLot) | l] ELSE [root] END AS starts,
     {{scope.ForwardRoot(root)}} AS visible
CALL (starts) {
  CALL apoc.path.expandConfig(starts, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 0, maxLevel: $max_depth}) YIELD path
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
  RETURN collect(q {.issue_id, .severity, .status, total_cost: CASE WHEN {{scope.QualityCostsShown(q)}} THEN q.total_cost END, detected_at: CASE WHEN q.detected_at IS NOT NULL THEN toString(datetime.fromepoch(q.detected_at.epochSeconds, q.detected_at.nanosecond)) END, batch_id: batch_id}) AS issues
}
CALL (bs) {
  UNWIND bs AS b
  RETURN sum(COUNT { (b)-[:PRODUCED]->() }) AS serial_count
}
CALL (bs) {
  // Page order: batches as listed (depth, batch id), serial number within a batch. Batches are
  // read lazily, so a page touches only the batches it shows, never all downstream serials.
  OPTIONAL MATCH (cursor_batch:Batch)-[:PRODUCED]->(:Serial {serial_number: $after})
  WITH bs, CASE WHEN $after IS NULL THEN 0
                ELSE coalesce([i IN range(0, size(bs) - 1) WHERE bs[i] = cursor_batch][0], size(bs)) END AS start
  UNWIND range(start, size(bs) - 1) AS i
  WITH bs[i] AS b, $after IS NOT NULL AND i = start AS in_cursor_batch
  CALL (b, in_cursor_batch) {
    MATCH (b)-[:PRODUCED]->(s)
    WHERE NOT in_cursor_batch OR s.serial_number > $after
    RETURN s ORDER BY s.serial_number
  }
  WITH b, s LIMIT $first + 1
  RETURN collect(s {.serial_number, .status, batch_id: b.batch_id}) AS serials
}
RETURN root {label: labels(root)[0], key: coalesce(root.lot_number, root.batch_id, root.id)} AS root,
       visible, batches, orders, customers, issues, serial_count,
       serials[..$first] AS serials, size(serials) > $first AS has_next_page

// name: forward_serial_numbers
// Every downstream serial number as a flat, sorted list of strings (recall exports).
// params: $lot_number, $batch_id, $supplier_id, $max_depth, $scope
OPTIONAL MATCH (lot:MaterialLot {lot_number: $lot_number})
OPTIONAL MATCH (batch:Batch {batch_id: $batch_id})
OPTIONAL MATCH (supplier:Supplier {id: $supplier_id})
WITH coalesce(lot, batch, supplier) AS root
WHERE root IS NOT NULL
WITH root,
     CASE WHEN root:Supplier THEN [(root)-[:SUPPLIED]->(l:MaterialLot) | l] ELSE [root] END AS starts,
     {{scope.ForwardRoot(root)}} AS visible
CALL (starts) {
  CALL apoc.path.expandConfig(starts, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 0, maxLevel: $max_depth}) YIELD path
  WITH last(nodes(path)) AS b
  WHERE b:Batch
    AND {{scope.OwnOrderBatch(b)}}
  MATCH (b)-[:PRODUCED]->(s)
  WITH s.serial_number AS sn ORDER BY sn
  RETURN collect(sn) AS serial_numbers
}
RETURN visible, serial_numbers

// name: forward_subgraph
// The forward trace as nodes and edges for a graph viewer: root, batches (by depth), orders,
// customers, issues, then serials, cut at $limit nodes; edges only between kept nodes.
// params: $lot_number, $batch_id, $supplier_id, $max_depth, $scope, $limit
OPTIONAL MATCH (lot:MaterialLot {lot_number: $lot_number})
OPTIONAL MATCH (batch:Batch {batch_id: $batch_id})
OPTIONAL MATCH (supplier:Supplier {id: $supplier_id})
WITH coalesce(lot, batch, supplier) AS root
WHERE root IS NOT NULL
WITH root,
     CASE WHEN root:Supplier THEN [(root)-[:SUPPLIED]->(l:MaterialLot) | l] ELSE [root] END AS starts,
     {{scope.ForwardRoot(root)}} AS visible
CALL (starts) {
  CALL apoc.path.expandConfig(starts, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 0, maxLevel: $max_depth}) YIELD path
  WITH last(nodes(path)) AS n, length(path) AS depth
  WHERE (n:MaterialLot AND {{scope.MaterialLot(n)}}) OR (n:Batch AND {{scope.OwnOrderBatch(n)}})
  WITH n ORDER BY depth
  RETURN collect(n) AS genealogy
}
CALL (genealogy) {
  UNWIND genealogy AS b
  MATCH (b:Batch)-[:FOR_ORDER]->(o:Order)
  WHERE {{scope.Order(o)}}
  OPTIONAL MATCH (c:Customer)-[:PLACED]->(o)
  RETURN collect(DISTINCT o) + collect(DISTINCT c) AS sales
}
CALL (genealogy) {
  UNWIND genealogy AS b
  MATCH (q:QualityIssue)-[:FOUND_IN]->(b:Batch)
  RETURN collect(DISTINCT q) AS issues
}
CALL (genealogy) {
  UNWIND genealogy AS b
  MATCH (b:Batch)-[:PRODUCED]->(s:Serial)
  WITH s ORDER BY s.serial_number LIMIT $limit + 1
  RETURN collect(s) AS serials
}
WITH visible, [root] + [n IN genealogy WHERE n <> root] + sales + issues + serials AS everything
WITH visible, everything[..$limit] AS kept, size(everything) > $limit AS truncated
CALL (kept) {
  UNWIND kept AS n
  MATCH (n)-[r:CONSUMED|PRODUCED|FOR_ORDER|PLACED|FOUND_IN|SUPPLIED]->(m)
  WHERE m IN kept
  RETURN collect({source: elementId(n), target: elementId(m), type: type(r)}) AS edges
}
RETURN visible, truncated,
       [n IN kept | {id: elementId(n), label: labels(n)[0], key: coalesce(n.lot_number, n.batch_id, n.serial_number, n.order_number, n.issue_id, n.id)}] AS nodes,
       edges

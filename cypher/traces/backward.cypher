// Backward traces: a serial, a batch or a quality issue -> the batches, lots, materials and
// suppliers behind it. Upstream is `CONSUMED>`; APOC breadth-first with NODE_GLOBAL uniqueness
// reaches each batch and lot once, by its shortest path (cycles and diamonds are safe).
// Exactly one of $serial_number, $batch_id, $issue_id is non-null. Dates and instants are returned
// as ISO strings (instants in UTC): hydrating the driver's temporal types cost more than the query.

// name: backward
// Backward trace: the chain of batches (depth 0 = the batch that made the serial / where the
// issue was found), the lots with their supplier and material, the suppliers and materials, and a
// timeline (lot received -> consumed -> batch produced -> issue found) sorted by time.
// params: $serial_number, $batch_id, $issue_id, $max_depth, $scope
OPTIONAL MATCH (serial:Serial {serial_number: $serial_number})
OPTIONAL MATCH (batch:Batch {batch_id: $batch_id})
OPTIONAL MATCH (issue:QualityIssue {issue_id: $issue_id})
WITH coalesce(serial, batch, issue) AS root
WHERE root IS NOT NULL
WITH root,
     CASE
       WHEN root:Serial THEN [(b:Batch)-[:PRODUCED]->(root) | b]
       WHEN root:QualityIssue THEN apoc.coll.toSet([(root)-[:FOUND_IN]->(b:Batch) | b] + [(root)-[:AFFECTS]->(:Serial)<-[:PRODUCED]-(b:Batch) | b])
       ELSE [root]
     END AS starts
WITH root, starts,
     {{scope.BackwardStarts(starts)}} AS visible
CALL (starts) {
  CALL apoc.path.expandConfig(starts, {relationshipFilter: 'CONSUMED>', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 0, maxLevel: $max_depth}) YIELD path
  WITH last(nodes(path)) AS n, length(path) AS depth
  WITH n, depth ORDER BY depth, coalesce(n.batch_id, n.lot_number)
  WITH n, depth, n:Batch AND {{scope.BackwardBatch(n)}} AS shown_batch
  RETURN collect(CASE WHEN shown_batch THEN n END) AS batch_hits,
         collect(CASE WHEN shown_batch THEN n {.batch_id, production_date: toString(n.production_date), .level, .status, .quantity, depth: depth} END) AS batches,
         collect(CASE WHEN n:MaterialLot THEN {n: n, depth: depth} END) AS lot_hits
}
CALL (lot_hits) {
  UNWIND lot_hits AS h
  WITH h.n AS l, h.depth AS depth
  OPTIONAL MATCH (s:Supplier)-[:SUPPLIED]->(l)
  OPTIONAL MATCH (l)-[:OF_MATERIAL]->(m:Material)
  WITH l, depth, s, m
  WHERE {{scope.Supplier(s)}}
  RETURN collect(l {.lot_number, .quarantine_status, received_date: toString(l.received_date), .quantity, .unit, depth: depth, supplier_id: s.id, material_id: m.id}) AS lots,
         collect(DISTINCT s {.id, .name, .status}) AS suppliers,
         collect(DISTINCT m {.id, .name}) AS materials,
         collect(l) AS ls
}
CALL (batch_hits, ls) {
  CALL (batch_hits, ls) {
    UNWIND batch_hits AS b
    MATCH (b)-[c:CONSUMED]->(input)
    WHERE input IN batch_hits OR input IN ls
    RETURN datetime({date: b.production_date}) AS at, 1 AS rank, 'consumed' AS kind,
           coalesce(input.lot_number, input.batch_id) AS subject,
           b.batch_id + ' consumed ' + coalesce(toString(c.quantity) + ' ' + coalesce(c.unit, ''), 'some') + ' of ' + coalesce(input.lot_number, input.batch_id) AS detail
    UNION ALL
    UNWIND batch_hits AS b
    RETURN datetime({date: b.production_date}) AS at, 2 AS rank, 'batch_produced' AS kind,
           b.batch_id AS subject, b.batch_id + ' produced ' + coalesce(toString(b.quantity), '?') + ' units' AS detail
    UNION ALL
    UNWIND batch_hits AS b
    MATCH (q:QualityIssue)-[:FOUND_IN]->(b)
    RETURN q.detected_at AS at, 3 AS rank, 'issue_found' AS kind,
           q.issue_id AS subject, q.issue_id + ' found in ' + b.batch_id + ' (' + coalesce(q.severity, '?') + ')' AS detail
    UNION ALL
    UNWIND ls AS l
    RETURN datetime({date: l.received_date}) AS at, 0 AS rank, 'lot_received' AS kind,
           l.lot_number AS subject, l.lot_number + ' received' AS detail
  }
  WITH at, rank, kind, subject, detail
  WHERE at IS NOT NULL
  ORDER BY at, rank, subject
  RETURN collect({at: toString(datetime.fromepoch(at.epochSeconds, at.nanosecond)), kind: kind, subject: subject, detail: detail}) AS timeline
}
RETURN root {label: labels(root)[0], key: coalesce(root.serial_number, root.batch_id, root.issue_id)} AS root,
       visible,
       batches,
       lots, suppliers, materials, timeline

// name: backward_subgraph
// The backward trace as nodes and edges for a graph viewer: root, batches, lots, suppliers,
// materials, cut at $limit nodes; edges only between kept nodes.
// params: $serial_number, $batch_id, $issue_id, $max_depth, $scope, $limit
OPTIONAL MATCH (serial:Serial {serial_number: $serial_number})
OPTIONAL MATCH (batch:Batch {batch_id: $batch_id})
OPTIONAL MATCH (issue:QualityIssue {issue_id: $issue_id})
WITH coalesce(serial, batch, issue) AS root
WHERE root IS NOT NULL
WITH root,
     CASE
       WHEN root:Serial THEN [(b:Batch)-[:PRODUCED]->(root) | b]
       WHEN root:QualityIssue THEN apoc.coll.toSet([(root)-[:FOUND_IN]->(b:Batch) | b] + [(root)-[:AFFECTS]->(:Serial)<-[:PRODUCED]-(b:Batch) | b])
       ELSE [root]
     END AS starts
WITH root, starts,
     {{scope.BackwardStarts(starts)}} AS visible
CALL (starts) {
  CALL apoc.path.expandConfig(starts, {relationshipFilter: 'CONSUMED>', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 0, maxLevel: $max_depth}) YIELD path
  WITH last(nodes(path)) AS n, length(path) AS depth
  OPTIONAL MATCH (s:Supplier)-[:SUPPLIED]->(n:MaterialLot)
  WITH n, depth, s
  WHERE (n:Batch AND {{scope.BackwardBatch(n)}}) OR (n:MaterialLot AND {{scope.Supplier(s)}})
  OPTIONAL MATCH (n:MaterialLot)-[:OF_MATERIAL]->(m:Material)
  WITH n, s, m ORDER BY depth
  RETURN collect(n) AS genealogy, collect(DISTINCT s) + collect(DISTINCT m) AS sources
}
WITH visible, [root] + [n IN genealogy WHERE n <> root] + sources AS everything
WITH visible, everything[..$limit] AS kept, size(everything) > $limit AS truncated
CALL (kept) {
  UNWIND kept AS n
  MATCH (n)-[r:CONSUMED|PRODUCED|FOUND_IN|AFFECTS|SUPPLIED|OF_MATERIAL]->(m)
  WHERE m IN kept
  RETURN collect({source: elementId(n), target: elementId(m), type: type(r)}) AS edges
}
RETURN visible, truncated,
       [n IN kept | {id: elementId(n), label: labels(n)[0], key: coalesce(n.lot_number, n.batch_id, n.serial_number, n.issue_id, n.id)}] AS nodes,
       edges

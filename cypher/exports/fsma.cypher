// FSMA 204 sortable spreadsheet (issue 13 §4): one row per critical tracking event, with its key
// data elements. The column mapping (what comes from which property, what the model lacks) is
// in docs/api.md, "FSMA 204 export".

// fragment: ShippedOn(o)
// The day order o shipped: its first change to a shipped state ($shipped_states), else the day
// its 'shipped' stage completed; null when neither is recorded (a loaded order).
// params: $shipped_states
coalesce(
  head(COLLECT { MATCH (o)-[:STATUS_CHANGED]->(sc:OrderStatusChange) WHERE sc.to_status IN $shipped_states RETURN date(sc.changed_at) AS day ORDER BY day LIMIT 1 }),
  head(COLLECT { MATCH (o)-[:HAS_STAGE]->(st:ProductionStage {name: 'shipped'}) WHERE st.completed_at IS NOT NULL RETURN date(st.completed_at) AS day ORDER BY day LIMIT 1 }))

// fragment: InRange(day)
// Whether a day is within [$from, $to] (either end open); with a range, an event without a date
// is outside it.
// params: $from, $to
(($from IS NULL AND $to IS NULL) OR (day IS NOT NULL AND ($from IS NULL OR day >= $from) AND ($to IS NULL OR day <= $to)))

// name: lot_visible
// Whether the lot exists and the caller may read it (an unknown lot and a hidden one answer alike).
// params: $lot_number, $scope
OPTIONAL MATCH (l:MaterialLot {lot_number: $lot_number})
RETURN l IS NOT NULL AND {{scope.MaterialLot(l)}} AS visible

// name: rows
// The events of a lot ($lot_number: its receiving, every batch made from it at any depth, and the
// shipping of those batches' orders that shipped) or, without a lot, of every lot received,
// batch produced and order shipped in [$from, $to]; a range with a lot keeps the lot's events in
// the range. Each row passes the caller's scope (its lot, batch or order). Sorted by $sort (a
// column name; $descending), then by date, event, lot code, source and receiver so that every
// order is total and two exports of the same graph are identical. The three kinds of event are
// one UNION ALL, rows and not lists: Neo4j holds only what the sort needs.
// params: $lot_number, $from, $to, $sort, $descending, $shipped_states, $scope
OPTIONAL MATCH (root:MaterialLot {lot_number: $lot_number})
WITH root WHERE $lot_number IS NULL OR (root IS NOT NULL AND {{scope.MaterialLot(root)}})
// OPTIONAL: a lot nothing consumed yet, and a range, still answer.
OPTIONAL CALL (root) {
  WITH root WHERE root IS NOT NULL
  CALL apoc.path.expandConfig(root, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 1}) YIELD path
  RETURN last(nodes(path)) AS b
}
WITH root, collect(b) AS batches
// Membership by element id in a map: a list's IN would be quadratic in the batches reached.
WITH root, batches, CASE WHEN root IS NULL THEN {} ELSE apoc.map.fromPairs([n IN [root] + batches | [elementId(n), true]]) END AS reached
CALL (root, batches, reached) {
  CALL (root) {
    WITH root WHERE root IS NOT NULL
    RETURN root AS l
    UNION
    WITH root WHERE root IS NULL
    MATCH (l:MaterialLot) WHERE ($from IS NULL OR l.received_date >= $from) AND ($to IS NULL OR l.received_date <= $to)
    RETURN l
  }
  WITH l WHERE {{scope.MaterialLot(l)}}
  OPTIONAL MATCH (s:Supplier)-[:SUPPLIED]->(l)
  WITH l, s, l.received_date AS day WHERE {{exports.InRange(day)}}
  RETURN 'receiving' AS event, 1 AS rank, l.lot_number AS traceability_lot_code,
         head(COLLECT { MATCH (l)-[:OF_MATERIAL]->(m:Material) RETURN m.name ORDER BY m.id LIMIT 1 }) AS product,
         toFloat(l.quantity) AS quantity, l.unit AS unit, null AS location, day,
         null AS reference_document,
         CASE WHEN s IS NULL THEN null ELSE s.name + ' (' + s.id + coalesce(', ' + s.country, '') + ')' END AS source,
         null AS receiver, null AS input_quantity, null AS input_unit
  UNION ALL
  CALL (root, batches) {
    WITH root, batches WHERE root IS NOT NULL
    UNWIND batches AS b
    RETURN b
    UNION
    WITH root WHERE root IS NULL
    MATCH (b:Batch) WHERE ($from IS NULL OR b.production_date >= $from) AND ($to IS NULL OR b.production_date <= $to)
    RETURN b
  }
  WITH b WHERE {{scope.Batch(b)}}
  MATCH (b)-[c:CONSUMED]->(input)
  // With a lot, only the inputs on its way down (the lot or a batch made from it); and only
  // inputs the caller may read (a supplier does not learn another supplier's lot numbers).
  WHERE (root IS NULL OR reached[elementId(input)])
    AND ((input:MaterialLot AND {{scope.MaterialLot(input)}}) OR (input:Batch AND {{scope.Batch(input)}}))
  WITH b, c, input, b.production_date AS day WHERE {{exports.InRange(day)}}
  OPTIONAL MATCH (b)-[:RUN_ON]->(mc:Machine)
  RETURN 'transformation' AS event, 2 AS rank, b.batch_id AS traceability_lot_code,
         head(COLLECT { MATCH (b)-[:FOR_ORDER]->(o:Order) RETURN coalesce(o.product_type + ' ' + o.part_number, o.part_number) AS p ORDER BY p LIMIT 1 }) AS product,
         toFloat(b.quantity) AS quantity, CASE WHEN b.quantity IS NULL THEN null ELSE 'each' END AS unit,
         CASE WHEN mc IS NULL THEN null ELSE coalesce('line ' + mc.line + ', ', '') + 'machine ' + mc.id END AS location,
         day, 'batch record ' + b.batch_id AS reference_document,
         coalesce(input.lot_number, input.batch_id) AS source, null AS receiver,
         toFloat(c.quantity) AS input_quantity,
         CASE WHEN input:Batch THEN coalesce(c.unit, 'each') ELSE coalesce(c.unit, input.unit) END AS input_unit
  UNION ALL
  // With a lot, the orders of its batches; in a range, every shipped order (a batch made before
  // the range may ship in it), found by the status indexes: its day is read once per order.
  CALL (root, batches) {
    WITH root, batches WHERE root IS NOT NULL
    UNWIND batches AS b
    MATCH (b)-[:FOR_ORDER]->(o:Order)
    WHERE {{recall.Shipped(o)}}
    RETURN b, o, {{exports.ShippedOn(o)}} AS day
    UNION
    WITH root WHERE root IS NULL
    CALL () {
      MATCH (o:Order) WHERE o.workflow_status IN $shipped_states RETURN o
      UNION
      MATCH (o:Order) WHERE o.status = 'completed' AND o.workflow_status IS NULL RETURN o
    }
    WITH o, {{exports.ShippedOn(o)}} AS day
    WHERE {{exports.InRange(day)}}
    MATCH (b:Batch)-[:FOR_ORDER]->(o)
    RETURN b, o, day
  }
  WITH b, o, day WHERE {{scope.Order(o)}} AND {{exports.InRange(day)}}
  OPTIONAL MATCH (cu:Customer)-[:PLACED]->(o)
  RETURN 'shipping' AS event, 3 AS rank, b.batch_id AS traceability_lot_code,
         coalesce(o.product_type + ' ' + o.part_number, o.part_number) AS product,
         toFloat(b.quantity) AS quantity, CASE WHEN b.quantity IS NULL THEN null ELSE 'each' END AS unit,
         null AS location, day, 'order ' + o.order_number AS reference_document, null AS source,
         CASE WHEN cu IS NULL THEN null ELSE cu.name + ' (' + cu.id + coalesce(', ' + cu.country, '') + ')' END AS receiver,
         null AS input_quantity, null AS input_unit
}
WITH event, rank, traceability_lot_code, product, quantity, unit, location, day, reference_document, source, receiver, input_quantity, input_unit,
     CASE $sort
       WHEN 'event' THEN event WHEN 'traceability_lot_code' THEN traceability_lot_code
       WHEN 'product' THEN product WHEN 'quantity' THEN quantity WHEN 'unit' THEN unit
       WHEN 'location' THEN location WHEN 'date' THEN day
       WHEN 'reference_document' THEN reference_document WHEN 'source' THEN source
       WHEN 'receiver' THEN receiver WHEN 'input_quantity' THEN input_quantity
       WHEN 'input_unit' THEN input_unit END AS sort_key
ORDER BY
  CASE WHEN $descending THEN null ELSE sort_key END ASC,
  CASE WHEN $descending THEN sort_key END DESC,
  day, rank, traceability_lot_code, source, receiver, reference_document
RETURN event, traceability_lot_code, product, quantity, unit, location,
       CASE WHEN day IS NULL THEN null ELSE toString(day) END AS date,
       reference_document, source, receiver, input_quantity, input_unit

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
// order is total and two exports of the same graph are identical.
// params: $lot_number, $from, $to, $sort, $descending, $shipped_states, $scope
CALL () {
  OPTIONAL MATCH (l:MaterialLot {lot_number: $lot_number})
  WITH l WHERE l IS NOT NULL AND {{scope.MaterialLot(l)}}
  // From level 0, so that a lot nothing consumed yet still answers its receiving.
  CALL apoc.path.expandConfig(l, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 0}) YIELD path
  WITH l, last(nodes(path)) AS n
  RETURN [l] AS lots, [b IN collect(n) WHERE b:Batch] AS batches
  UNION
  WITH 1 AS one WHERE $lot_number IS NULL
  RETURN COLLECT { MATCH (l:MaterialLot) WHERE ($from IS NULL OR l.received_date >= $from) AND ($to IS NULL OR l.received_date <= $to) RETURN l } AS lots,
         COLLECT { MATCH (b:Batch) WHERE ($from IS NULL OR b.production_date >= $from) AND ($to IS NULL OR b.production_date <= $to) RETURN b } AS batches
}
// Membership by element id in a map: a list's IN would be quadratic in the batches reached.
WITH lots, batches, $lot_number IS NOT NULL AS by_lot,
     CASE WHEN $lot_number IS NULL THEN {} ELSE apoc.map.fromPairs([n IN lots + batches | [elementId(n), true]]) END AS reached
CALL (lots) {
  UNWIND lots AS l
  WITH l WHERE {{scope.MaterialLot(l)}}
  OPTIONAL MATCH (s:Supplier)-[:SUPPLIED]->(l)
  WITH l, s, l.received_date AS day WHERE {{exports.InRange(day)}}
  WITH {event: 'receiving', rank: 1, traceability_lot_code: l.lot_number,
          product: head(COLLECT { MATCH (l)-[:OF_MATERIAL]->(m:Material) RETURN m.name ORDER BY m.id LIMIT 1 }),
          quantity: toFloat(l.quantity), unit: l.unit, location: null, date: day,
          reference_document: null,
          source: CASE WHEN s IS NULL THEN null ELSE s.name + ' (' + s.id + coalesce(', ' + s.country, '') + ')' END,
          receiver: null, input_quantity: null, input_unit: null} AS row
  // Aggregated here: a subquery that returned no row would drop the outer one.
  RETURN collect(row) AS receiving
}
CALL (batches, by_lot, reached) {
  UNWIND batches AS b
  WITH b, by_lot, reached WHERE {{scope.Batch(b)}}
  MATCH (b)-[c:CONSUMED]->(input)
  // With a lot, only the inputs on its way down (the lot or a batch made from it).
  WHERE NOT by_lot OR reached[elementId(input)]
  WITH b, c, input, b.production_date AS day WHERE {{exports.InRange(day)}}
  OPTIONAL MATCH (b)-[:RUN_ON]->(mc:Machine)
  WITH {event: 'transformation', rank: 2, traceability_lot_code: b.batch_id,
          product: head(COLLECT { MATCH (b)-[:FOR_ORDER]->(o:Order) RETURN coalesce(o.product_type + ' ' + o.part_number, o.part_number) AS p ORDER BY p LIMIT 1 }),
          quantity: toFloat(b.quantity), unit: CASE WHEN b.quantity IS NULL THEN null ELSE 'each' END,
          location: CASE WHEN mc IS NULL THEN null ELSE coalesce('line ' + mc.line + ', ', '') + 'machine ' + mc.id END,
          date: day, reference_document: 'batch record ' + b.batch_id,
          source: coalesce(input.lot_number, input.batch_id), receiver: null,
          input_quantity: toFloat(c.quantity), input_unit: CASE WHEN input:Batch THEN coalesce(c.unit, 'each') ELSE coalesce(c.unit, input.unit) END} AS row
  RETURN collect(row) AS transformation
}
CALL (batches, by_lot) {
  // With a lot, the orders of its batches; in a range, every order (a batch made before the
  // range may ship in it).
  CALL (batches, by_lot) {
    WITH batches WHERE by_lot
    UNWIND batches AS b
    MATCH (b)-[:FOR_ORDER]->(o:Order)
    RETURN b, o
    UNION
    WITH by_lot WHERE NOT by_lot
    MATCH (b:Batch)-[:FOR_ORDER]->(o:Order)
    RETURN b, o
  }
  WITH b, o WHERE {{recall.Shipped(o)}} AND {{scope.Order(o)}}
  WITH b, o, {{exports.ShippedOn(o)}} AS day
  WHERE {{exports.InRange(day)}}
  OPTIONAL MATCH (cu:Customer)-[:PLACED]->(o)
  WITH {event: 'shipping', rank: 3, traceability_lot_code: b.batch_id,
          product: coalesce(o.product_type + ' ' + o.part_number, o.part_number),
          quantity: toFloat(b.quantity), unit: CASE WHEN b.quantity IS NULL THEN null ELSE 'each' END,
          location: null, date: day, reference_document: 'order ' + o.order_number,
          source: null,
          receiver: CASE WHEN cu IS NULL THEN null ELSE cu.name + ' (' + cu.id + coalesce(', ' + cu.country, '') + ')' END,
          input_quantity: null, input_unit: null} AS row
  RETURN collect(row) AS shipping
}
UNWIND receiving + transformation + shipping AS row
WITH row ORDER BY
  CASE WHEN $descending THEN null ELSE row[$sort] END ASC,
  CASE WHEN $descending THEN row[$sort] END DESC,
  row.date, row.rank, row.traceability_lot_code, row.source, row.receiver, row.reference_document
RETURN row.event AS event, row.traceability_lot_code AS traceability_lot_code, row.product AS product,
       row.quantity AS quantity, row.unit AS unit, row.location AS location,
       CASE WHEN row.date IS NULL THEN null ELSE toString(row.date) END AS date,
       row.reference_document AS reference_document, row.source AS source, row.receiver AS receiver,
       row.input_quantity AS input_quantity, row.input_unit AS input_unit

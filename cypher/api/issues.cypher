// Derived views of a quality issue (seed 000 section 4.3) and supplier metrics (section 7.3).
// Nothing here is stored: every field is reached by traversal.

// name: issue_traceability
// Per issue: its batch, the order that batch (or the batch that consumed it) was made for, part
// number, customer, affected serials, shift and operator.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (i:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(i)}}
OPTIONAL MATCH (i)-[:FOUND_IN]->(b:Batch)
CALL (b) {
  // Of the orders the batch went into, the first the caller may see (a shared sub-assembly
  // goes into other customers' orders too).
  OPTIONAL MATCH (b)<-[:CONSUMED*0..]-(:Batch)-[:FOR_ORDER]->(o:Order)
  WHERE {{scope.Order(o)}}
  RETURN o ORDER BY o.order_number LIMIT 1
}
CALL (i) {
  OPTIONAL MATCH (i)-[:AFFECTS]->(s:Serial)
  WHERE {{scope.Serial(s)}}
  WITH s ORDER BY s.serial_number
  RETURN collect(s.serial_number) AS serials
}
OPTIONAL MATCH (o)<-[:PLACED]-(c:Customer)
OPTIONAL MATCH (b)-[:DURING_SHIFT]->(sh:Shift)
OPTIONAL MATCH (b)-[:OPERATED_BY]->(op:Operator)
RETURN key, [{batch_id: b.batch_id, order_id: o.order_number, part_number: o.part_number,
  customer: c.name, affected_serials: serials, shift: sh.id, operator: op.name}] AS items

// name: issue_materials_used
// Per issue: every lot behind its batch (through sub-assemblies at any depth) that the caller
// may see, with the lot's material and supplier.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (i:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(i)}}
CALL (i) {
  MATCH (i)-[:FOUND_IN]->(:Batch)-[:CONSUMED*1..]->(l:MaterialLot)
  WITH DISTINCT l
  WHERE {{scope.MaterialLot(l)}}
  OPTIONAL MATCH (l)-[:OF_MATERIAL]->(m:Material)
  OPTIONAL MATCH (s:Supplier)-[:SUPPLIED]->(l)
  WHERE {{scope.Supplier(s)}}
  WITH l, m, s ORDER BY l.lot_number
  RETURN collect({material_id: m.id, material_name: m.name, lot_number: l.lot_number,
    supplier_id: s.id, supplier_name: s.name}) AS items
}
RETURN key, items

// name: supplier_quality_metrics
// Seed 000 section 7.3 for one supplier, within the caller's scope (a buyer counts the issues
// and batches of its own orders only): issues found in batches that consumed its lots (at any
// depth) detected in [$date_from, $date_to], parts affected, defect rate in PPM of the parts
// produced by batches that consumed its lots directly in the range, high/critical issues, their
// cost, lots received in the range and the share of those delivered on or before the promise.
// params: $supplier_id, $scope, $date_from, $date_to
MATCH (s:Supplier {id: $supplier_id})
WHERE {{scope.Supplier(s)}}
CALL (s) {
  OPTIONAL MATCH (s)-[r:SUPPLIED]->(l:MaterialLot)
  WHERE l IS NULL OR (($date_from IS NULL OR l.received_date >= $date_from)
    AND ($date_to IS NULL OR l.received_date <= $date_to))
  RETURN count(l) AS lots_received,
    sum(CASE WHEN r.delivered_at <= r.promised_at THEN 1 ELSE 0 END) AS on_time,
    count(r.promised_at) AS with_promise
}
CALL (s) {
  OPTIONAL MATCH (s)-[:SUPPLIED]->(:MaterialLot)<-[:CONSUMED*1..]-(:Batch)<-[:FOUND_IN]-(i:QualityIssue)
  WHERE i IS NULL OR (($date_from IS NULL OR i.detected_at >= datetime({date: $date_from}))
    AND ($date_to IS NULL OR i.detected_at < datetime({date: $date_to}) + duration('P1D'))
    AND {{scope.QualityIssue(i)}})
  WITH DISTINCT i
  RETURN count(i) AS total_issues,
    coalesce(sum(i.parts_affected), 0) AS parts_affected,
    count(CASE WHEN i.severity IN ['high', 'critical'] THEN 1 END) AS high_severity,
    coalesce(sum(i.total_cost), 0.0) AS total_cost
}
CALL (s) {
  OPTIONAL MATCH (s)-[:SUPPLIED]->(:MaterialLot)<-[:CONSUMED]-(b:Batch)
  WHERE b IS NULL OR (($date_from IS NULL OR b.production_date >= $date_from)
    AND ($date_to IS NULL OR b.production_date <= $date_to) AND {{scope.Batch(b)}})
  WITH DISTINCT b
  RETURN coalesce(sum(b.quantity), 0) AS parts_produced
}
RETURN s.id AS supplier_id, total_issues, parts_affected AS total_parts_affected, parts_produced,
  CASE WHEN parts_produced > 0 THEN toFloat(parts_affected) / parts_produced * 1000000 END
    AS defect_rate_ppm,
  high_severity AS high_severity_issues, CASE WHEN {{scope.QualityCostsShown(s)}} THEN toFloat(total_cost) END AS total_cost_impact, lots_received,
  CASE WHEN with_promise > 0 THEN toFloat(on_time) / with_promise * 100 END
    AS on_time_delivery_percent

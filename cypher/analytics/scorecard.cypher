// Supplier scorecards (issue 14 section 1), computed at query time within the caller's scope.
// A supplier's figures over [$date_from, $date_to] (inclusive days; either may be null):
// - parts produced: quantity of the batches that made serials (a serial range or PRODUCED
//   serials), produced in the range, with one of the supplier's lots upstream at any depth
//   (summed per supplier and day on ProductionDay nodes);
// - parts affected, issues by severity, cost: quality issues detected in the range, found in a
//   batch with one of the supplier's lots upstream (at any depth);
// "Upstream at any depth" and "made serials" are read from what is stored on each batch
// (Batch.upstream_supplier_ids, made_serials) and from the parts produced per supplier and day
// summed from them (ProductionDay); all kept right by every write:
// cypher/analytics/upstream.cypher.
// - lots received and rejected (inspection failed or quarantine rejected), on time (delivered on
//   or before the promise): its lots received in the range.
// Every measure is counted per calendar month too (the month of production, detection or
// receipt). Scope: batches, issues and lots pass their label's rule (a buyer's figures come from
// its own orders' batches; a supplier sees only itself); costs are null for roles that do not see
// quality costs, and a cost sort then orders by id alone.

// fragment: ScorecardSupplier(s)
// Which suppliers the scorecard covers: the filter's one (or all) the caller may see.
// params: $supplier_id, $scope
($supplier_id IS NULL OR s.id = $supplier_id) AND {{scope.Supplier(s)}}

// fragment: Rating(card)
// The grade of a card ({ppm, otd, active}) from the thresholds $ratings ([{grade, max_ppm,
// min_otd}], best first; tracegraph/settings.py): the first one whose PPM and on-time delivery
// the card meets (a figure that could not be computed meets it), else D; null without activity.
// params: $ratings
CASE WHEN card.active THEN coalesce(head([t IN $ratings
  WHERE coalesce(card.ppm, 0.0) <= t.max_ppm AND coalesce(card.otd, 100.0) >= t.min_otd
  | t.grade]), 'D') END

// name: scorecard_page
// One page of supplier scorecards, sorted by $sort ('supplier_id', 'rating_worst_first',
// 'defect_rate_desc', 'on_time_asc', 'cost_desc'), after the cursor $after ({sk, key} or null),
// at most $limit rows (the caller asks for first + 1).
// params: $supplier_id, $scope, $date_from, $date_to, $ratings, $sort, $after, $limit
// One row per (supplier, month) and source: visible suppliers (a row without month, so a
// supplier with nothing in the range still has a card), production, issues, lot receipts.
CALL () {
  MATCH (s:Supplier)
  WHERE {{analytics.ScorecardSupplier(s)}}
  RETURN s.id AS sid, null AS month, 0 AS produced, 0 AS affected, 0 AS issues, 0 AS low,
    0 AS medium, 0 AS high, 0 AS critical, 0.0 AS cost, 0.0 AS charged, 0 AS received,
    0 AS rejected, 0 AS on_time, 0 AS promised
  UNION ALL
  // Parts produced: for the plant's roles and a supplier, summed from the ProductionDay nodes
  // (cypher/analytics/upstream.cypher): a supplier's own figures there are those of the batches
  // its scope shows (the batches with one of its lots upstream).
  CALL () {
    WITH 1 AS summed WHERE $scope.rows IN ['all', 'supplier']
    MATCH (d:ProductionDay)
    WHERE d.day >= coalesce($date_from, date('0001-01-01'))
      AND d.day <= coalesce($date_to, date('9999-12-31'))
    UNWIND range(0, size(d.supplier_ids) - 1) AS k
    RETURN d.supplier_ids[k] AS sid, d.day AS day, d.parts[k] AS produced
    UNION ALL
    // A buyer's (and any other scope's): the batches its scope shows, with the suppliers upstream
    // stored on each (summed per day and set of suppliers first, so that far fewer rows are split
    // per supplier). Batches that made serials are a seek of the index batch_made_serials. Bounds
    // always given: the model's dates are within years 1-9999.
    WITH 1 AS walked WHERE NOT $scope.rows IN ['all', 'supplier']
    MATCH (p:Batch)
    USING INDEX p:Batch(made_serials, production_date)
    WHERE p.made_serials = true
      AND p.production_date >= coalesce($date_from, date('0001-01-01'))
      AND p.production_date <= coalesce($date_to, date('9999-12-31'))
      AND {{scope.Batch(p)}}
    WITH p.production_date AS day, p.upstream_supplier_ids AS sids, sum(coalesce(p.quantity, 0)) AS produced
    UNWIND coalesce(sids, []) AS sid
    RETURN sid, day, produced
  }
  WITH sid, date.truncate('month', day) AS month, sum(produced) AS produced
  MATCH (s:Supplier {id: sid})
  WHERE {{analytics.ScorecardSupplier(s)}}
  RETURN sid, month, produced, 0 AS affected, 0 AS issues, 0 AS low, 0 AS medium, 0 AS high,
    0 AS critical, 0.0 AS cost, 0.0 AS charged, 0 AS received, 0 AS rejected, 0 AS on_time,
    0 AS promised
  UNION ALL
  MATCH (i:QualityIssue)
  WHERE i.detected_at >= datetime({date: coalesce($date_from, date('0001-01-01'))})
    AND i.detected_at < datetime({date: coalesce($date_to, date('9999-12-30'))}) + duration('P1D')
    AND {{scope.QualityIssue(i)}}
  // Summed per month and set of suppliers upstream (stored on the batches it was found in) first,
  // then split per supplier, as for production. An issue is nearly always found in one batch,
  // whose sorted list is taken as it is (a list comprehension: a subquery per issue cost more).
  WITH i, [(i)-[:FOUND_IN]->(b:Batch) | coalesce(b.upstream_supplier_ids, [])] AS lists
  WITH i, CASE size(lists)
    WHEN 0 THEN []
    WHEN 1 THEN lists[0]
    ELSE apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten(lists))) END AS sids
  WITH date.truncate('month', i.detected_at) AS month, sids,
    sum(coalesce(i.parts_affected, 0)) AS affected, count(i) AS issues,
    count(CASE i.severity WHEN 'low' THEN 1 END) AS low,
    count(CASE i.severity WHEN 'medium' THEN 1 END) AS medium,
    count(CASE i.severity WHEN 'high' THEN 1 END) AS high,
    count(CASE i.severity WHEN 'critical' THEN 1 END) AS critical,
    sum(coalesce(i.total_cost, 0.0)) AS cost,
    sum(CASE WHEN i.charged_to_supplier THEN coalesce(i.total_cost, 0.0) ELSE 0.0 END) AS charged
  UNWIND sids AS sid
  WITH sid, month, sum(affected) AS affected, sum(issues) AS issues, sum(low) AS low,
    sum(medium) AS medium, sum(high) AS high, sum(critical) AS critical, sum(cost) AS cost,
    sum(charged) AS charged
  MATCH (s:Supplier {id: sid})
  WHERE {{analytics.ScorecardSupplier(s)}}
  RETURN sid, month, 0 AS produced, affected, issues, low, medium, high, critical, cost, charged,
    0 AS received, 0 AS rejected, 0 AS on_time, 0 AS promised
  UNION ALL
  // From each supplier's own SUPPLIED relationships: a lot is read with all its relationships
  // (CONSUMED by many batches) when reached from the received_date index instead.
  MATCH (s:Supplier)
  WHERE {{analytics.ScorecardSupplier(s)}}
  CALL (s) {
    MATCH (s)-[r:SUPPLIED]->(l:MaterialLot)
    WHERE l.received_date >= coalesce($date_from, date('0001-01-01'))
      AND l.received_date <= coalesce($date_to, date('9999-12-31'))
      AND {{scope.MaterialLot(l)}}
    RETURN date.truncate('month', l.received_date) AS month, count(l) AS received,
      count(CASE WHEN l.inspection_result = 'failed' OR l.quarantine_status = 'rejected' THEN 1 END)
        AS rejected,
      count(CASE WHEN r.delivered_at <= r.promised_at THEN 1 END) AS on_time,
      count(CASE WHEN r.delivered_at IS NOT NULL AND r.promised_at IS NOT NULL THEN 1 END)
        AS promised
  }
  RETURN s.id AS sid, month, 0 AS produced, 0 AS affected, 0 AS issues, 0 AS low, 0 AS medium,
    0 AS high, 0 AS critical, 0.0 AS cost, 0.0 AS charged, received, rejected, on_time, promised
}
WITH sid, month, sum(produced) AS produced, sum(affected) AS affected, sum(issues) AS issues,
  sum(low) AS low, sum(medium) AS medium, sum(high) AS high, sum(critical) AS critical,
  sum(cost) AS cost, sum(charged) AS charged, sum(received) AS received,
  sum(rejected) AS rejected, sum(on_time) AS on_time, sum(promised) AS promised
ORDER BY sid, month
WITH sid, collect(CASE WHEN month IS NOT NULL THEN {month: month, produced: produced,
  affected: affected, issues: issues, low: low, medium: medium, high: high, critical: critical,
  cost: cost, charged: charged, received: received, rejected: rejected, on_time: on_time,
  promised: promised} END) AS months
WITH sid, months,
  reduce(t = {produced: 0, affected: 0, issues: 0, low: 0, medium: 0, high: 0, critical: 0,
    cost: 0.0, charged: 0.0, received: 0, rejected: 0, on_time: 0, promised: 0}, m IN months |
    {produced: t.produced + m.produced, affected: t.affected + m.affected,
     issues: t.issues + m.issues, low: t.low + m.low, medium: t.medium + m.medium,
     high: t.high + m.high, critical: t.critical + m.critical, cost: t.cost + m.cost,
     charged: t.charged + m.charged, received: t.received + m.received,
     rejected: t.rejected + m.rejected, on_time: t.on_time + m.on_time,
     promised: t.promised + m.promised}) AS total
MATCH (s:Supplier {id: sid})
WITH s, months + [total {.*, month: null}] AS figures
WITH s, [f IN figures | f {.*,
  ppm: CASE WHEN f.produced > 0 THEN toFloat(f.affected) / f.produced * 1000000 END,
  otd: CASE WHEN f.promised > 0 THEN toFloat(f.on_time) / f.promised * 100 END,
  cost: CASE WHEN {{scope.QualityCostsShown(s)}} THEN f.cost END,
  charged: CASE WHEN {{scope.QualityCostsShown(s)}} THEN f.charged END,
  active: f.produced > 0 OR f.received > 0 OR f.issues > 0}] AS figures
WITH s, [f IN figures | f {.*, rating: {{analytics.Rating(f)}}}] AS figures
WITH s, last(figures) AS total, figures[..-1] AS months
WITH s, total, months, CASE $sort
  WHEN 'rating_worst_first' THEN CASE total.rating WHEN 'D' THEN 0 WHEN 'C' THEN 1 WHEN 'B' THEN 2 WHEN 'A' THEN 3 ELSE 4 END
  WHEN 'defect_rate_desc' THEN -coalesce(total.ppm, -1.0)
  WHEN 'on_time_asc' THEN coalesce(total.otd, 1000.0)
  WHEN 'cost_desc' THEN -coalesce(total.cost, 0.0)
  ELSE s.id END AS sk
WHERE $after IS NULL OR sk > $after.sk OR (sk = $after.sk AND s.id > $after.key)
RETURN sk, s.id AS supplier_id, s.name AS supplier_name, total, months
ORDER BY sk, s.id
LIMIT $limit

// name: scorecard_count
// How many suppliers the scorecard covers (totalCount).
// params: $supplier_id, $scope
MATCH (s:Supplier)
WHERE {{analytics.ScorecardSupplier(s)}}
RETURN count(s) AS total

// Root-cause ranking from the genealogy (issue 14 section 4): which upstream factors defective
// serials share more often than the rest. Cypher counts; graph/analytics.py ranks (lift and the
// one-sided Fisher exact test from these counts).

// name: ranking_issue_serials
// The serials a quality issue affects, when the caller sees the issue and the serial.
// params: $issue_id, $scope, $limit
MATCH (i:QualityIssue {issue_id: $issue_id})
WHERE {{scope.QualityIssue(i)}}
MATCH (i)-[:AFFECTS]->(s:Serial)
WHERE {{scope.Serial(s)}}
RETURN s.serial_number AS serial
ORDER BY serial
LIMIT $limit

// name: ranking_status_serials
// Serials with status defective produced (by the batch that made them) in the date range.
// params: $date_from, $date_to, $scope, $limit
MATCH (s:Serial {status: 'defective'})<-[:PRODUCED]-(p:Batch)
WHERE p.production_date >= coalesce($date_from, date('0001-01-01'))
  AND p.production_date <= coalesce($date_to, date('9999-12-31'))
  AND {{scope.Serial(s)}}
RETURN s.serial_number AS serial
ORDER BY serial
LIMIT $limit

// name: ranking_counts
// For the defective serials $defective (those the caller sees) and the comparison population
// (every serial made by a batch produced in [$date_from, $date_to], by default the days the
// defective serials were produced on, plus the defective serials' own batches): the population's
// size, the defective count, and per upstream factor reached by at least one defective serial,
// how many population serials and how many defective serials have it upstream. Factors: every
// batch at any level of the serial's genealogy (its own batch included), their machines,
// operators, shifts and machine-on-shift pairs, the lots those batches consumed and the lots'
// suppliers, each as the caller may see them.
// params: $defective, $date_from, $date_to, $scope
UNWIND $defective AS sn
MATCH (s:Serial {serial_number: sn})<-[:PRODUCED]-(top:Batch)
WHERE {{scope.Serial(s)}}
WITH top, count(DISTINCT s) AS d
WITH collect({batch: top, d: d}) AS hit, sum(d) AS defective,
  coalesce($date_from, min(top.production_date)) AS first_day,
  coalesce($date_to, max(top.production_date)) AS last_day
CALL (hit, first_day, last_day) {
  MATCH (p:Batch)
  WHERE p.production_date >= first_day AND p.production_date <= last_day
    AND EXISTS { (p)-[:PRODUCED]->() }
    AND {{scope.Batch(p)}}
  RETURN p
  UNION
  UNWIND hit AS h
  RETURN h.batch AS p
}
WITH hit, defective, first_day, last_day, p, COUNT { (p)-[:PRODUCED]->() } AS n
WITH defective, first_day, last_day, collect({p: p, n: n,
  d: coalesce(head([h IN hit WHERE h.batch = p | h.d]), 0)}) AS pop
WITH defective, first_day, last_day, pop, reduce(t = 0, x IN pop | t + x.n) AS population
UNWIND pop AS x
WITH defective, first_day, last_day, population, x.p AS p, x.n AS n, x.d AS d
CALL (p) {
  MATCH (p)-[:CONSUMED*0..]->(u:Batch)
  WITH DISTINCT u
  CALL (u) {
    WITH u WHERE {{scope.BackwardBatch(u)}}
    RETURN 'batch' AS kind, u.batch_id AS key, null AS name
    UNION
    MATCH (u)-[:RUN_ON]->(m:Machine)
    RETURN 'machine' AS kind, m.id AS key, m.name AS name
    UNION
    MATCH (u)-[:OPERATED_BY]->(o:Operator)
    RETURN 'operator' AS kind, o.id AS key, o.name AS name
    UNION
    MATCH (u)-[:DURING_SHIFT]->(h:Shift)
    RETURN 'shift' AS kind, h.id AS key, h.name AS name
    UNION
    MATCH (u)-[:RUN_ON]->(m:Machine), (u)-[:DURING_SHIFT]->(h:Shift)
    RETURN 'machine_shift' AS kind, m.id + ' / ' + h.id AS key,
      coalesce(m.name, m.id) + ' on ' + coalesce(h.name, h.id) AS name
    UNION
    MATCH (u)-[:CONSUMED]->(l:MaterialLot)
    WHERE {{scope.MaterialLot(l)}}
    RETURN 'lot' AS kind, l.lot_number AS key, null AS name
    UNION
    MATCH (u)-[:CONSUMED]->(:MaterialLot)<-[:SUPPLIED]-(v:Supplier)
    WHERE {{scope.Supplier(v)}}
    RETURN 'supplier' AS kind, v.id AS key, v.name AS name
  }
  RETURN DISTINCT kind, key, name
}
WITH defective, first_day, last_day, population, kind, key, name, sum(n) AS through,
  sum(d) AS defective_through
WHERE defective_through > 0
RETURN defective, first_day, last_day, population,
  collect({kind: kind, key: key, name: name, through: through,
    defective_through: defective_through}) AS factors

// Analytics (issue 14 section 6): the parts produced per supplier and day, kept on one
// ProductionDay node per production day, and the machines and operators of each batch, kept on it
// (cypher/analytics/upstream.cypher says what keeps them right), first computed here for a graph
// written before them: the same computations as analytics.recompute_production_days and
// analytics.refresh_upstream_suppliers. Run again after an interruption, it recomputes them all.
CREATE CONSTRAINT production_day_unique IF NOT EXISTS FOR (d:ProductionDay) REQUIRE d.day IS UNIQUE;

MATCH (p:Batch)
WHERE p.made_serials = true AND p.production_date IS NOT NULL
WITH DISTINCT p.production_date AS day
CALL (day) {
  MERGE (d:ProductionDay {day: day})
  WITH d
  CALL (d) {
    MATCH (p:Batch)
    WHERE p.made_serials = true AND p.production_date = d.day
    UNWIND coalesce(p.upstream_supplier_ids, []) AS sid
    WITH sid, sum(coalesce(p.quantity, 0)) AS parts
    ORDER BY sid
    RETURN collect(sid) AS supplier_ids, collect(parts) AS parts
  }
  SET d.supplier_ids = supplier_ids, d.parts = parts
} IN TRANSACTIONS OF 20 ROWS;

MATCH (b:Batch)
CALL (b) {
  SET b.machine_ids = COLLECT { MATCH (b)-[:RUN_ON]->(m:Machine) RETURN DISTINCT m.id AS id ORDER BY id },
    b.operator_ids = COLLECT { MATCH (b)-[:OPERATED_BY]->(o:Operator) RETURN DISTINCT o.id AS id ORDER BY id }
} IN TRANSACTIONS OF 5000 ROWS;

// Analytics (issue 14 section 6): the root-cause Pareto's keys of each quality issue, kept on it
// (cypher/analytics/issues.cypher says what and what keeps them right), first computed here for a
// graph written before them: the same computation as analytics.ParetoKeys. Run again after an
// interruption, it recomputes them all.
MATCH (i:QualityIssue)
CALL (i) {
  SET i.pareto_root_cause = coalesce(COLLECT { MATCH (i)-[:HAS_INVESTIGATION]->(v:Investigation)
                                               RETURN v.root_cause_category AS category }[0],
                                     'uninvestigated'),
    i.pareto_lot_numbers = COLLECT { MATCH (i)-[:HAS_INVESTIGATION]->(:Investigation)-[:SUSPECTS]->(l:MaterialLot)
                                     RETURN DISTINCT l.lot_number AS key ORDER BY key },
    i.pareto_supplier_ids = COLLECT { CALL (i) {
                                        MATCH (i)-[:HAS_INVESTIGATION]->(:Investigation)-[:SUSPECTS]->(:MaterialLot)<-[:SUPPLIED]-(s:Supplier)
                                        RETURN s
                                        UNION
                                        MATCH (i)-[:NOTIFIED]->(:SupplierNotification)-[:TO_SUPPLIER]->(s:Supplier)
                                        RETURN s
                                      }
                                      RETURN DISTINCT s.id AS key ORDER BY key },
    i.pareto_machine_ids = COLLECT { MATCH (i)-[:FOUND_IN]->(:Batch)-[:RUN_ON]->(m:Machine)
                                     RETURN DISTINCT m.id AS key ORDER BY key },
    i.pareto_operator_ids = COLLECT { MATCH (i)-[:FOUND_IN]->(:Batch)-[:OPERATED_BY]->(o:Operator)
                                      RETURN DISTINCT o.id AS key ORDER BY key }
} IN TRANSACTIONS OF 5000 ROWS;

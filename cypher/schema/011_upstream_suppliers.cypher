// Analytics (issue 14 section 6): the suppliers upstream of each batch, stored on it
// (Batch.upstream_supplier_ids; cypher/analytics/upstream.cypher says what keeps them right), first
// computed here for a graph written before them. The same computation as
// analytics.refresh_upstream_suppliers (`tracegraph analytics refresh`); run again after an
// interruption, it recomputes every batch.
MATCH (b:Batch)
CALL (b) {
  SET b.upstream_supplier_ids = COLLECT {
    MATCH (b)-[:CONSUMED*1..]->(upstream_lot:MaterialLot)
    WITH DISTINCT upstream_lot
    MATCH (upstream_lot)<-[:SUPPLIED]-(upstream_supplier:Supplier)
    RETURN DISTINCT upstream_supplier.id AS upstream_id ORDER BY upstream_id }
} IN TRANSACTIONS OF 2000 ROWS;

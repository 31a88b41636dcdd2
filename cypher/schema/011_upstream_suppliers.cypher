// Analytics (issue 14 section 6): what the supplier scorecard reads of each batch, stored on it
// (Batch.upstream_supplier_ids and Batch.made_serials; cypher/analytics/upstream.cypher says what
// keeps them right), first computed here for a graph written before them: the same computation
// as analytics.refresh_upstream_suppliers (`tracegraph analytics refresh`). Run again after an
// interruption, it recomputes every batch.
CREATE INDEX batch_made_serials IF NOT EXISTS FOR (b:Batch) ON (b.made_serials, b.production_date);

MATCH (b:Batch)
CALL (b) {
  SET b.upstream_supplier_ids = COLLECT {
    MATCH (b)-[:CONSUMED*1..]->(upstream_lot:MaterialLot)
    WITH DISTINCT upstream_lot
    MATCH (upstream_lot)<-[:SUPPLIED]-(upstream_supplier:Supplier)
    RETURN DISTINCT upstream_supplier.id AS upstream_id ORDER BY upstream_id },
    b.made_serials = CASE WHEN b.serial_start IS NOT NULL OR EXISTS { (b)-[:PRODUCED]->(:Serial) } THEN true END
} IN TRANSACTIONS OF 2000 ROWS;

// The suppliers upstream of each batch, kept on it (Batch.upstream_supplier_ids: the ids of the
// suppliers of every lot the batch consumed at any depth, sorted, distinct) so that the supplier
// scorecard does not walk the genealogy of every batch of a year (issue 14 section 6). Kept right
// by every write that can change it:
// - the consume mutation (shop.lock_downstream, shop.add_upstream_suppliers in its transaction):
//   a new link adds the input's suppliers to the consumer and to every batch downstream of it;
// - receiving a lot creates the lot and its SUPPLIED together, before anything can consume it;
// - the loaders, after a load (or a load's removal), and migration 011 on an existing graph:
//   refresh_upstream_suppliers recomputes every batch, a page at a time
//   (`tracegraph analytics refresh` runs the same).
// Nothing else writes CONSUMED or SUPPLIED.

// fragment: UpstreamSupplierIds(b)
// The ids of the suppliers of the lots batch b consumed at any depth, sorted (computed: the walk
// the stored list saves).
COLLECT { MATCH (b)-[:CONSUMED*1..]->(upstream_lot:MaterialLot)
          WITH DISTINCT upstream_lot
          MATCH (upstream_lot)<-[:SUPPLIED]-(upstream_supplier:Supplier)
          RETURN DISTINCT upstream_supplier.id AS upstream_id ORDER BY upstream_id }

// name: refresh_upstream_suppliers
// Recompute the upstream suppliers of one page of batches: at most $limit, by batch id after
// $after (null: from the first). Each batch is locked before its genealogy is read, so a consume
// that commits meanwhile is either seen or waits for this page and adds to what it wrote.
// mode: write
// params: $after, $limit
MATCH (b:Batch)
WHERE b.batch_id > coalesce($after, '')
WITH b ORDER BY b.batch_id LIMIT $limit
SET b.batch_id = b.batch_id
WITH b, {{analytics.UpstreamSupplierIds(b)}} AS ids
SET b.upstream_supplier_ids = ids
RETURN count(b) AS batches, max(b.batch_id) AS last

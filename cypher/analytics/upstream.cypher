// What the supplier scorecard reads of each batch, kept on it so that the scorecard neither walks
// the genealogy of every batch of a year nor reads every batch of the year to find those that made
// serials (issue 14 section 6):
// - Batch.upstream_supplier_ids: the ids of the suppliers of every lot the batch consumed at any
//   depth, sorted, distinct;
// - Batch.made_serials: true when the batch made serials (a serial range or PRODUCED serials),
//   absent otherwise; the index batch_made_serials (with production_date) seeks those of a period.
// Kept right by every write that can change them:
// - the consume mutation (shop.lock_downstream, shop.add_upstream_suppliers in its transaction):
//   a new link adds the input's suppliers to the consumer and to every batch downstream of it;
// - the produceSerials mutation marks its batch (shop.produce_serials);
// - receiving a lot creates the lot and its SUPPLIED together, before anything can consume it;
// - the loaders, after a load (or a load's removal), and migration 011 on an existing graph:
//   refresh_upstream_suppliers recomputes every batch, a page at a time
//   (`tracegraph analytics refresh` runs the same).
// Nothing else writes CONSUMED, SUPPLIED, PRODUCED or a serial range.

// fragment: UpstreamSupplierIds(b)
// The ids of the suppliers of the lots batch b consumed at any depth, sorted (computed: the walk
// the stored list saves).
COLLECT { MATCH (b)-[:CONSUMED*1..]->(upstream_lot:MaterialLot)
          WITH DISTINCT upstream_lot
          MATCH (upstream_lot)<-[:SUPPLIED]-(upstream_supplier:Supplier)
          RETURN DISTINCT upstream_supplier.id AS upstream_id ORDER BY upstream_id }

// name: refresh_upstream_suppliers
// Recompute the upstream suppliers and made_serials of one page of batches: at most $limit, by batch id after
// $after (null: from the first). Each batch is locked before its genealogy is read, so a consume
// that commits meanwhile is either seen or waits for this page and adds to what it wrote.
// mode: write
// params: $after, $limit
MATCH (b:Batch)
WHERE b.batch_id > coalesce($after, '')
WITH b ORDER BY b.batch_id LIMIT $limit
SET b.batch_id = b.batch_id
WITH b, {{analytics.UpstreamSupplierIds(b)}} AS ids
SET b.upstream_supplier_ids = ids,
    b.made_serials = CASE WHEN b.serial_start IS NOT NULL OR EXISTS { (b)-[:PRODUCED]->(:Serial) } THEN true END
RETURN count(b) AS batches, max(b.batch_id) AS last

// What the supplier scorecard reads of each batch, kept on it so that the scorecard neither walks
// the genealogy of every batch of a year nor reads every batch of the year to find those that made
// serials (issue 14 section 6):
// - Batch.upstream_supplier_ids: the ids of the suppliers of every lot the batch consumed at any
//   depth, sorted, distinct;
// - Batch.made_serials: true when the batch made serials (a serial range or PRODUCED serials),
//   absent otherwise; the index batch_made_serials (with production_date) seeks those of a period;
// - and from those, per production day, one (:ProductionDay {day}) node: supplier_ids (sorted)
//   and parts (the same positions), the quantity of that day's batches that made serials with
//   the supplier upstream: what the scorecards of the plant's roles and of a supplier sum (a
//   year is ~365 nodes instead of every batch that made serials; a buyer's, limited to its own
//   orders' batches, still reads the batches). A day without parts for a supplier has no node;
// - Batch.machine_ids, operator_ids: the ids of its machines (RUN_ON) and operators
//   (OPERATED_BY), sorted, which the root-cause Pareto reads instead of each batch's
//   relationships (a finished batch's include all its serials).
// Kept right by every write that can change them:
// - the consume mutation (shop.lock_downstream, shop.add_upstream_suppliers in its transaction):
//   a new link adds the input's suppliers to the consumer and to every batch downstream of it,
//   then recompute_production_days recomputes the days of those that made serials;
// - the produceSerials mutation marks its batch (shop.produce_serials) and recomputes its day;
// - a batch's quantity, production day, machine and operator are written only when it is created
//   (recordBatch, in the statement that creates it; the loaders), before it can have made serials;
// - receiving a lot creates the lot and its SUPPLIED together, before anything can consume it;
// - the loaders, after a load (or a load's removal), and migrations 011 and 014 on an existing
//   graph: refresh_upstream_suppliers recomputes every batch, a page at a time, then every day
//   (`tracegraph analytics refresh` runs the same).
// Nothing else writes CONSUMED, SUPPLIED, PRODUCED, RUN_ON, OPERATED_BY or a serial range.

// fragment: UpstreamSupplierIds(b)
// The ids of the suppliers of the lots batch b consumed at any depth, sorted (computed: the walk
// the stored list saves).
COLLECT { MATCH (b)-[:CONSUMED*1..]->(upstream_lot:MaterialLot)
          WITH DISTINCT upstream_lot
          MATCH (upstream_lot)<-[:SUPPLIED]-(upstream_supplier:Supplier)
          RETURN DISTINCT upstream_supplier.id AS upstream_id ORDER BY upstream_id }

// name: refresh_upstream_suppliers
// Recompute the upstream suppliers, made_serials, machines and operators of one page of batches:
// at most $limit, by batch id after $after (null: from the first). Each batch is locked before its
// genealogy is read, so a consume that commits meanwhile is either seen or waits for this page and
// adds to what it wrote.
// mode: write
// params: $after, $limit
MATCH (b:Batch)
WHERE b.batch_id > coalesce($after, '')
WITH b ORDER BY b.batch_id LIMIT $limit
SET b.batch_id = b.batch_id
WITH b, {{analytics.UpstreamSupplierIds(b)}} AS ids
SET b.upstream_supplier_ids = ids,
    b.made_serials = CASE WHEN b.serial_start IS NOT NULL OR EXISTS { (b)-[:PRODUCED]->(:Serial) } THEN true END,
    b.machine_ids = COLLECT { MATCH (b)-[:RUN_ON]->(m:Machine) RETURN DISTINCT m.id AS id ORDER BY id },
    b.operator_ids = COLLECT { MATCH (b)-[:OPERATED_BY]->(o:Operator) RETURN DISTINCT o.id AS id ORDER BY id }
RETURN count(b) AS batches, max(b.batch_id) AS last

// name: recompute_production_days
// Recompute the ProductionDay of each of $days (dates, sorted so that two writers lock them in
// the same order) from that day's batches that made serials; a day left without one is deleted.
// Each day is locked before its batches are read, after this transaction's own batch writes: a
// concurrent writer of a batch of the same day either committed before (and is read here) or
// waits for this lock and recomputes the day after this transaction commits.
// mode: write
// params: $days
UNWIND $days AS day
MERGE (d:ProductionDay {day: day})
SET d.day = d.day
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
WITH d, size(supplier_ids) AS suppliers
CALL (d, suppliers) {
  WITH d WHERE suppliers = 0
  DELETE d
}
RETURN count(*) AS days

// name: production_days_to_refresh
// Every day a ProductionDay is computed for by a full refresh: those of the batches that made
// serials, and those of the nodes there are (so that a day left without such a batch is deleted).
// params:
CALL () {
  MATCH (p:Batch)
  WHERE p.made_serials = true AND p.production_date IS NOT NULL
  RETURN DISTINCT p.production_date AS day
  UNION
  MATCH (d:ProductionDay)
  RETURN d.day AS day
}
RETURN day
ORDER BY day

// Consumption and scrap (graph/shop_floor.py): consume and scrap draw on an input (a lot or a
// batch) whose remaining quantity is its quantity minus everything consumed from it and scrapped
// of it. Each runs in one write transaction function: lock the input (lock_lot / lock_batches: a
// property written to its own value takes the node's write lock, held until commit), read its
// balance in a statement of its own (so a concurrent draw that committed first is counted), check,
// then write. Two draws on one input run one after the other; the input never goes below zero.

// name: lock_lot
// Lock a lot for the rest of the transaction.
// mode: write
// params: $lot_number, $scope
MATCH (l:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(l)}}
SET l.lot_number = l.lot_number
RETURN count(l) AS locked

// name: lock_batches
// Lock batches for the rest of the transaction, in the order given (sorted by the caller, so two
// writes locking the same pair take them in the same order); the ids found.
// mode: write
// params: $batch_ids, $scope
UNWIND $batch_ids AS id
MATCH (b:Batch {batch_id: id})
WHERE {{scope.Batch(b)}}
SET b.batch_id = b.batch_id
RETURN collect(id) AS locked

// fragment: Balance(n)
// A lot's or a batch's state and what was drawn on it: remaining = quantity - consumed - scrapped
// (quantities missing on loaded data count as nothing). Its own variables are spelled out so as
// not to clash with the including query's.
{quantity: toFloat(coalesce(n.quantity, 0)),
 consumed: reduce(total = 0.0, drawn IN [(n)<-[link:CONSUMED]-(:Batch) | coalesce(link.quantity, 0.0)] | total + drawn),
 scrapped: reduce(total = 0.0, drawn IN [(n)-[:HAS_SCRAP]->(scrapped:Scrap) | scrapped.quantity] | total + drawn),
 unit: n.unit, quarantine_status: n.quarantine_status, inspection_result: n.inspection_result,
 status: n.status, material_id: [(n)-[:OF_MATERIAL]->(material:Material) | material.id][0]}

// name: balance
// The (locked) input's balance: exactly one of $lot_number and $batch_id is given.
// params: $lot_number, $batch_id, $scope
OPTIONAL MATCH (l:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(l)}}
OPTIONAL MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
WITH coalesce(l, b) AS n
WHERE n IS NOT NULL
RETURN {{shop.Balance(n)}} AS balance

// name: lot_balance
// MaterialLot.balance: what remains of each lot (rows key, items as the api.* relationship reads).
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:MaterialLot {lot_number: key})
WHERE {{scope.MaterialLot(n)}}
WITH key, {{shop.Balance(n)}} AS b
RETURN key, [b {.quantity, .consumed, .scrapped, .unit, remaining: b.quantity - b.consumed - b.scrapped}] AS items

// name: batch_balance
// Batch.balance: what remains of each batch, in units.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Batch {batch_id: key})
WHERE {{scope.Batch(n)}}
WITH key, {{shop.Balance(n)}} AS b
RETURN key, [b {.quantity, .consumed, .scrapped, .unit, remaining: b.quantity - b.consumed - b.scrapped}] AS items

// name: consume_context
// What a consumption is checked against, read once the input is locked: the input's balance, the
// consuming batch's order and part number, the materials the catalogue lists for that part (none:
// the catalogue does not say), and whether the link would make a batch its own ancestor (the
// input is the consumer, or already consumes it at some depth). Exactly one of $lot_number and
// $input_batch_id. No row: the consuming batch is not there.
// params: $batch_id, $lot_number, $input_batch_id, $scope
MATCH (c:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(c)}}
OPTIONAL MATCH (c)-[:FOR_ORDER]->(o:Order)
WITH c, o ORDER BY o.order_number LIMIT 1
OPTIONAL MATCH (l:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(l)}}
OPTIONAL MATCH (ib:Batch {batch_id: $input_batch_id})
WHERE {{scope.Batch(ib)}}
WITH c, o, coalesce(l, ib) AS n
WHERE n IS NOT NULL
RETURN {{shop.Balance(n)}} AS balance,
       o.order_number AS order_number, o.part_number AS part_number,
       CASE WHEN o.part_number IS NULL THEN []
            ELSE COLLECT { MATCH (m:Material) WHERE o.part_number IN m.part_numbers RETURN m.id ORDER BY m.id }
       END AS required_materials,
       n:Batch AND (n = c OR EXISTS { (n)-[:CONSUMED*1..]->(c) }) AS cycle

// name: consume
// One genealogy link: the batch CONSUMED the input (one relationship per pair, as the loaders
// keep it: a second draw adds to its quantity), the consumer's level above a batch input's, and
// an event about the consumer and the input. Exactly one of $lot_number and $input_batch_id.
// mode: write
// params: $batch_id, $lot_number, $input_batch_id, $quantity, $remaining, $scope, $user_id, $role, $note
MATCH (c:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(c)}}
OPTIONAL MATCH (l:MaterialLot {lot_number: $lot_number})
OPTIONAL MATCH (ib:Batch {batch_id: $input_batch_id})
WITH c, coalesce(l, ib) AS i
MERGE (c)-[r:CONSUMED]->(i)
  ON CREATE SET r.quantity = 0.0, r.unit = i.unit
SET r.quantity = r.quantity + $quantity
SET c.level = CASE WHEN i:Batch AND coalesce(i.level, 0) + 1 > coalesce(c.level, 0)
                   THEN coalesce(i.level, 0) + 1 ELSE coalesce(c.level, 0) END
CREATE (e:Event {id: randomUUID(), operation: 'consume', entity_label: 'Batch', entity_key: c.batch_id, input_key: coalesce(i.lot_number, i.batch_id), quantity: $quantity, after: toString($remaining), by: $user_id, role: $role, at: datetime(), note: $note})
CREATE (e)-[:ABOUT]->(c), (e)-[:ABOUT]->(i)
RETURN c {.*} AS batch, r.quantity AS link_quantity, r.unit AS unit,
       CASE WHEN i:MaterialLot THEN i {.*} END AS lot,
       CASE WHEN i:Batch THEN i {.*} END AS input_batch

// name: lock_downstream
// Lock the consuming batch and every batch downstream of it before their stored upstream
// suppliers are extended (cypher/analytics/upstream.cypher): a link that a concurrent consume adds
// below one of them locks that batch as its input, so it either committed before (and the next
// statement sees it) or waits for this transaction (and copies what it wrote).
// mode: write
// params: $batch_id
MATCH (c:Batch {batch_id: $batch_id})
MATCH (d:Batch)-[:CONSUMED*0..]->(c)
WITH DISTINCT d
SET d.batch_id = d.batch_id
RETURN count(d) AS locked

// name: add_upstream_suppliers
// After a consume: the input's suppliers (a lot's own, a batch's stored ones) join the stored
// upstream suppliers of the consumer and of every batch downstream of it; the production days of
// those that made serials and gained a supplier (whose parts produced per supplier change).
// mode: write
// params: $batch_id, $lot_number, $input_batch_id
MATCH (c:Batch {batch_id: $batch_id})
OPTIONAL MATCH (l:MaterialLot {lot_number: $lot_number})
OPTIONAL MATCH (ib:Batch {batch_id: $input_batch_id})
WITH c, coalesce(ib.upstream_supplier_ids, []) + COLLECT { MATCH (l)<-[:SUPPLIED]-(s:Supplier) RETURN s.id } AS added
MATCH (d:Batch)-[:CONSUMED*0..]->(c)
WITH DISTINCT d, added, coalesce(d.upstream_supplier_ids, []) AS before
SET d.upstream_supplier_ids = COLLECT { UNWIND before + added AS id RETURN DISTINCT id ORDER BY id }
RETURN count(d) AS batches,
  collect(DISTINCT CASE WHEN d.made_serials AND size(d.upstream_supplier_ids) > size(before)
                        THEN d.production_date END) AS days

// name: scrap
// Scrap of part of the (locked) input: a Scrap node numbered per input, and an event. Exactly
// one of $lot_number and $batch_id.
// mode: write
// params: $lot_number, $batch_id, $quantity, $reason, $remaining, $scope, $user_id, $role
OPTIONAL MATCH (l:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(l)}}
OPTIONAL MATCH (b:Batch {batch_id: $batch_id})
WHERE {{scope.Batch(b)}}
WITH coalesce(l, b) AS n
WITH n, coalesce(n.lot_number, n.batch_id) AS key, COUNT { (n)-[:HAS_SCRAP]->() } + 1 AS number
CREATE (n)-[:HAS_SCRAP]->(s:Scrap {id: key + '/SCRAP-' + number, quantity: $quantity, unit: n.unit, reason: $reason, scrapped_at: datetime(), scrapped_by: $user_id})
CREATE (e:Event {id: randomUUID(), operation: 'scrap', entity_label: labels(n)[0], entity_key: key, quantity: $quantity, after: toString($remaining), by: $user_id, role: $role, at: datetime(), note: $reason})
CREATE (e)-[:ABOUT]->(n), (e)-[:ABOUT]->(s)
RETURN s {.*} AS scrap

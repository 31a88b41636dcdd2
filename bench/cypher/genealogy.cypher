// Synthetic genealogy for bench/traces.py (a stand-in until `tracegraph load demo --scale N`).
// One family = one lot -> level 0 batches (each consumes the lot) -> level 1 batches (each
// consumes three level-0 batches, overlapping: diamonds) -> level 2, each batch with its serials
// and its own order of one customer. The bench builds one large target family (~10,000 serials)
// plus many small noise families.

// name: family_root
// mode: write
// A supplier (merged), a material (merged), a customer (merged) and the family's lot.
// params: $supplier_id, $customer_id, $lot_number
MERGE (s:Supplier {id: $supplier_id}) ON CREATE SET s.name = 'Supplier ' + $supplier_id, s.status = 'active'
MERGE (m:Material {id: 'MAT-BENCH'}) ON CREATE SET m.name = 'Bench material'
MERGE (c:Customer {id: $customer_id}) ON CREATE SET c.name = 'Customer ' + $customer_id
CREATE (lot:MaterialLot {lot_number: $lot_number, quantity: 1000.0, unit: 'kg', received_date: date('2025-01-01'), quarantine_status: 'quarantined'})
CREATE (s)-[:SUPPLIED {quantity: 1000.0}]->(lot), (lot)-[:OF_MATERIAL]->(m)

// name: family_level
// mode: write
// $count batches of level $level named <$prefix>L<level>-<i>, each with $serials serials and an
// order for $customer_id. Level 0 consumes $lot_number; level n consumes batches 2i, 2i+1, 2i+2
// (mod $prev_count) of level n-1.
// params: $prefix, $level, $count, $prev_count, $serials, $lot_number, $customer_id
MATCH (c:Customer {id: $customer_id})
UNWIND range(0, $count - 1) AS i
CREATE (b:Batch {batch_id: $prefix + 'L' + toString($level) + '-' + toString(i), production_date: date('2025-02-01') + duration({days: $level}), level: $level, quantity: $serials, status: 'completed'})
CREATE (o:Order {order_number: $prefix + 'ORD-' + toString($level) + '-' + toString(i), status: 'completed', part_number: 'P-BENCH'})
CREATE (b)-[:FOR_ORDER]->(o), (c)-[:PLACED]->(o)
WITH b, i
CALL (b) {
  MATCH (lot:MaterialLot {lot_number: $lot_number})
  WHERE $level = 0
  CREATE (b)-[:CONSUMED {quantity: 1.0, unit: 'kg'}]->(lot)
}
CALL (b, i) {
  UNWIND [0, 1, 2] AS k
  MATCH (p:Batch {batch_id: $prefix + 'L' + toString($level - 1) + '-' + toString((i * 2 + k) % CASE WHEN $prev_count > 0 THEN $prev_count ELSE 1 END)})
  WHERE $level > 0
  CREATE (b)-[:CONSUMED {quantity: 1.0, unit: 'pcs'}]->(p)
}
CALL (b) {
  UNWIND range(1, $serials) AS n
  CREATE (b)-[:PRODUCED]->(:Serial {serial_number: b.batch_id + '-' + right('00000' + toString(n), 5), status: 'ok'})
}

// name: family_issues
// mode: write
// One quality issue found in every batch of level $level of the family (cost 10.0 each).
// params: $prefix, $level
MATCH (b:Batch)
WHERE b.batch_id STARTS WITH $prefix + 'L' + toString($level) + '-'
CREATE (q:QualityIssue {issue_id: 'QI-' + b.batch_id, severity: 'high', status: 'open', total_cost: 10.0, detected_at: datetime('2025-03-01T00:00:00Z')})
CREATE (q)-[:FOUND_IN]->(b)

// name: family_exists
// Whether the family's lot is already there (the bench builds once per server).
// params: $lot_number
OPTIONAL MATCH (lot:MaterialLot {lot_number: $lot_number})
RETURN lot IS NOT NULL AS present

// name: forward_batches_varlength
// PROFILE candidate 1: downstream batches and their depth with a bounded var-length pattern.
// params: $lot_number, $max_depth
MATCH (root:MaterialLot {lot_number: $lot_number})
MATCH p = (root)<-[:CONSUMED*1..20]-(b:Batch)
WHERE length(p) <= $max_depth
WITH b, min(length(p)) AS depth
RETURN count(b) AS batches, sum(depth) AS depth_sum

// name: forward_batches_apoc
// PROFILE candidate 2: the same with APOC breadth-first expansion, NODE_GLOBAL uniqueness.
// params: $lot_number, $max_depth
MATCH (root:MaterialLot {lot_number: $lot_number})
CALL apoc.path.expandConfig(root, {relationshipFilter: '<CONSUMED', uniqueness: 'NODE_GLOBAL', bfs: true, minLevel: 1, maxLevel: $max_depth}) YIELD path
WITH last(nodes(path)) AS b, length(path) AS depth
WHERE b:Batch
RETURN count(b) AS batches, sum(depth) AS depth_sum

// name: diamond_stack
// mode: write
// A worst case for path enumeration: lot LOT-BENCH-DIAMOND, then $levels levels of two batches,
// each consuming both batches of the level below (2^n distinct paths to level n).
// params: $levels
CREATE (lot:MaterialLot {lot_number: 'LOT-BENCH-DIAMOND', received_date: date('2025-01-01'), quarantine_status: 'released'})
WITH lot
UNWIND range(0, $levels - 1) AS level
UNWIND [0, 1] AS k
CREATE (:Batch {batch_id: 'BENCH-D-L' + toString(level) + '-' + toString(k), level: level, production_date: date('2025-02-01')})
WITH DISTINCT lot
MATCH (b:Batch) WHERE b.batch_id STARTS WITH 'BENCH-D-L'
CALL (b, lot) {
  MATCH (p:Batch) WHERE p.batch_id IN ['BENCH-D-L' + toString(b.level - 1) + '-0', 'BENCH-D-L' + toString(b.level - 1) + '-1']
  CREATE (b)-[:CONSUMED {quantity: 1.0, unit: 'pcs'}]->(p)
  UNION
  WITH b, lot WHERE b.level = 0
  CREATE (b)-[:CONSUMED {quantity: 1.0, unit: 'pcs'}]->(lot)
}

// name: snapshot
// Every node with its labels and properties, and every relationship with its endpoints' element
// properties: compared before and after a reload to prove idempotency. Load bookkeeping (the
// :Load nodes) is left out.
// params:
MATCH (n)
WHERE NOT n:SchemaMigration AND NOT n:Load
OPTIONAL MATCH (n)-[r]->(m)
RETURN labels(n) AS labels, properties(n) AS props,
       collect([type(r), properties(r), properties(m)]) AS out;

// name: issue_links
// The batch, orders, lots and suppliers behind an issue (the backward trace).
// params: $issue_id
MATCH (qi:QualityIssue {issue_id: $issue_id})-[:FOUND_IN]->(b:Batch)
OPTIONAL MATCH (b)-[:FOR_ORDER]->(o:Order)
OPTIONAL MATCH (b)-[:CONSUMED*0..]->(:Batch)-[:CONSUMED]->(lot:MaterialLot)<-[:SUPPLIED]-(s:Supplier)
OPTIONAL MATCH (qi)-[:AFFECTS]->(sn:Serial)
RETURN b.batch_id AS batch, collect(DISTINCT o.order_number) AS orders,
       collect(DISTINCT lot.lot_number) AS lots, collect(DISTINCT s.id) AS suppliers,
       collect(DISTINCT sn.serial_number) AS serials, qi.severity AS severity,
       qi.detected_at AS detected_at;

// name: lot_reach
// Serials downstream of each lot (forward trace), largest first.
// params: $limit
MATCH (lot:MaterialLot)<-[:CONSUMED*1..]-(b:Batch)-[:PRODUCED]->(sn:Serial)
RETURN lot.lot_number AS lot, count(DISTINCT sn) AS serials
ORDER BY serials DESC
LIMIT $limit;

// name: max_level
// Deepest genealogy level.
// params:
MATCH (b:Batch)
RETURN max(b.level) AS level, count(b) AS batches;

// name: property_types
// The Cypher type of every stored property, by label (or relationship type) and key.
// params:
MATCH (n)
WHERE NOT n:SchemaMigration
UNWIND keys(n) AS key
RETURN labels(n)[0] AS owner, key, collect(DISTINCT valueType(n[key])) AS types
UNION
MATCH ()-[r]->()
UNWIND keys(r) AS key
RETURN type(r) AS owner, key, collect(DISTINCT valueType(r[key])) AS types;

// name: server_info
// The Neo4j product version and edition serving this database.
CALL dbms.components() YIELD name, versions, edition
WHERE name = 'Neo4j Kernel'
RETURN versions[0] AS version, edition

// name: apoc_version
// The APOC version; fails with ProcedureNotFound-style errors where APOC is not installed.
RETURN apoc.version() AS version

// name: graph_counts
// Node and relationship totals (answered from the count store, constant time).
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships

// name: ping
// The cheapest round trip that proves the database answers queries.
RETURN 1 AS ok

// name: constraint_names
// Names of every constraint in the database (schema checks and tests).
SHOW CONSTRAINTS YIELD name
RETURN collect(name) AS names

// name: index_names
// Names of every index in the database, constraint-backing ones included.
SHOW INDEXES YIELD name
RETURN collect(name) AS names

// name: demo_tenants
// A customer that placed orders and a supplier that supplied lots: whom the demo's buyer and
// supplier tokens belong to (null when the graph has none).
CALL () {
  OPTIONAL MATCH (c:Customer) WHERE EXISTS { (c)-[:PLACED]->(:Order) }
  RETURN min(c.id) AS customer_id
}
CALL () {
  OPTIONAL MATCH (s:Supplier) WHERE EXISTS { (s)-[:SUPPLIED]->(:MaterialLot) }
  RETURN min(s.id) AS supplier_id
}
RETURN customer_id, supplier_id

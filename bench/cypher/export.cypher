// The graph as tables, for bench/postgres.py (issue 15): what to create, then every node of a
// label and every relationship of a type, streamed. Node ids are elementId()s (their number after
// the last ':' keys the rows). Temporal values leave as text or epoch milliseconds: the driver's
// hydration of its temporal types costs more than the read.

// name: export_labels
// Every label and relationship type in use (the tables to make).
CALL () { CALL db.labels() YIELD label RETURN collect(label) AS labels }
CALL () { CALL db.relationshipTypes() YIELD relationshipType RETURN collect(relationshipType) AS types }
RETURN labels, types

// name: export_node_keys
// Property names and value types seen on the first $sample nodes of a label.
// params: $label, $sample
MATCH (n:$($label))
WITH n LIMIT $sample
UNWIND keys(n) AS key
RETURN key, collect(DISTINCT valueType(n[key])) AS types

// name: export_rel_keys
// Property names and value types seen on the first $sample relationships of a type.
// params: $type, $sample
MATCH ()-[r:$($type)]->()
WITH r LIMIT $sample
UNWIND keys(r) AS key
RETURN key, collect(DISTINCT valueType(r[key])) AS types

// name: export_nodes
// Every node of a label: its element id and the values of $keys in order ($as_text: toString,
// $as_epoch: epoch milliseconds).
// params: $label, $keys, $as_text, $as_epoch
MATCH (n:$($label))
RETURN elementId(n) AS id,
       [k IN $keys | CASE WHEN k IN $as_epoch THEN n[k].epochMillis
                          WHEN k IN $as_text THEN toString(n[k])
                          ELSE n[k] END] AS values

// name: export_rels
// Every relationship of a type: start and end element ids and the values of $keys, as above.
// params: $type, $keys, $as_text, $as_epoch
MATCH (a)-[r:$($type)]->(b)
RETURN elementId(a) AS src, elementId(b) AS dst,
       [k IN $keys | CASE WHEN k IN $as_epoch THEN r[k].epochMillis
                          WHEN k IN $as_text THEN toString(r[k])
                          ELSE r[k] END] AS values

// name: count_label
// Nodes with a label (from the count store).
// params: $label
MATCH (n:$($label))
RETURN count(n) AS n

// name: count_type
// Relationships of a type (from the count store).
// params: $type
MATCH ()-[r:$($type)]->()
RETURN count(r) AS n

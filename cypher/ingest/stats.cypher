// name: label_counts
// Nodes per label of the model (migration and load bookkeeping, and the analytics' production
// days computed from the model, left out).
// params:
MATCH (n)
WHERE NOT n:SchemaMigration AND NOT n:Load AND NOT n:ProductionDay
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label;

// name: relationship_counts
// Relationships per type.
// params:
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type;

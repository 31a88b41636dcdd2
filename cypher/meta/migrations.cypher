// name: applied_migrations
// Schema migrations already applied to this database, oldest first.
MATCH (m:SchemaMigration)
RETURN m.version AS version, m.name AS name, m.checksum AS checksum, m.applied_at AS applied_at
ORDER BY m.version

// name: record_migration
// Mark one migration as applied; MERGE keeps a retried transaction from recording it twice.
// mode: write
// params: $version, $name, $checksum
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.name = $name, m.checksum = $checksum, m.applied_at = datetime()
RETURN m.version AS version

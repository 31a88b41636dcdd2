"""Neo4j access: driver lifecycle, transaction functions, the query loader, the local server."""

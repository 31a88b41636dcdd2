// Documents and photos attached to orders, stages and QC checks (uploadDocument): one node per
// upload, the file itself kept by content hash outside the graph (tracegraph/blobs.py).
CREATE CONSTRAINT document_id_unique IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE INDEX document_sha256 IF NOT EXISTS FOR (n:Document) ON (n.sha256);

// Documents and photos (graph/documents.py): attach one to what it documents, find one for a
// download, and whether a file is still referenced. Every read goes through the order the
// document belongs to, so a document is visible exactly when its order is.

// fragment: DocumentFields(n)
// A document as read, with where to download it.
n {.*, url: '/documents/' + n.id}

// name: attach
// Attach a new document to the order, or its stage $stage_sequence, or its QC check
// $qc_check_id (target null when that is not there or not the caller's), with an event.
// mode: write
// params: $order_number, $stage_sequence, $qc_check_id, $scope, $document, $user_id, $role, $operation
MATCH (o:Order {order_number: $order_number})
WHERE {{scope.Order(o)}}
OPTIONAL MATCH (o)-[:HAS_STAGE]->(st:ProductionStage {sequence: $stage_sequence})
OPTIONAL MATCH (o)-[:HAS_QC_CHECK]->(qc:QCCheck {id: $qc_check_id})
WITH o, CASE WHEN $qc_check_id IS NOT NULL THEN qc
             WHEN $stage_sequence IS NOT NULL THEN st
             ELSE o END AS target
CALL (o, target) {
  WITH o, target WHERE target IS NOT NULL
  CREATE (d:Document)
  SET d = $document, d.uploaded_by = $user_id, d.uploaded_at = datetime()
  CREATE (target)-[:HAS_DOCUMENT]->(d)
  CREATE (e:Event {id: randomUUID(), operation: $operation, entity_label: 'Document', entity_key: d.id, after: d.name, by: $user_id, role: $role, at: datetime()})
  CREATE (e)-[:ABOUT]->(d), (e)-[:ABOUT]->(o)
  RETURN d
}
RETURN target IS NOT NULL AS found, {{documents.DocumentFields(d)}} AS document

// name: visible
// The document $document_id if the caller may see what it belongs to (else no row).
// params: $document_id, $scope
MATCH (d:Document {id: $document_id})<-[:HAS_DOCUMENT]-(target)
OPTIONAL MATCH (parent:Order)-[:HAS_STAGE|HAS_QC_CHECK]->(target)
WITH d, coalesce(parent, target) AS o
WHERE o:Order AND {{scope.Order(o)}}
RETURN d.sha256 AS sha256, d.content_type AS content_type, d.name AS name, d.size AS size

// name: referenced
// Whether any document keeps the file $sha256 (a refused upload's file goes only if none does).
// params: $sha256
RETURN EXISTS { MATCH (d:Document {sha256: $sha256}) } AS referenced

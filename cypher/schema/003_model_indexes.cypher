// Indexes for the filters and sorts the API pushes down into Cypher (dates, status, severity,
// root-cause category).
CREATE INDEX material_lot_received IF NOT EXISTS FOR (n:MaterialLot) ON (n.received_date);
CREATE INDEX material_lot_quarantine IF NOT EXISTS FOR (n:MaterialLot) ON (n.quarantine_status);
CREATE INDEX order_status IF NOT EXISTS FOR (n:Order) ON (n.status);
CREATE INDEX order_workflow_status IF NOT EXISTS FOR (n:Order) ON (n.workflow_status);
CREATE INDEX order_due_date IF NOT EXISTS FOR (n:Order) ON (n.due_date);
CREATE INDEX order_created_at IF NOT EXISTS FOR (n:Order) ON (n.created_at);
CREATE INDEX batch_production_date IF NOT EXISTS FOR (n:Batch) ON (n.production_date);
CREATE INDEX quality_issue_detected_at IF NOT EXISTS FOR (n:QualityIssue) ON (n.detected_at);
CREATE INDEX quality_issue_severity IF NOT EXISTS FOR (n:QualityIssue) ON (n.severity);
CREATE INDEX quality_issue_status IF NOT EXISTS FOR (n:QualityIssue) ON (n.status);
CREATE INDEX investigation_root_cause IF NOT EXISTS FOR (n:Investigation) ON (n.root_cause_category);
CREATE INDEX supplier_status IF NOT EXISTS FOR (n:Supplier) ON (n.status);
CREATE INDEX action_status IF NOT EXISTS FOR (n:Action) ON (n.status);

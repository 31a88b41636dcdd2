// Upserts of one label each, fed by graph/ingest.py with validated records (graph/records/).
// The *_create twins skip the lookup and are only used when the rows are known to be new
// (the demo generator writing into an empty graph). A node a load creates carries the load's id
// in `_load` (`tracegraph load --remove` deletes by it); a node that was there before keeps its
// own.

// name: node_supplier
// mode: write
// Merge Supplier nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Supplier {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_supplier_create
// mode: write
// Create Supplier nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Supplier)
SET n = row, n._load = $load;

// name: node_material
// mode: write
// Merge Material nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Material {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_material_create
// mode: write
// Create Material nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Material)
SET n = row, n._load = $load;

// name: node_material_lot
// mode: write
// Merge MaterialLot nodes on lot_number; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:MaterialLot {lot_number: row.lot_number})
ON CREATE SET n._load = $load
SET n += row;

// name: node_material_lot_create
// mode: write
// Create MaterialLot nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:MaterialLot)
SET n = row, n._load = $load;

// name: node_customer
// mode: write
// Merge Customer nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Customer {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_customer_create
// mode: write
// Create Customer nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Customer)
SET n = row, n._load = $load;

// name: node_order
// mode: write
// Merge Order nodes on order_number; properties of each row replace those given.
// Instants arrive as ISO strings: datetime() here is far cheaper than the driver packing them.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Order {order_number: row.order_number})
ON CREATE SET n._load = $load
SET n += row,
    n.created_at = datetime(row.created_at);

// name: node_order_create
// mode: write
// Create Order nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Order)
SET n = row, n._load = $load,
    n.created_at = datetime(row.created_at);

// name: node_production_stage
// mode: write
// Merge ProductionStage nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:ProductionStage {id: row.id})
ON CREATE SET n._load = $load
SET n += row,
    n.started_at = datetime(row.started_at), n.completed_at = datetime(row.completed_at);

// name: node_production_stage_create
// mode: write
// Create ProductionStage nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:ProductionStage)
SET n = row, n._load = $load,
    n.started_at = datetime(row.started_at), n.completed_at = datetime(row.completed_at);

// name: node_qccheck
// mode: write
// Merge QCCheck nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:QCCheck {id: row.id})
ON CREATE SET n._load = $load
SET n += row,
    n.checked_at = datetime(row.checked_at);

// name: node_qccheck_create
// mode: write
// Create QCCheck nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:QCCheck)
SET n = row, n._load = $load,
    n.checked_at = datetime(row.checked_at);

// name: node_order_status_change
// mode: write
// Merge OrderStatusChange nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:OrderStatusChange {id: row.id})
ON CREATE SET n._load = $load
SET n += row,
    n.changed_at = datetime(row.changed_at);

// name: node_order_status_change_create
// mode: write
// Create OrderStatusChange nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:OrderStatusChange)
SET n = row, n._load = $load,
    n.changed_at = datetime(row.changed_at);

// name: node_machine
// mode: write
// Merge Machine nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Machine {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_machine_create
// mode: write
// Create Machine nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Machine)
SET n = row, n._load = $load;

// name: node_shift
// mode: write
// Merge Shift nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Shift {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_shift_create
// mode: write
// Create Shift nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Shift)
SET n = row, n._load = $load;

// name: node_operator
// mode: write
// Merge Operator nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Operator {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_operator_create
// mode: write
// Create Operator nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Operator)
SET n = row, n._load = $load;

// name: node_batch
// mode: write
// Merge Batch nodes on batch_id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Batch {batch_id: row.batch_id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_batch_create
// mode: write
// Create Batch nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Batch)
SET n = row, n._load = $load;

// name: node_serial
// mode: write
// Merge Serial nodes on serial_number; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Serial {serial_number: row.serial_number})
ON CREATE SET n._load = $load
SET n += row;

// name: node_serial_create
// mode: write
// Create Serial nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Serial)
SET n = row, n._load = $load;

// name: node_downtime_event
// mode: write
// Merge DowntimeEvent nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:DowntimeEvent {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_downtime_event_create
// mode: write
// Create DowntimeEvent nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:DowntimeEvent)
SET n = row, n._load = $load;

// name: node_quality_issue
// mode: write
// Merge QualityIssue nodes on issue_id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:QualityIssue {issue_id: row.issue_id})
ON CREATE SET n._load = $load
SET n += row,
    n.detected_at = datetime(row.detected_at);

// name: node_quality_issue_create
// mode: write
// Create QualityIssue nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:QualityIssue)
SET n = row, n._load = $load,
    n.detected_at = datetime(row.detected_at);

// name: node_investigation
// mode: write
// Merge Investigation nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Investigation {id: row.id})
ON CREATE SET n._load = $load
SET n += row,
    n.opened_at = datetime(row.opened_at), n.closed_at = datetime(row.closed_at);

// name: node_investigation_create
// mode: write
// Create Investigation nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Investigation)
SET n = row, n._load = $load,
    n.opened_at = datetime(row.opened_at), n.closed_at = datetime(row.closed_at);

// name: node_verification_test
// mode: write
// Merge VerificationTest nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:VerificationTest {id: row.id})
ON CREATE SET n._load = $load
SET n += row,
    n.performed_at = datetime(row.performed_at);

// name: node_verification_test_create
// mode: write
// Create VerificationTest nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:VerificationTest)
SET n = row, n._load = $load,
    n.performed_at = datetime(row.performed_at);

// name: node_action
// mode: write
// Merge Action nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:Action {id: row.id})
ON CREATE SET n._load = $load
SET n += row,
    n.completed_at = datetime(row.completed_at);

// name: node_action_create
// mode: write
// Create Action nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:Action)
SET n = row, n._load = $load,
    n.completed_at = datetime(row.completed_at);

// name: node_supplier_notification
// mode: write
// Merge SupplierNotification nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:SupplierNotification {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_supplier_notification_create
// mode: write
// Create SupplierNotification nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:SupplierNotification)
SET n = row, n._load = $load;

// name: node_user
// mode: write
// Merge User nodes on id; properties of each row replace those given.
// params: $rows, $load
UNWIND $rows AS row
MERGE (n:User {id: row.id})
ON CREATE SET n._load = $load
SET n += row;

// name: node_user_create
// mode: write
// Create User nodes known not to exist yet.
// params: $rows, $load
UNWIND $rows AS row
CREATE (n:User)
SET n = row, n._load = $load;

// Existence checks of keys per label: loaders verify that every relationship endpoint a file
// refers to (and does not itself define) is already in the graph, before writing anything.

// name: keys_supplier
// Which of $keys are Supplier.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Supplier {id: key})
RETURN key;

// name: keys_material
// Which of $keys are Material.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Material {id: key})
RETURN key;

// name: keys_material_lot
// Which of $keys are MaterialLot.lot_number values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:MaterialLot {lot_number: key})
RETURN key;

// name: keys_customer
// Which of $keys are Customer.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Customer {id: key})
RETURN key;

// name: keys_order
// Which of $keys are Order.order_number values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Order {order_number: key})
RETURN key;

// name: keys_production_stage
// Which of $keys are ProductionStage.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:ProductionStage {id: key})
RETURN key;

// name: keys_qccheck
// Which of $keys are QCCheck.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:QCCheck {id: key})
RETURN key;

// name: keys_order_status_change
// Which of $keys are OrderStatusChange.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:OrderStatusChange {id: key})
RETURN key;

// name: keys_machine
// Which of $keys are Machine.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Machine {id: key})
RETURN key;

// name: keys_shift
// Which of $keys are Shift.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Shift {id: key})
RETURN key;

// name: keys_operator
// Which of $keys are Operator.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Operator {id: key})
RETURN key;

// name: keys_batch
// Which of $keys are Batch.batch_id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Batch {batch_id: key})
RETURN key;

// name: keys_serial
// Which of $keys are Serial.serial_number values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Serial {serial_number: key})
RETURN key;

// name: keys_downtime_event
// Which of $keys are DowntimeEvent.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:DowntimeEvent {id: key})
RETURN key;

// name: keys_quality_issue
// Which of $keys are QualityIssue.issue_id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:QualityIssue {issue_id: key})
RETURN key;

// name: keys_investigation
// Which of $keys are Investigation.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Investigation {id: key})
RETURN key;

// name: keys_verification_test
// Which of $keys are VerificationTest.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:VerificationTest {id: key})
RETURN key;

// name: keys_action
// Which of $keys are Action.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:Action {id: key})
RETURN key;

// name: keys_supplier_notification
// Which of $keys are SupplierNotification.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:SupplierNotification {id: key})
RETURN key;

// name: keys_user
// Which of $keys are User.id values in the graph.
// params: $keys
UNWIND $keys AS key
MATCH (n:User {id: key})
RETURN key;

// name: has_domain_data
// Whether the graph holds any node of the model (migration bookkeeping does not count).
// params:
// Stops at the first node found: no full scan of a large graph.
OPTIONAL MATCH (n)
WHERE NOT n:SchemaMigration
WITH n LIMIT 1
RETURN n IS NOT NULL AS present;

// The relationship fields of the GraphQL entity types, one query per field.
// Each answers many parent keys at once (DataLoader batches: UNWIND $keys) and returns one
// row per parent that has related nodes: key, items (the related nodes' properties).
// Scope: related nodes of a scoped label pass its scope predicate; unscoped ones (reference
// data, children of an issue or order) are guarded by their parent's scope.

// name: supplier_lots
// The lots a supplier delivered, with promised and delivered dates.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Supplier {id: key})
MATCH (p)-[r:SUPPLIED]->(n:MaterialLot)
WHERE {{scope.MaterialLot(n)}}
WITH key, n, r ORDER BY n.received_date DESC, n.lot_number
RETURN key, collect(n{.*, promised_at: r.promised_at, delivered_at: r.delivered_at}) AS items

// name: supplier_issues
// Quality issues found in batches that consumed (at any depth) a lot the supplier delivered.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Supplier {id: key})
MATCH (p)-[:SUPPLIED]->(:MaterialLot)<-[:CONSUMED*1..]-(:Batch)<-[:FOUND_IN]-(n:QualityIssue)
WHERE {{scope.QualityIssue(n)}}
WITH DISTINCT key, n
WITH key, n ORDER BY n.detected_at DESC, n.issue_id
RETURN key, collect({{scope.QualityIssueFields(n)}}) AS items

// name: supplier_orders
// Orders assigned to the supplier.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Supplier {id: key})
MATCH (p)<-[:ASSIGNED_TO]-(n:Order)
WHERE {{scope.Order(n)}}
WITH key, n ORDER BY n.order_number
RETURN key, collect({{scope.OrderFields(n)}}) AS items

// name: supplier_inspection_states
// The supplier's inspection severity per part number (ISO 2859-1 switching state), by part.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Supplier {id: key})
MATCH (p)-[:HAS_INSPECTION_STATE]->(n:InspectionState)
WHERE {{scope.InspectionState(n)}}
WITH key, n ORDER BY n.part_number
RETURN key, collect(n {.*}) AS items

// name: material_lots
// Lots of the material.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Material {id: key})
MATCH (p)<-[:OF_MATERIAL]-(n:MaterialLot)
WHERE {{scope.MaterialLot(n)}}
WITH key, n ORDER BY n.received_date DESC, n.lot_number
RETURN key, collect(n{.*}) AS items

// name: material_preferred_suppliers
// Preferred suppliers of the material, best rank first.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Material {id: key})
MATCH (p)-[r:PREFERRED_SUPPLIER]->(n:Supplier)
WHERE {{scope.Supplier(n)}}
WITH key, n ORDER BY r.rank, n.id
RETURN key, collect({{scope.SupplierFields(n)}}) AS items

// name: lot_supplier
// The supplier that delivered the lot.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:MaterialLot {lot_number: key})
MATCH (p)<-[:SUPPLIED]-(n:Supplier)
WHERE {{scope.Supplier(n)}}
WITH key, n ORDER BY n.id
RETURN key, collect({{scope.SupplierFields(n)}}) AS items

// name: lot_material
// The material the lot is of.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:MaterialLot {lot_number: key})
WHERE {{scope.MaterialLot(p)}}
MATCH (p)-[:OF_MATERIAL]->(n:Material)
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: lot_consumed_by
// Batches that consumed the lot directly, with the consumed quantity.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:MaterialLot {lot_number: key})
MATCH (p)<-[r:CONSUMED]-(n:Batch)
WHERE {{scope.Batch(n)}}
WITH key, n, r ORDER BY n.production_date, n.batch_id
RETURN key, collect(n{.*, consumed_quantity: r.quantity, consumed_unit: r.unit}) AS items

// name: lot_issues
// Quality issues found in batches that consumed the lot (at any depth).
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:MaterialLot {lot_number: key})
MATCH (p)<-[:CONSUMED*1..]-(:Batch)<-[:FOUND_IN]-(n:QualityIssue)
WHERE {{scope.QualityIssue(n)}}
WITH DISTINCT key, n
WITH key, n ORDER BY n.detected_at DESC, n.issue_id
RETURN key, collect({{scope.QualityIssueFields(n)}}) AS items

// name: customer_orders
// Orders the customer placed.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Customer {id: key})
MATCH (p)-[:PLACED]->(n:Order)
WHERE {{scope.Order(n)}}
WITH key, n ORDER BY n.created_at DESC, n.order_number
RETURN key, collect({{scope.OrderFields(n)}}) AS items

// name: order_customer
// The customer that placed the order.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
MATCH (p)<-[:PLACED]-(n:Customer)
WHERE {{scope.Customer(n)}}
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: order_supplier
// The supplier the order is assigned to.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
MATCH (p)-[:ASSIGNED_TO]->(n:Supplier)
WHERE {{scope.Supplier(n)}}
WITH key, n ORDER BY n.id
RETURN key, collect({{scope.SupplierFields(n)}}) AS items

// name: order_batches
// Batches produced for the order.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
MATCH (p)<-[:FOR_ORDER]-(n:Batch)
WHERE {{scope.Batch(n)}}
WITH key, n ORDER BY n.production_date, n.batch_id
RETURN key, collect(n{.*}) AS items

// name: order_stages
// The order's production stages in sequence.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
WHERE {{scope.Order(p)}}
MATCH (p)-[:HAS_STAGE]->(n:ProductionStage)
WITH key, n ORDER BY n.sequence
RETURN key, collect({{orders.StageFields(n)}}) AS items

// name: order_qc_checks
// The order's QC checks, oldest first.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
WHERE {{scope.Order(p)}}
MATCH (p)-[:HAS_QC_CHECK]->(n:QCCheck)
WITH key, n ORDER BY n.checked_at, n.id
RETURN key, collect(n{.*}) AS items

// name: order_status_history
// The order's status changes, newest first.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
WHERE {{scope.Order(p)}}
MATCH (p)-[:STATUS_CHANGED]->(n:OrderStatusChange)
WITH key, n ORDER BY n.changed_at DESC, n.id DESC
RETURN key, collect(n{.*}) AS items

// name: order_issues
// Quality issues found in the order's batches or the sub-assemblies they consumed.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
MATCH (p)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->(:Batch)<-[:FOUND_IN]-(n:QualityIssue)
WHERE {{scope.QualityIssue(n)}}
WITH DISTINCT key, n
WITH key, n ORDER BY n.detected_at DESC, n.issue_id
RETURN key, collect({{scope.QualityIssueFields(n)}}) AS items

// name: batch_order
// The order the batch was produced for.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
MATCH (p)-[:FOR_ORDER]->(n:Order)
WHERE {{scope.Order(n)}}
WITH key, n ORDER BY n.order_number
RETURN key, collect({{scope.OrderFields(n)}}) AS items

// name: batch_machine
// The machine the batch ran on.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
WHERE {{scope.Batch(p)}}
MATCH (p)-[:RUN_ON]->(n:Machine)
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: batch_operator
// The operator of the batch.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
WHERE {{scope.Batch(p)}}
MATCH (p)-[:OPERATED_BY]->(n:Operator)
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: batch_shift
// The shift the batch was produced in.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
WHERE {{scope.Batch(p)}}
MATCH (p)-[:DURING_SHIFT]->(n:Shift)
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: batch_input_lots
// Lots the batch consumed directly, with the consumed quantity.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
MATCH (p)-[r:CONSUMED]->(n:MaterialLot)
WHERE {{scope.MaterialLot(n)}}
WITH key, n ORDER BY n.lot_number
RETURN key, collect(n{.*}) AS items

// name: batch_input_batches
// Batches (sub-assemblies) the batch consumed directly, with the consumed quantity.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
MATCH (p)-[r:CONSUMED]->(n:Batch)
WHERE {{scope.Batch(n)}}
WITH key, n, r ORDER BY n.batch_id
RETURN key, collect(n{.*, consumed_quantity: r.quantity, consumed_unit: r.unit}) AS items

// name: batch_consumed_by
// Batches that consumed this batch directly.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
MATCH (p)<-[r:CONSUMED]-(n:Batch)
WHERE {{scope.Batch(n)}}
WITH key, n, r ORDER BY n.batch_id
RETURN key, collect(n{.*, consumed_quantity: r.quantity, consumed_unit: r.unit}) AS items

// name: batch_serials
// Serials the batch produced.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
MATCH (p)-[:PRODUCED]->(n:Serial)
WHERE {{scope.Serial(n)}}
WITH key, n ORDER BY n.serial_number
RETURN key, collect(n{.*}) AS items

// name: batch_issues
// Quality issues found in the batch.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Batch {batch_id: key})
MATCH (p)<-[:FOUND_IN]-(n:QualityIssue)
WHERE {{scope.QualityIssue(n)}}
WITH key, n ORDER BY n.detected_at DESC, n.issue_id
RETURN key, collect({{scope.QualityIssueFields(n)}}) AS items

// name: serial_batch
// The batch that produced the serial.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Serial {serial_number: key})
MATCH (p)<-[:PRODUCED]-(n:Batch)
WHERE {{scope.Batch(n)}}
WITH key, n ORDER BY n.batch_id
RETURN key, collect(n{.*}) AS items

// name: serial_issues
// Quality issues affecting the serial.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Serial {serial_number: key})
MATCH (p)<-[:AFFECTS]-(n:QualityIssue)
WHERE {{scope.QualityIssue(n)}}
WITH key, n ORDER BY n.detected_at DESC, n.issue_id
RETURN key, collect({{scope.QualityIssueFields(n)}}) AS items

// name: issue_batch
// The batch the issue was found in.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:QualityIssue {issue_id: key})
MATCH (p)-[:FOUND_IN]->(n:Batch)
WHERE {{scope.Batch(n)}}
WITH key, n ORDER BY n.batch_id
RETURN key, collect(n{.*}) AS items

// name: issue_serials
// Serials the issue affects.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:QualityIssue {issue_id: key})
MATCH (p)-[:AFFECTS]->(n:Serial)
WHERE {{scope.Serial(n)}}
WITH key, n ORDER BY n.serial_number
RETURN key, collect(n{.*}) AS items

// name: issue_investigation
// The issue's investigation.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(p)}}
MATCH (p)-[:HAS_INVESTIGATION]->(n:Investigation)
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: issue_actions
// The issue's corrective and preventive actions.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(p)}}
MATCH (p)-[:HAS_ACTION]->(n:Action)
WITH key, n ORDER BY n.id
RETURN key, collect({{quality.ActionFields(n)}}) AS items

// name: issue_notification
// The notification sent to the supplier about the issue.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(p)}}
MATCH (p)-[:NOTIFIED]->(n:SupplierNotification)
WHERE {{scope.SupplierNotification(n)}}
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: issue_notifications
// Every notification of the issue the caller may read (a supplier: those addressed to it).
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(p)}}
MATCH (p)-[:NOTIFIED]->(n:SupplierNotification)
WHERE {{scope.SupplierNotification(n)}}
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: investigation_suspected_lots
// Lots the investigation suspects.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Investigation {id: key})
MATCH (p)-[:SUSPECTS]->(n:MaterialLot)
WHERE {{scope.MaterialLot(n)}}
WITH key, n ORDER BY n.lot_number
RETURN key, collect(n{.*}) AS items

// name: investigation_tests
// Verification tests of the investigation.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Investigation {id: key})
MATCH (g:QualityIssue)-[:HAS_INVESTIGATION]->(p)
WHERE {{scope.QualityIssue(g)}}
MATCH (p)-[:VERIFIED_BY]->(n:VerificationTest)
WITH key, n ORDER BY n.performed_at, n.id
RETURN key, collect(n{.*}) AS items

// name: notification_supplier
// The supplier notified.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:SupplierNotification {id: key})
MATCH (p)-[:TO_SUPPLIER]->(n:Supplier)
WHERE {{scope.Supplier(n)}}
WITH key, n ORDER BY n.id
RETURN key, collect({{scope.SupplierFields(n)}}) AS items

// name: qc_check_stage
// The production stage the QC check was made at.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:QCCheck {id: key})
MATCH (g:Order)-[:HAS_QC_CHECK]->(p)
WHERE {{scope.Order(g)}}
MATCH (p)-[:AT_STAGE]->(n:ProductionStage)
WITH key, n ORDER BY n.id
RETURN key, collect({{orders.StageFields(n)}}) AS items

// name: status_change_user
// The user who changed the order's status.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:OrderStatusChange {id: key})
MATCH (g:Order)-[:STATUS_CHANGED]->(p)
WHERE {{scope.Order(g)}}
MATCH (p)-[:CHANGED_BY]->(n:User)
WITH key, n ORDER BY n.id
RETURN key, collect(n{.*}) AS items

// name: order_documents
// Documents attached to the order itself, oldest first.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (p:Order {order_number: key})
WHERE {{scope.Order(p)}}
MATCH (p)-[:HAS_DOCUMENT]->(n:Document)
WITH key, n ORDER BY n.uploaded_at, n.id
RETURN key, collect({{documents.DocumentFields(n)}}) AS items

// name: stage_documents
// Documents attached to the production stage, oldest first.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (g:Order)-[:HAS_STAGE]->(p:ProductionStage {id: key})
WHERE {{scope.Order(g)}}
MATCH (p)-[:HAS_DOCUMENT]->(n:Document)
WITH key, n ORDER BY n.uploaded_at, n.id
RETURN key, collect({{documents.DocumentFields(n)}}) AS items

// name: qc_check_documents
// Documents attached to the QC check, oldest first.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (g:Order)-[:HAS_QC_CHECK]->(p:QCCheck {id: key})
WHERE {{scope.Order(g)}}
MATCH (p)-[:HAS_DOCUMENT]->(n:Document)
WITH key, n ORDER BY n.uploaded_at, n.id
RETURN key, collect({{documents.DocumentFields(n)}}) AS items

// What the graph already holds of a load, read before anything is written: the loaders check
// that every relationship endpoint a file refers to (and does not itself define) exists, and
// that what exists under a key the load gives has the same facts (else it is a conflict).

// name: keys_supplier
// Which of $keys are Supplier.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Supplier {id: key})
RETURN key, properties(n) AS props;

// name: keys_material
// Which of $keys are Material.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Material {id: key})
RETURN key, properties(n) AS props;

// name: keys_material_lot
// Which of $keys are MaterialLot.lot_number values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:MaterialLot {lot_number: key})
RETURN key, properties(n) AS props;

// name: keys_customer
// Which of $keys are Customer.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Customer {id: key})
RETURN key, properties(n) AS props;

// name: keys_order
// Which of $keys are Order.order_number values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Order {order_number: key})
RETURN key, properties(n) AS props;

// name: keys_production_stage
// Which of $keys are ProductionStage.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:ProductionStage {id: key})
RETURN key, properties(n) AS props;

// name: keys_qccheck
// Which of $keys are QCCheck.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:QCCheck {id: key})
RETURN key, properties(n) AS props;

// name: keys_order_status_change
// Which of $keys are OrderStatusChange.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:OrderStatusChange {id: key})
RETURN key, properties(n) AS props;

// name: keys_machine
// Which of $keys are Machine.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Machine {id: key})
RETURN key, properties(n) AS props;

// name: keys_shift
// Which of $keys are Shift.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Shift {id: key})
RETURN key, properties(n) AS props;

// name: keys_operator
// Which of $keys are Operator.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Operator {id: key})
RETURN key, properties(n) AS props;

// name: keys_batch
// Which of $keys are Batch.batch_id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Batch {batch_id: key})
RETURN key, properties(n) AS props;

// name: keys_serial
// Which of $keys are Serial.serial_number values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Serial {serial_number: key})
RETURN key, properties(n) AS props;

// name: keys_downtime_event
// Which of $keys are DowntimeEvent.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:DowntimeEvent {id: key})
RETURN key, properties(n) AS props;

// name: keys_quality_issue
// Which of $keys are QualityIssue.issue_id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:QualityIssue {issue_id: key})
RETURN key, properties(n) AS props;

// name: keys_investigation
// Which of $keys are Investigation.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Investigation {id: key})
RETURN key, properties(n) AS props;

// name: keys_verification_test
// Which of $keys are VerificationTest.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:VerificationTest {id: key})
RETURN key, properties(n) AS props;

// name: keys_action
// Which of $keys are Action.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:Action {id: key})
RETURN key, properties(n) AS props;

// name: keys_supplier_notification
// Which of $keys are SupplierNotification.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:SupplierNotification {id: key})
RETURN key, properties(n) AS props;

// name: keys_user
// Which of $keys are User.id values in the graph, with their properties.
// params: $keys
UNWIND $keys AS key
MATCH (n:User {id: key})
RETURN key, properties(n) AS props;

// name: has_domain_data
// Whether the graph holds any node of the model (migration and load bookkeeping do not count).
// params:
// Stops at the first node found: no full scan of a large graph.
OPTIONAL MATCH (n)
WHERE NOT n:SchemaMigration AND NOT n:Load
WITH n LIMIT 1
RETURN n IS NOT NULL AS present;


// Relationships already in the graph between the endpoints of $pairs ({src, dst} keys), with
// their properties: one query per type and endpoint label pair, like the upserts.
// name: pairs_supplied
// Which Supplier-[:SUPPLIED]->MaterialLot of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Supplier {id: pair.src})-[r:SUPPLIED]->(b:MaterialLot {lot_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_of_material
// Which MaterialLot-[:OF_MATERIAL]->Material of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:MaterialLot {lot_number: pair.src})-[r:OF_MATERIAL]->(b:Material {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_preferred_supplier
// Which Material-[:PREFERRED_SUPPLIER]->Supplier of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Material {id: pair.src})-[r:PREFERRED_SUPPLIER]->(b:Supplier {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_placed
// Which Customer-[:PLACED]->Order of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Customer {id: pair.src})-[r:PLACED]->(b:Order {order_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_assigned_to
// Which Order-[:ASSIGNED_TO]->Supplier of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Order {order_number: pair.src})-[r:ASSIGNED_TO]->(b:Supplier {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_has_stage
// Which Order-[:HAS_STAGE]->ProductionStage of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Order {order_number: pair.src})-[r:HAS_STAGE]->(b:ProductionStage {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_has_qc_check
// Which Order-[:HAS_QC_CHECK]->QCCheck of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Order {order_number: pair.src})-[r:HAS_QC_CHECK]->(b:QCCheck {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_status_changed
// Which Order-[:STATUS_CHANGED]->OrderStatusChange of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Order {order_number: pair.src})-[r:STATUS_CHANGED]->(b:OrderStatusChange {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_at_stage
// Which QCCheck-[:AT_STAGE]->ProductionStage of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:QCCheck {id: pair.src})-[r:AT_STAGE]->(b:ProductionStage {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_consumed_lot
// Which Batch-[:CONSUMED]->MaterialLot of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:CONSUMED]->(b:MaterialLot {lot_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_consumed_batch
// Which Batch-[:CONSUMED]->Batch of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:CONSUMED]->(b:Batch {batch_id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_produced
// Which Batch-[:PRODUCED]->Serial of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:PRODUCED]->(b:Serial {serial_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_produced_serial
// Which Batch-[:PRODUCED]->Serial of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:PRODUCED]->(b:Serial {serial_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_for_order
// Which Batch-[:FOR_ORDER]->Order of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:FOR_ORDER]->(b:Order {order_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_run_on
// Which Batch-[:RUN_ON]->Machine of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:RUN_ON]->(b:Machine {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_operated_by
// Which Batch-[:OPERATED_BY]->Operator of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:OPERATED_BY]->(b:Operator {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_during_shift
// Which Batch-[:DURING_SHIFT]->Shift of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Batch {batch_id: pair.src})-[r:DURING_SHIFT]->(b:Shift {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_on_machine
// Which DowntimeEvent-[:ON_MACHINE]->Machine of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:DowntimeEvent {id: pair.src})-[r:ON_MACHINE]->(b:Machine {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_found_in
// Which QualityIssue-[:FOUND_IN]->Batch of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:QualityIssue {issue_id: pair.src})-[r:FOUND_IN]->(b:Batch {batch_id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_affects
// Which QualityIssue-[:AFFECTS]->Serial of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:QualityIssue {issue_id: pair.src})-[r:AFFECTS]->(b:Serial {serial_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_has_investigation
// Which QualityIssue-[:HAS_INVESTIGATION]->Investigation of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:QualityIssue {issue_id: pair.src})-[r:HAS_INVESTIGATION]->(b:Investigation {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_suspects
// Which Investigation-[:SUSPECTS]->MaterialLot of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Investigation {id: pair.src})-[r:SUSPECTS]->(b:MaterialLot {lot_number: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_verified_by
// Which Investigation-[:VERIFIED_BY]->VerificationTest of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:Investigation {id: pair.src})-[r:VERIFIED_BY]->(b:VerificationTest {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_has_action
// Which QualityIssue-[:HAS_ACTION]->Action of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:QualityIssue {issue_id: pair.src})-[r:HAS_ACTION]->(b:Action {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_notified
// Which QualityIssue-[:NOTIFIED]->SupplierNotification of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:QualityIssue {issue_id: pair.src})-[r:NOTIFIED]->(b:SupplierNotification {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_to_supplier
// Which SupplierNotification-[:TO_SUPPLIER]->Supplier of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:SupplierNotification {id: pair.src})-[r:TO_SUPPLIER]->(b:Supplier {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_works_for
// Which User-[:WORKS_FOR]->Supplier of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:User {id: pair.src})-[r:WORKS_FOR]->(b:Supplier {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_represents
// Which User-[:REPRESENTS]->Customer of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:User {id: pair.src})-[r:REPRESENTS]->(b:Customer {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// name: pairs_changed_by
// Which OrderStatusChange-[:CHANGED_BY]->User of $pairs exist, with their properties.
// params: $pairs
UNWIND $pairs AS pair
MATCH (a:OrderStatusChange {id: pair.src})-[r:CHANGED_BY]->(b:User {id: pair.dst})
RETURN pair.src AS src, pair.dst AS dst, properties(r) AS props;

// The relationships a node may have only one of (RelRecord.ONE_PER): for each of $keys, the key
// of the node at the other end. A load that would add a second one is refused.

// name: ends_supplied
// The Supplier with a SUPPLIED to each MaterialLot of $keys (a MaterialLot has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Supplier)-[:SUPPLIED]->(:MaterialLot {lot_number: key})
RETURN key, a.id AS other;

// name: ends_of_material
// The Material each MaterialLot of $keys has a OF_MATERIAL to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:MaterialLot {lot_number: key})-[:OF_MATERIAL]->(b:Material)
RETURN key, b.id AS other;

// name: ends_placed
// The Customer with a PLACED to each Order of $keys (a Order has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Customer)-[:PLACED]->(:Order {order_number: key})
RETURN key, a.id AS other;

// name: ends_has_stage
// The Order with a HAS_STAGE to each ProductionStage of $keys (a ProductionStage has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Order)-[:HAS_STAGE]->(:ProductionStage {id: key})
RETURN key, a.order_number AS other;

// name: ends_has_qc_check
// The Order with a HAS_QC_CHECK to each QCCheck of $keys (a QCCheck has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Order)-[:HAS_QC_CHECK]->(:QCCheck {id: key})
RETURN key, a.order_number AS other;

// name: ends_status_changed
// The Order with a STATUS_CHANGED to each OrderStatusChange of $keys (a OrderStatusChange has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Order)-[:STATUS_CHANGED]->(:OrderStatusChange {id: key})
RETURN key, a.order_number AS other;

// name: ends_at_stage
// The ProductionStage each QCCheck of $keys has a AT_STAGE to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:QCCheck {id: key})-[:AT_STAGE]->(b:ProductionStage)
RETURN key, b.id AS other;

// name: ends_produced
// The Batch with a PRODUCED to each Serial of $keys (a Serial has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Batch)-[:PRODUCED]->(:Serial {serial_number: key})
RETURN key, a.batch_id AS other;

// name: ends_produced_serial
// The Batch with a PRODUCED to each Serial of $keys (a Serial has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Batch)-[:PRODUCED]->(:Serial {serial_number: key})
RETURN key, a.batch_id AS other;

// name: ends_for_order
// The Order each Batch of $keys has a FOR_ORDER to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:Batch {batch_id: key})-[:FOR_ORDER]->(b:Order)
RETURN key, b.order_number AS other;

// name: ends_run_on
// The Machine each Batch of $keys has a RUN_ON to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:Batch {batch_id: key})-[:RUN_ON]->(b:Machine)
RETURN key, b.id AS other;

// name: ends_operated_by
// The Operator each Batch of $keys has a OPERATED_BY to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:Batch {batch_id: key})-[:OPERATED_BY]->(b:Operator)
RETURN key, b.id AS other;

// name: ends_during_shift
// The Shift each Batch of $keys has a DURING_SHIFT to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:Batch {batch_id: key})-[:DURING_SHIFT]->(b:Shift)
RETURN key, b.id AS other;

// name: ends_on_machine
// The Machine each DowntimeEvent of $keys has a ON_MACHINE to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:DowntimeEvent {id: key})-[:ON_MACHINE]->(b:Machine)
RETURN key, b.id AS other;

// name: ends_found_in
// The Batch each QualityIssue of $keys has a FOUND_IN to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:QualityIssue {issue_id: key})-[:FOUND_IN]->(b:Batch)
RETURN key, b.batch_id AS other;

// name: ends_has_investigation
// The QualityIssue with a HAS_INVESTIGATION to each Investigation of $keys (a Investigation has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:QualityIssue)-[:HAS_INVESTIGATION]->(:Investigation {id: key})
RETURN key, a.issue_id AS other;

// name: ends_verified_by
// The Investigation with a VERIFIED_BY to each VerificationTest of $keys (a VerificationTest has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:Investigation)-[:VERIFIED_BY]->(:VerificationTest {id: key})
RETURN key, a.id AS other;

// name: ends_has_action
// The QualityIssue with a HAS_ACTION to each Action of $keys (a Action has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:QualityIssue)-[:HAS_ACTION]->(:Action {id: key})
RETURN key, a.issue_id AS other;

// name: ends_notified
// The QualityIssue with a NOTIFIED to each SupplierNotification of $keys (a SupplierNotification has one).
// params: $keys
UNWIND $keys AS key
MATCH (a:QualityIssue)-[:NOTIFIED]->(:SupplierNotification {id: key})
RETURN key, a.issue_id AS other;

// name: ends_to_supplier
// The Supplier each SupplierNotification of $keys has a TO_SUPPLIER to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:SupplierNotification {id: key})-[:TO_SUPPLIER]->(b:Supplier)
RETURN key, b.id AS other;

// name: ends_changed_by
// The User each OrderStatusChange of $keys has a CHANGED_BY to (it has one).
// params: $keys
UNWIND $keys AS key
MATCH (:OrderStatusChange {id: key})-[:CHANGED_BY]->(b:User)
RETURN key, b.id AS other;

// name: consumed_reach
// Pairs of $keys (batch ids) where the first consumes the second through the graph's CONSUMED
// chains: with the load's own CONSUMED links, what would close a cycle.
// params: $keys
UNWIND $keys AS key
MATCH (a:Batch {batch_id: key})-[:CONSUMED*1..]->(b:Batch)
WHERE b.batch_id IN $keys
RETURN DISTINCT key AS src, b.batch_id AS dst;

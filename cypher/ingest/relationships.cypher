// Upserts of one relationship type (and endpoint label pair) each; endpoints are matched by
// key, so nodes are always written before the relationships that join them. What a load creates
// carries the load's id in `_load`, as in nodes.cypher.

// name: rel_supplied
// mode: write
// Merge Supplier-[:SUPPLIED]->MaterialLot; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Supplier {id: row.src})
MATCH (b:MaterialLot {lot_number: row.dst})
MERGE (a)-[r:SUPPLIED]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_supplied_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Supplier {id: row.src})
MATCH (b:MaterialLot {lot_number: row.dst})
CREATE (a)-[r:SUPPLIED]->(b)
SET r += row.props, r._load = $load;

// name: rel_of_material
// mode: write
// Merge MaterialLot-[:OF_MATERIAL]->Material; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:MaterialLot {lot_number: row.src})
MATCH (b:Material {id: row.dst})
MERGE (a)-[r:OF_MATERIAL]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_of_material_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:MaterialLot {lot_number: row.src})
MATCH (b:Material {id: row.dst})
CREATE (a)-[r:OF_MATERIAL]->(b)
SET r += row.props, r._load = $load;

// name: rel_preferred_supplier
// mode: write
// Merge Material-[:PREFERRED_SUPPLIER]->Supplier; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Material {id: row.src})
MATCH (b:Supplier {id: row.dst})
MERGE (a)-[r:PREFERRED_SUPPLIER]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_preferred_supplier_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Material {id: row.src})
MATCH (b:Supplier {id: row.dst})
CREATE (a)-[r:PREFERRED_SUPPLIER]->(b)
SET r += row.props, r._load = $load;

// name: rel_placed
// mode: write
// Merge Customer-[:PLACED]->Order; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Customer {id: row.src})
MATCH (b:Order {order_number: row.dst})
MERGE (a)-[r:PLACED]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_placed_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Customer {id: row.src})
MATCH (b:Order {order_number: row.dst})
CREATE (a)-[r:PLACED]->(b)
SET r += row.props, r._load = $load;

// name: rel_assigned_to
// mode: write
// Merge Order-[:ASSIGNED_TO]->Supplier; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:Supplier {id: row.dst})
MERGE (a)-[r:ASSIGNED_TO]->(b)
ON CREATE SET r._load = $load
SET r += row.props,
    r.assigned_at = datetime(row.props.assigned_at);

// name: rel_assigned_to_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:Supplier {id: row.dst})
CREATE (a)-[r:ASSIGNED_TO]->(b)
SET r += row.props, r._load = $load,
    r.assigned_at = datetime(row.props.assigned_at);

// name: rel_has_stage
// mode: write
// Merge Order-[:HAS_STAGE]->ProductionStage; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:ProductionStage {id: row.dst})
MERGE (a)-[r:HAS_STAGE]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_has_stage_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:ProductionStage {id: row.dst})
CREATE (a)-[r:HAS_STAGE]->(b)
SET r += row.props, r._load = $load;

// name: rel_has_qc_check
// mode: write
// Merge Order-[:HAS_QC_CHECK]->QCCheck; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:QCCheck {id: row.dst})
MERGE (a)-[r:HAS_QC_CHECK]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_has_qc_check_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:QCCheck {id: row.dst})
CREATE (a)-[r:HAS_QC_CHECK]->(b)
SET r += row.props, r._load = $load;

// name: rel_status_changed
// mode: write
// Merge Order-[:STATUS_CHANGED]->OrderStatusChange; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:OrderStatusChange {id: row.dst})
MERGE (a)-[r:STATUS_CHANGED]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_status_changed_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Order {order_number: row.src})
MATCH (b:OrderStatusChange {id: row.dst})
CREATE (a)-[r:STATUS_CHANGED]->(b)
SET r += row.props, r._load = $load;

// name: rel_at_stage
// mode: write
// Merge QCCheck-[:AT_STAGE]->ProductionStage; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QCCheck {id: row.src})
MATCH (b:ProductionStage {id: row.dst})
MERGE (a)-[r:AT_STAGE]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_at_stage_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QCCheck {id: row.src})
MATCH (b:ProductionStage {id: row.dst})
CREATE (a)-[r:AT_STAGE]->(b)
SET r += row.props, r._load = $load;

// name: rel_consumed_lot
// mode: write
// Merge Batch-[:CONSUMED]->MaterialLot; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:MaterialLot {lot_number: row.dst})
MERGE (a)-[r:CONSUMED]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_consumed_lot_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:MaterialLot {lot_number: row.dst})
CREATE (a)-[r:CONSUMED]->(b)
SET r += row.props, r._load = $load;

// name: rel_consumed_batch
// mode: write
// Merge Batch-[:CONSUMED]->Batch; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Batch {batch_id: row.dst})
MERGE (a)-[r:CONSUMED]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_consumed_batch_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Batch {batch_id: row.dst})
CREATE (a)-[r:CONSUMED]->(b)
SET r += row.props, r._load = $load;

// name: rel_produced
// mode: write
// Merge Batch-[:PRODUCED]->Serial; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Serial {serial_number: row.dst})
MERGE (a)-[r:PRODUCED]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_produced_serial
// mode: write
// Merge a Serial and its Batch-[:PRODUCED]->Serial in one pass; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MERGE (b:Serial {serial_number: row.dst})
ON CREATE SET b._load = $load
SET b += row.props
MERGE (a)-[r:PRODUCED]->(b)
ON CREATE SET r._load = $load;

// name: rel_produced_serial_create
// mode: write
// Create Serials known not to exist yet, each with its PRODUCED link from its batch.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
CREATE (a)-[r:PRODUCED]->(b:Serial {serial_number: row.dst})
SET b += row.props, b._load = $load, r._load = $load;

// name: rel_produced_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Serial {serial_number: row.dst})
CREATE (a)-[r:PRODUCED]->(b)
SET r += row.props, r._load = $load;

// name: rel_for_order
// mode: write
// Merge Batch-[:FOR_ORDER]->Order; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Order {order_number: row.dst})
MERGE (a)-[r:FOR_ORDER]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_for_order_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Order {order_number: row.dst})
CREATE (a)-[r:FOR_ORDER]->(b)
SET r += row.props, r._load = $load;

// name: rel_run_on
// mode: write
// Merge Batch-[:RUN_ON]->Machine; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Machine {id: row.dst})
MERGE (a)-[r:RUN_ON]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_run_on_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Machine {id: row.dst})
CREATE (a)-[r:RUN_ON]->(b)
SET r += row.props, r._load = $load;

// name: rel_operated_by
// mode: write
// Merge Batch-[:OPERATED_BY]->Operator; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Operator {id: row.dst})
MERGE (a)-[r:OPERATED_BY]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_operated_by_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Operator {id: row.dst})
CREATE (a)-[r:OPERATED_BY]->(b)
SET r += row.props, r._load = $load;

// name: rel_during_shift
// mode: write
// Merge Batch-[:DURING_SHIFT]->Shift; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Shift {id: row.dst})
MERGE (a)-[r:DURING_SHIFT]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_during_shift_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Batch {batch_id: row.src})
MATCH (b:Shift {id: row.dst})
CREATE (a)-[r:DURING_SHIFT]->(b)
SET r += row.props, r._load = $load;

// name: rel_on_machine
// mode: write
// Merge DowntimeEvent-[:ON_MACHINE]->Machine; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:DowntimeEvent {id: row.src})
MATCH (b:Machine {id: row.dst})
MERGE (a)-[r:ON_MACHINE]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_on_machine_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:DowntimeEvent {id: row.src})
MATCH (b:Machine {id: row.dst})
CREATE (a)-[r:ON_MACHINE]->(b)
SET r += row.props, r._load = $load;

// name: rel_found_in
// mode: write
// Merge QualityIssue-[:FOUND_IN]->Batch; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Batch {batch_id: row.dst})
MERGE (a)-[r:FOUND_IN]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_found_in_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Batch {batch_id: row.dst})
CREATE (a)-[r:FOUND_IN]->(b)
SET r += row.props, r._load = $load;

// name: rel_affects
// mode: write
// Merge QualityIssue-[:AFFECTS]->Serial; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Serial {serial_number: row.dst})
MERGE (a)-[r:AFFECTS]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_affects_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Serial {serial_number: row.dst})
CREATE (a)-[r:AFFECTS]->(b)
SET r += row.props, r._load = $load;

// name: rel_has_investigation
// mode: write
// Merge QualityIssue-[:HAS_INVESTIGATION]->Investigation; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Investigation {id: row.dst})
MERGE (a)-[r:HAS_INVESTIGATION]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_has_investigation_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Investigation {id: row.dst})
CREATE (a)-[r:HAS_INVESTIGATION]->(b)
SET r += row.props, r._load = $load;

// name: rel_suspects
// mode: write
// Merge Investigation-[:SUSPECTS]->MaterialLot; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Investigation {id: row.src})
MATCH (b:MaterialLot {lot_number: row.dst})
MERGE (a)-[r:SUSPECTS]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_suspects_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Investigation {id: row.src})
MATCH (b:MaterialLot {lot_number: row.dst})
CREATE (a)-[r:SUSPECTS]->(b)
SET r += row.props, r._load = $load;

// name: rel_verified_by
// mode: write
// Merge Investigation-[:VERIFIED_BY]->VerificationTest; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Investigation {id: row.src})
MATCH (b:VerificationTest {id: row.dst})
MERGE (a)-[r:VERIFIED_BY]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_verified_by_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:Investigation {id: row.src})
MATCH (b:VerificationTest {id: row.dst})
CREATE (a)-[r:VERIFIED_BY]->(b)
SET r += row.props, r._load = $load;

// name: rel_has_action
// mode: write
// Merge QualityIssue-[:HAS_ACTION]->Action; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Action {id: row.dst})
MERGE (a)-[r:HAS_ACTION]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_has_action_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:Action {id: row.dst})
CREATE (a)-[r:HAS_ACTION]->(b)
SET r += row.props, r._load = $load;

// name: rel_notified
// mode: write
// Merge QualityIssue-[:NOTIFIED]->SupplierNotification; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:SupplierNotification {id: row.dst})
MERGE (a)-[r:NOTIFIED]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_notified_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:QualityIssue {issue_id: row.src})
MATCH (b:SupplierNotification {id: row.dst})
CREATE (a)-[r:NOTIFIED]->(b)
SET r += row.props, r._load = $load;

// name: rel_to_supplier
// mode: write
// Merge SupplierNotification-[:TO_SUPPLIER]->Supplier; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:SupplierNotification {id: row.src})
MATCH (b:Supplier {id: row.dst})
MERGE (a)-[r:TO_SUPPLIER]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_to_supplier_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:SupplierNotification {id: row.src})
MATCH (b:Supplier {id: row.dst})
CREATE (a)-[r:TO_SUPPLIER]->(b)
SET r += row.props, r._load = $load;

// name: rel_works_for
// mode: write
// Merge User-[:WORKS_FOR]->Supplier; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:User {id: row.src})
MATCH (b:Supplier {id: row.dst})
MERGE (a)-[r:WORKS_FOR]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_works_for_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:User {id: row.src})
MATCH (b:Supplier {id: row.dst})
CREATE (a)-[r:WORKS_FOR]->(b)
SET r += row.props, r._load = $load;

// name: rel_represents
// mode: write
// Merge User-[:REPRESENTS]->Customer; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:User {id: row.src})
MATCH (b:Customer {id: row.dst})
MERGE (a)-[r:REPRESENTS]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_represents_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:User {id: row.src})
MATCH (b:Customer {id: row.dst})
CREATE (a)-[r:REPRESENTS]->(b)
SET r += row.props, r._load = $load;

// name: rel_changed_by
// mode: write
// Merge OrderStatusChange-[:CHANGED_BY]->User; row = {src, dst, props}.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:OrderStatusChange {id: row.src})
MATCH (b:User {id: row.dst})
MERGE (a)-[r:CHANGED_BY]->(b)
ON CREATE SET r._load = $load
SET r += row.props;

// name: rel_changed_by_create
// mode: write
// Create them where the rows are known new.
// params: $rows, $load
UNWIND $rows AS row
MATCH (a:OrderStatusChange {id: row.src})
MATCH (b:User {id: row.dst})
CREATE (a)-[r:CHANGED_BY]->(b)
SET r += row.props, r._load = $load;

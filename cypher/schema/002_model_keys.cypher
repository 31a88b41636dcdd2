// One unique key per label of the traceability model (docs/model.md). Each constraint also gives
// the key an index, which is what every MERGE in the loaders and every lookup by key uses.
CREATE CONSTRAINT supplier_id IF NOT EXISTS FOR (n:Supplier) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT material_id IF NOT EXISTS FOR (n:Material) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT material_lot_number IF NOT EXISTS FOR (n:MaterialLot) REQUIRE n.lot_number IS UNIQUE;
CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (n:Customer) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT order_number IF NOT EXISTS FOR (n:Order) REQUIRE n.order_number IS UNIQUE;
CREATE CONSTRAINT machine_id IF NOT EXISTS FOR (n:Machine) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT shift_id IF NOT EXISTS FOR (n:Shift) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT operator_id IF NOT EXISTS FOR (n:Operator) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT batch_id IF NOT EXISTS FOR (n:Batch) REQUIRE n.batch_id IS UNIQUE;
CREATE CONSTRAINT serial_number IF NOT EXISTS FOR (n:Serial) REQUIRE n.serial_number IS UNIQUE;
CREATE CONSTRAINT quality_issue_id IF NOT EXISTS FOR (n:QualityIssue) REQUIRE n.issue_id IS UNIQUE;
CREATE CONSTRAINT investigation_id IF NOT EXISTS FOR (n:Investigation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT verification_test_id IF NOT EXISTS FOR (n:VerificationTest) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT action_id IF NOT EXISTS FOR (n:Action) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT supplier_notification_id IF NOT EXISTS FOR (n:SupplierNotification) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT production_stage_id IF NOT EXISTS FOR (n:ProductionStage) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT qc_check_id IF NOT EXISTS FOR (n:QCCheck) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT order_status_change_id IF NOT EXISTS FOR (n:OrderStatusChange) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT downtime_event_id IF NOT EXISTS FOR (n:DowntimeEvent) REQUIRE n.id IS UNIQUE;

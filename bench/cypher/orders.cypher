// Orders for the mutation benchmark (bench/mutations.py): each assigned to the bench supplier
// with its eight pending stages, as assignSupplier leaves them.

// name: assigned_orders
// $count orders named $prefix + i, placed by $customer_id, assigned to $supplier_id.
// mode: write
// params: $prefix, $count, $customer_id, $supplier_id, $stage_names
MERGE (c:Customer {id: $customer_id})
MERGE (s:Supplier {id: $supplier_id})
WITH c, s
UNWIND range(1, $count) AS i
CREATE (c)-[:PLACED]->(o:Order {order_number: $prefix + i, part_number: 'PN-BENCH', quantity: 10,
        due_date: date() + duration({days: 30}), created_at: datetime(), version: 1,
        workflow_status: 'assigned_to_supplier', status: 'confirmed', production_status: 'not_started'})
CREATE (o)-[:ASSIGNED_TO {assigned_at: datetime(), assigned_by: 'bench'}]->(s)
WITH o
UNWIND range(1, size($stage_names)) AS seq
CREATE (o)-[:HAS_STAGE]->(:ProductionStage {id: o.order_number + '/' + seq, sequence: seq,
        name: $stage_names[seq - 1], status: 'pending', completion_percentage: 0, photo_urls: []})

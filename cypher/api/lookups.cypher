// Entities by key, many keys per call (root lookups go through the same DataLoaders).
// A key the caller's scope does not cover is answered like a missing one.

// name: supplier_by_id
// Supplier nodes by id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Supplier {id: key})
WHERE ($scope.role <> 'supplier' OR n.id = $scope.supplier_id)
RETURN key, collect(n{.*}) AS items

// name: material_by_id
// Material nodes by id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Material {id: key})
WHERE $scope.role IN ['admin', 'buyer', 'supplier']
RETURN key, collect(n{.*}) AS items

// name: lot_by_number
// MaterialLot nodes by lot_number, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:MaterialLot {lot_number: key})
WHERE ($scope.role = 'admin'
       OR ($scope.role = 'supplier' AND EXISTS { (:Supplier {id: $scope.supplier_id})-[:SUPPLIED]->(n) })
       OR ($scope.role = 'buyer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*1..]->(n) }))
RETURN key, collect(n{.*}) AS items

// name: customer_by_id
// Customer nodes by id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Customer {id: key})
WHERE ($scope.role <> 'buyer' OR n.id = $scope.customer_id)
RETURN key, collect(n{.*}) AS items

// name: order_by_number
// Order nodes by order_number, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Order {order_number: key})
WHERE ($scope.role = 'admin'
       OR ($scope.role = 'buyer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(n) })
       OR ($scope.role = 'supplier' AND EXISTS { (n)-[:ASSIGNED_TO]->(:Supplier {id: $scope.supplier_id}) }))
RETURN key, collect(n{.*}) AS items

// name: batch_by_id
// Batch nodes by batch_id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Batch {batch_id: key})
WHERE ($scope.role = 'admin'
       OR ($scope.role = 'buyer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->(n) })
       OR ($scope.role = 'supplier' AND EXISTS { (n)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(:Supplier {id: $scope.supplier_id}) }))
RETURN key, collect(n{.*}) AS items

// name: serial_by_number
// Serial nodes by serial_number, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Serial {serial_number: key})
WHERE ($scope.role = 'admin'
       OR ($scope.role = 'buyer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->(:Batch)-[:PRODUCED]->(n) })
       OR ($scope.role = 'supplier' AND EXISTS { (:Supplier {id: $scope.supplier_id})-[:SUPPLIED]->(:MaterialLot)<-[:CONSUMED*1..]-(:Batch)-[:PRODUCED]->(n) }))
RETURN key, collect(n{.*}) AS items

// name: issue_by_id
// QualityIssue nodes by issue_id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:QualityIssue {issue_id: key})
WHERE ($scope.role = 'admin'
       OR ($scope.role = 'buyer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->(:Batch)<-[:FOUND_IN]-(n) })
       OR ($scope.role = 'supplier' AND EXISTS { (n)-[:FOUND_IN]->(:Batch)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(:Supplier {id: $scope.supplier_id}) }))
RETURN key, collect(n{.*}) AS items

// Entities by key, many keys per call (root lookups go through the same DataLoaders).
// A key the caller's scope does not cover is answered like a missing one.

// name: supplier_by_id
// Supplier nodes by id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Supplier {id: key})
WHERE {{scope.Supplier(n)}}
RETURN key, collect({{scope.SupplierFields(n)}}) AS items

// name: material_by_id
// Material nodes by id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Material {id: key})
WHERE {{scope.Material(n)}}
RETURN key, collect(n{.*}) AS items

// name: lot_by_number
// MaterialLot nodes by lot_number, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:MaterialLot {lot_number: key})
WHERE {{scope.MaterialLot(n)}}
RETURN key, collect(n{.*}) AS items

// name: customer_by_id
// Customer nodes by id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Customer {id: key})
WHERE {{scope.Customer(n)}}
RETURN key, collect(n{.*}) AS items

// name: order_by_number
// Order nodes by order_number, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Order {order_number: key})
WHERE {{scope.Order(n)}}
RETURN key, collect({{scope.OrderFields(n)}}) AS items

// name: batch_by_id
// Batch nodes by batch_id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Batch {batch_id: key})
WHERE {{scope.Batch(n)}}
RETURN key, collect(n{.*}) AS items

// name: serial_by_number
// Serial nodes by serial_number, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:Serial {serial_number: key})
WHERE {{scope.Serial(n)}}
RETURN key, collect(n{.*}) AS items

// name: issue_by_id
// QualityIssue nodes by issue_id, within the caller's scope.
// params: $keys, $scope
UNWIND $keys AS key
MATCH (n:QualityIssue {issue_id: key})
WHERE {{scope.QualityIssue(n)}}
RETURN key, collect({{scope.QualityIssueFields(n)}}) AS items

// Who sees which rows: each rule written once, as a fragment over one variable, pasted by the
// query loader where a query writes {{scope.<Rule>(x)}}.
// $scope.rows is the caller's row scope from the one role table (tracegraph/access.py READS):
// 'all', 'customer' (a buyer: its customer's orders and what hangs off them) or 'supplier' (its
// lots, what was made from them, the orders assigned to it), with $scope.customer_id or
// $scope.supplier_id. Any other value, or none, sees nothing: every rule fails closed.

// fragment: Supplier(n)
// Suppliers are reference data, except that a supplier sees only itself.
// params: $scope
$scope.rows IN ['all', 'customer'] OR ($scope.rows = 'supplier' AND n.id = $scope.supplier_id)

// fragment: Customer(n)
// Customers are reference data, except that a buyer sees only its own.
// params: $scope
$scope.rows IN ['all', 'supplier'] OR ($scope.rows = 'customer' AND n.id = $scope.customer_id)

// fragment: Order(n)
// An order: its customer's buyers and the supplier it is assigned to.
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'customer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(n) })
  OR ($scope.rows = 'supplier' AND EXISTS { (n)-[:ASSIGNED_TO]->(:Supplier {id: $scope.supplier_id}) })

// fragment: MaterialLot(n)
// A lot: its supplier, and buyers whose orders' batches consumed it (at any depth).
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'supplier' AND EXISTS { (:Supplier {id: $scope.supplier_id})-[:SUPPLIED]->(n) })
  OR ($scope.rows = 'customer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*1..]->(n) })

// fragment: Batch(n)
// A batch: buyers whose orders it went into (at any depth), suppliers whose lots it consumed.
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'customer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->(n) })
  OR ($scope.rows = 'supplier' AND EXISTS { (n)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(:Supplier {id: $scope.supplier_id}) })

// fragment: QualityIssue(n)
// A quality issue: whoever sees the batch it was found in.
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'customer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->(:Batch)<-[:FOUND_IN]-(n) })
  OR ($scope.rows = 'supplier' AND EXISTS { (n)-[:FOUND_IN]->(:Batch)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(:Supplier {id: $scope.supplier_id}) })

// fragment: Serial(n)
// A serial: whoever sees the batch that produced it.
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'customer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order)<-[:FOR_ORDER]-(:Batch)-[:CONSUMED*0..]->(:Batch)-[:PRODUCED]->(n) })
  OR ($scope.rows = 'supplier' AND EXISTS { (:Supplier {id: $scope.supplier_id})-[:SUPPLIED]->(:MaterialLot)<-[:CONSUMED*1..]-(:Batch)-[:PRODUCED]->(n) })

// The traces' own rules: a trace walks the genealogy once (APOC) and keeps what the caller may
// see along the way, with checks cheaper than the per-label rules above.

// fragment: ForwardRoot(root)
// Where a forward trace may start: anywhere, but a supplier only from itself or its own lots.
// params: $scope
$scope.rows IN ['all', 'customer']
  OR ($scope.rows = 'supplier' AND ((root:Supplier AND root.id = $scope.supplier_id)
      OR (root:MaterialLot AND EXISTS { (root)<-[:SUPPLIED]-(:Supplier {id: $scope.supplier_id}) })))

// fragment: OwnOrderBatch(b)
// A batch a buyer sees in a trace: one made for its own orders (other roles: every batch).
// params: $scope
$scope.rows IN ['all', 'supplier']
  OR ($scope.rows = 'customer' AND EXISTS { (b)-[:FOR_ORDER]->(:Order)<-[:PLACED]-(:Customer {id: $scope.customer_id}) })

// fragment: BackwardBatch(b)
// A batch a backward trace shows: all of them upstream of a visible start, except that a supplier
// sees only batches made (at any depth) from its own lots.
// params: $scope
$scope.rows IN ['all', 'customer']
  OR ($scope.rows = 'supplier' AND EXISTS { (b)-[:CONSUMED*1..]->(:MaterialLot)<-[:SUPPLIED]-(:Supplier {id: $scope.supplier_id}) })

// fragment: SupplierNotification(n)
// A notification to a supplier: the plant's roles, and the supplier it was sent to (buyers do not
// read the plant's correspondence with its suppliers).
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'supplier' AND EXISTS { (n)-[:TO_SUPPLIER]->(:Supplier {id: $scope.supplier_id}) })

// fragment: BackwardStarts(starts)
// Where a backward trace may start: a buyer needs one of the start batches made for its orders, a
// supplier one made (at any depth) from its own lots.
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'customer' AND any(b IN starts WHERE EXISTS { (b)-[:FOR_ORDER]->(:Order)<-[:PLACED]-(:Customer {id: $scope.customer_id}) }))
  OR ($scope.rows = 'supplier' AND any(b IN starts WHERE {{scope.BackwardBatch(b)}}))

// fragment: Material(n)
// Materials are reference data: every caller with a row scope sees them.
// params: $scope
$scope.rows IN ['all', 'customer', 'supplier']

// fragment: InspectionState(n)
// A supplier and part number's inspection severity: the plant's roles, the supplier itself, and
// buyers with an order of that part assigned to that supplier (it says how their parts are
// checked; other customers' part numbers stay hidden).
// params: $scope
$scope.rows = 'all'
  OR ($scope.rows = 'supplier' AND n.supplier_id = $scope.supplier_id)
  OR ($scope.rows = 'customer' AND EXISTS { (:Customer {id: $scope.customer_id})-[:PLACED]->(:Order {part_number: n.part_number})-[:ASSIGNED_TO]->(:Supplier {id: n.supplier_id}) })

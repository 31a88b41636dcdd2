// What each role reads of a node: the node's properties, with the field groups its role does not
// see (tracegraph/access.py READS[role].hidden, passed as $scope.hidden) set to null. Queries
// project these nodes only through these fragments ({{scope.OrderFields(n)}} for n{.*}).
// Fail closed: a value shows only when $scope.hidden is given and does not name its group.

// fragment: OrderFields(n)
// An order; buyer_price is in group prices, supplier_cost in costs.
// params: $scope
n {.*,
  buyer_price: CASE WHEN $scope.hidden IS NOT NULL AND NOT 'prices' IN $scope.hidden THEN n.buyer_price END,
  supplier_cost: CASE WHEN $scope.hidden IS NOT NULL AND NOT 'costs' IN $scope.hidden THEN n.supplier_cost END}

// fragment: SupplierFields(n)
// A supplier; its contact fields are in group supplier_contacts, and in other_suppliers unless it
// is the caller's own supplier.
// params: $scope
n {.*,
  contact_name: CASE WHEN {{scope.SupplierContactsShown(n)}} THEN n.contact_name END,
  contact_email: CASE WHEN {{scope.SupplierContactsShown(n)}} THEN n.contact_email END,
  phone: CASE WHEN {{scope.SupplierContactsShown(n)}} THEN n.phone END}

// fragment: SupplierContactsShown(n)
// Whether the caller reads the contact fields of supplier n.
// params: $scope
($scope.hidden IS NOT NULL AND NOT 'supplier_contacts' IN $scope.hidden
  AND (NOT 'other_suppliers' IN $scope.hidden OR n.id = $scope.supplier_id))

// fragment: QualityCostsShown(n)
// Whether the caller reads quality costs (scrap, rework, downtime, investigation, totals).
// params: $scope
($scope.hidden IS NOT NULL AND NOT 'quality_costs' IN $scope.hidden)

// fragment: QualityIssueFields(n)
// A quality issue; its cost fields are in group quality_costs.
// params: $scope
n {.*,
  scrap_cost: CASE WHEN {{scope.QualityCostsShown(n)}} THEN n.scrap_cost END,
  rework_cost: CASE WHEN {{scope.QualityCostsShown(n)}} THEN n.rework_cost END,
  downtime_cost: CASE WHEN {{scope.QualityCostsShown(n)}} THEN n.downtime_cost END,
  investigation_cost: CASE WHEN {{scope.QualityCostsShown(n)}} THEN n.investigation_cost END,
  total_cost: CASE WHEN {{scope.QualityCostsShown(n)}} THEN n.total_cost END,
  charged_to_supplier: CASE WHEN {{scope.QualityCostsShown(n)}} THEN n.charged_to_supplier END}

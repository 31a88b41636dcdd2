// Mass balance per lot (issue 13 §3; BRCGS: quantity in = quantity out + losses): what came in
// (the lot's quantity), what went out into batches (every CONSUMED link's quantity) and what was
// lost (every Scrap of the lot's HAS_SCRAP), summed here; graph/mass_balance.py computes on hand,
// the difference and the flag from these sums.

// fragment: LotSums(l)
// What came into lot l and what went out of it (quantities missing on loaded data: nothing).
// params:
{
  lot_number: l.lot_number,
  supplier_id: [(x:Supplier)-[:SUPPLIED]->(l) | x.id][0],
  unit: l.unit,
  received: toFloat(coalesce(l.quantity, 0)),
  consumed: reduce(t = 0.0, q IN [(l)<-[c:CONSUMED]-(:Batch) | toFloat(coalesce(c.quantity, 0))] | t + q),
  consumptions: COUNT { (l)<-[:CONSUMED]-(:Batch) },
  scrapped: reduce(t = 0.0, q IN [(l)-[:HAS_SCRAP]->(x:Scrap) | toFloat(coalesce(x.quantity, 0))] | t + q)
}

// name: lot_balances
// The sums of one lot, or of every lot a supplier delivered (by lot number), as the caller may
// read them: found is false when the lot or supplier is missing or out of the caller's scope.
// params: $lot_number, $supplier_id, $scope
OPTIONAL MATCH (one:MaterialLot {lot_number: $lot_number})
WHERE {{scope.MaterialLot(one)}}
OPTIONAL MATCH (s:Supplier {id: $supplier_id})
WHERE {{scope.Supplier(s)}}
WITH one, s,
     CASE WHEN one IS NOT NULL THEN [one]
          WHEN s IS NOT NULL THEN COLLECT { MATCH (s)-[:SUPPLIED]->(l:MaterialLot) WHERE {{scope.MaterialLot(l)}} RETURN l ORDER BY l.lot_number }
          ELSE [] END AS lots
RETURN one IS NOT NULL OR s IS NOT NULL AS found,
       [l IN lots | {{recall.LotSums(l)}}] AS lots

// name: peer_balances
// The sums of every other lot of the same supplier and material as a lot of $lot_numbers, as the
// caller may read them: where material a recalled lot cannot account for may have gone.
// params: $lot_numbers, $scope
MATCH (s:Supplier)-[:SUPPLIED]->(l:MaterialLot)-[:OF_MATERIAL]->(m:Material)
WHERE l.lot_number IN $lot_numbers AND {{scope.MaterialLot(l)}}
MATCH (s)-[:SUPPLIED]->(p:MaterialLot)-[:OF_MATERIAL]->(m)
WHERE NOT p.lot_number IN $lot_numbers AND {{scope.MaterialLot(p)}}
WITH DISTINCT p ORDER BY p.lot_number
RETURN {{recall.LotSums(p)}} AS sums

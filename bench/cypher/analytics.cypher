// The analytics benchmark's own Cypher (bench/analytics.py); the service never loads it.

// name: serials_of_lot
// Up to $n serial numbers made (at any depth) from the lot $lot_number, in order.
// params: $lot_number, $n
MATCH (:MaterialLot {lot_number: $lot_number})<-[:CONSUMED*1..]-(:Batch)-[:PRODUCED]->(s:Serial)
WITH DISTINCT s.serial_number AS serial
ORDER BY serial
LIMIT $n
RETURN collect(serial) AS serials

-- The traces of cypher/traces/ as PostgreSQL recursive CTEs, for bench/postgres.py (issue 15).
-- Tables (made by bench/postgres.py from the graph): one per label, lower-cased ("order" quoted),
-- each row keyed by `nid` (the node's id in Neo4j) with its properties as columns; one per
-- relationship type (consumed, produced, ...) with `src`, `dst` and its properties, indexed
-- (src, dst) and (dst, src). Each trace is one statement, one round trip, answering what the
-- Cypher query answers (admin scope: every row visible).
--
-- How they are written: the genealogy walk is a recursive CTE over `consumed` (UNION, so a
-- (node, depth) pair is kept once: diamonds do not multiply rows, cycles end at $max_depth); the
-- shortest depth of each node is gathered into arrays in one MATERIALIZED CTE, and everything
-- after joins from those arrays' elements. The planner cannot estimate a recursive CTE's size,
-- and joined directly it may hash whole tables; from an array it sees a few rows and takes
-- the indexes.

-- name: forward
-- Forward trace summary from a lot (traces.forward with $lot_number): root, downstream batches
-- with their depth, their orders, customers, quality issues, the serial count and the first
-- $first serials (batches in listed order, serial numbers within a batch) with has_next_page.
-- params: $1 lot_number, $2 max_depth, $3 first
WITH RECURSIVE
root AS (SELECT nid, lot_number FROM materiallot WHERE lot_number = $1),
walk(nid, depth) AS (
  SELECT nid, 0 FROM root
  UNION
  SELECT c.src, w.depth + 1 FROM walk w JOIN consumed c ON c.dst = w.nid WHERE w.depth < $2
),
reached AS MATERIALIZED (
  SELECT array_agg(nid) AS nids, array_agg(depth) AS depths
  FROM (SELECT nid, min(depth) AS depth FROM walk GROUP BY nid) AS shortest
),
bs AS MATERIALIZED (
  SELECT b.nid, b.batch_id, b.production_date, b.level, b.status, b.quantity, r.depth
  FROM unnest((SELECT nids FROM reached), (SELECT depths FROM reached)) AS r(nid, depth)
  JOIN batch b ON b.nid = r.nid
),
orders AS MATERIALIZED (
  SELECT DISTINCT ON (o.order_number)
         o.order_number, o.status, o.part_number, c.id AS customer_id, c.name AS customer_name
  FROM bs
  JOIN for_order f ON f.src = bs.nid
  JOIN "order" o ON o.nid = f.dst
  LEFT JOIN placed p ON p.dst = o.nid
  LEFT JOIN customer c ON c.nid = p.src
  ORDER BY o.order_number
),
issues AS (
  SELECT q.issue_id, q.severity, q.status, q.total_cost, q.detected_at, min(bs.batch_id) AS batch_id
  FROM bs
  JOIN found_in f ON f.dst = bs.nid
  JOIN qualityissue q ON q.nid = f.src
  GROUP BY q.nid
),
page AS (
  SELECT s.serial_number, s.status, bs.batch_id
  FROM (SELECT nid, batch_id, depth FROM bs ORDER BY depth, batch_id) AS bs
  CROSS JOIN LATERAL (
    SELECT s.serial_number, s.status
    FROM produced p JOIN serial s ON s.nid = p.dst
    WHERE p.src = bs.nid
    ORDER BY s.serial_number
  ) AS s
  ORDER BY bs.depth, bs.batch_id, s.serial_number
  LIMIT $3 + 1
)
SELECT
  json_build_object('label', 'MaterialLot', 'key', root.lot_number) AS root,
  true AS visible,
  (SELECT coalesce(json_agg(json_build_object(
            'batch_id', batch_id, 'production_date', production_date::text, 'level', level,
            'status', status, 'quantity', quantity, 'depth', depth) ORDER BY depth, batch_id), '[]')
   FROM bs) AS batches,
  (SELECT coalesce(json_agg(json_build_object(
            'order_number', order_number, 'status', status, 'part_number', part_number,
            'customer_id', customer_id) ORDER BY order_number), '[]')
   FROM orders) AS orders,
  (SELECT coalesce(json_agg(json_build_object('id', customer_id, 'name', customer_name)
                            ORDER BY first_order), '[]')
   FROM (SELECT customer_id, customer_name, min(order_number) AS first_order FROM orders
         WHERE customer_id IS NOT NULL GROUP BY customer_id, customer_name) AS c) AS customers,
  (SELECT coalesce(json_agg(json_build_object(
            'issue_id', issue_id, 'severity', severity, 'status', status,
            'total_cost', total_cost, 'detected_at', cypher_instant(detected_at),
            'batch_id', batch_id) ORDER BY issue_id), '[]')
   FROM issues) AS issues,
  (SELECT count(*) FROM bs JOIN produced p ON p.src = bs.nid) AS serial_count,
  (SELECT coalesce(json_agg(json_build_object(
            'serial_number', serial_number, 'status', status, 'batch_id', batch_id)), '[]')
   FROM (SELECT * FROM page LIMIT $3) AS first_rows) AS serials,
  (SELECT count(*) > $3 FROM page) AS has_next_page
FROM root

-- name: forward_serial_numbers
-- Every serial number downstream of a lot, sorted (traces.forward_serial_numbers).
-- params: $1 lot_number, $2 max_depth
WITH RECURSIVE
root AS (SELECT nid FROM materiallot WHERE lot_number = $1),
walk(nid, depth) AS (
  SELECT nid, 0 FROM root
  UNION
  SELECT c.src, w.depth + 1 FROM walk w JOIN consumed c ON c.dst = w.nid WHERE w.depth < $2
),
reached AS MATERIALIZED (SELECT array_agg(DISTINCT nid) AS nids FROM walk)
SELECT true AS visible,
       coalesce((SELECT array_agg(s.serial_number ORDER BY s.serial_number)
                 FROM unnest((SELECT nids FROM reached)) AS r(nid)
                 JOIN produced p ON p.src = r.nid
                 JOIN serial s ON s.nid = p.dst), '{}') AS serial_numbers
FROM root

-- name: backward
-- Backward trace from a serial (traces.backward with $serial_number): the batches upstream with
-- their depth (0 = the batch that made it), the lots with supplier and material, the suppliers
-- and materials (first seen first), and the timeline sorted by (at, rank, subject).
-- params: $1 serial_number, $2 max_depth
WITH RECURSIVE
root AS (SELECT nid, serial_number FROM serial WHERE serial_number = $1),
walk(nid, depth) AS (
  SELECT p.src, 0 FROM root JOIN produced p ON p.dst = root.nid
  UNION
  SELECT c.dst, w.depth + 1 FROM walk w JOIN consumed c ON c.src = w.nid WHERE w.depth < $2
),
reached AS MATERIALIZED (
  SELECT array_agg(nid) AS nids, array_agg(depth) AS depths
  FROM (SELECT nid, min(depth) AS depth FROM walk GROUP BY nid) AS shortest
),
hits AS MATERIALIZED (
  SELECT nid, depth FROM unnest((SELECT nids FROM reached), (SELECT depths FROM reached)) AS r(nid, depth)
),
bs AS MATERIALIZED (
  SELECT b.nid, b.batch_id, b.production_date, b.level, b.status, b.quantity, h.depth
  FROM hits h JOIN batch b ON b.nid = h.nid
),
ls AS MATERIALIZED (
  SELECT l.nid, l.lot_number, l.quarantine_status, l.received_date, l.quantity, l.unit, h.depth,
         s.id AS supplier_id, s.name AS supplier_name, s.status AS supplier_status,
         m.id AS material_id, m.name AS material_name,
         row_number() OVER (ORDER BY h.depth, l.lot_number) AS pos
  FROM hits h
  JOIN materiallot l ON l.nid = h.nid
  LEFT JOIN supplied sp ON sp.dst = l.nid
  LEFT JOIN supplier s ON s.nid = sp.src
  LEFT JOIN of_material om ON om.src = l.nid
  LEFT JOIN material m ON m.nid = om.dst
),
events AS (
  SELECT b.production_date::timestamp AT TIME ZONE 'UTC' AS at, 1 AS rank, 'consumed' AS kind,
         coalesce(il.lot_number, ib.batch_id) AS subject,
         b.batch_id || ' consumed '
           || coalesce(cypher_float(c.quantity) || ' ' || coalesce(c.unit, ''), 'some')
           || ' of ' || coalesce(il.lot_number, ib.batch_id) AS detail
  FROM bs b
  JOIN consumed c ON c.src = b.nid
  LEFT JOIN bs ib ON ib.nid = c.dst
  LEFT JOIN (SELECT DISTINCT nid, lot_number FROM ls) AS il ON il.nid = c.dst
  WHERE ib.nid IS NOT NULL OR il.nid IS NOT NULL
  UNION ALL
  SELECT b.production_date::timestamp AT TIME ZONE 'UTC', 2, 'batch_produced', b.batch_id,
         b.batch_id || ' produced ' || coalesce(b.quantity::text, '?') || ' units'
  FROM bs b
  UNION ALL
  SELECT q.detected_at, 3, 'issue_found', q.issue_id,
         q.issue_id || ' found in ' || b.batch_id || ' (' || coalesce(q.severity, '?') || ')'
  FROM bs b
  JOIN found_in f ON f.dst = b.nid
  JOIN qualityissue q ON q.nid = f.src
  UNION ALL
  SELECT l.received_date::timestamp AT TIME ZONE 'UTC', 0, 'lot_received', l.lot_number,
         l.lot_number || ' received'
  FROM ls l
)
SELECT
  json_build_object('label', 'Serial', 'key', root.serial_number) AS root,
  true AS visible,
  (SELECT coalesce(json_agg(json_build_object(
            'batch_id', batch_id, 'production_date', production_date::text, 'level', level,
            'status', status, 'quantity', quantity, 'depth', depth) ORDER BY depth, batch_id), '[]')
   FROM bs) AS batches,
  (SELECT coalesce(json_agg(json_build_object(
            'lot_number', lot_number, 'quarantine_status', quarantine_status,
            'received_date', received_date::text, 'quantity', quantity, 'unit', unit,
            'depth', depth, 'supplier_id', supplier_id, 'material_id', material_id)
            ORDER BY depth, lot_number), '[]')
   FROM ls) AS lots,
  (SELECT coalesce(json_agg(json_build_object('id', supplier_id, 'name', supplier_name,
                                              'status', supplier_status) ORDER BY first), '[]')
   FROM (SELECT supplier_id, supplier_name, supplier_status, min(pos) AS first
         FROM ls WHERE supplier_id IS NOT NULL
         GROUP BY supplier_id, supplier_name, supplier_status) AS s) AS suppliers,
  (SELECT coalesce(json_agg(json_build_object('id', material_id, 'name', material_name)
                            ORDER BY first), '[]')
   FROM (SELECT material_id, material_name, min(pos) AS first
         FROM ls WHERE material_id IS NOT NULL
         GROUP BY material_id, material_name) AS m) AS materials,
  (SELECT coalesce(json_agg(json_build_object(
            'at', cypher_instant(at), 'kind', kind, 'subject', subject, 'detail', detail)
            ORDER BY at, rank, subject), '[]')
   FROM events WHERE at IS NOT NULL) AS timeline
FROM root

-- name: sample_serials
-- The backward trace's starting points: the first serial of $1 batches spread over the graph
-- (batches that made serials, in md5(batch_id) order: a fixed pseudo-random sample).
-- params: $1 n
SELECT first_serial.serial_number
FROM (SELECT nid FROM batch b
      WHERE EXISTS (SELECT FROM produced p WHERE p.src = b.nid)
      ORDER BY md5(batch_id) LIMIT $1) AS b
CROSS JOIN LATERAL (
  SELECT s.serial_number FROM produced p JOIN serial s ON s.nid = p.dst
  WHERE p.src = b.nid ORDER BY s.serial_number LIMIT 1
) AS first_serial

-- Helpers for bench/postgres.py's trace SQL: Cypher's string forms, so both stores give the same
-- answer byte for byte. Plain SQL functions, IMMUTABLE: the planner inlines them.

-- name: cypher_float
-- toString() of a Cypher FLOAT (Java's Double.toString): 1.0, 12.5, 0.30000000000000004.
CREATE OR REPLACE FUNCTION cypher_float(x double precision) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN abs(x) >= 1e-3 AND abs(x) < 1e7 AND x = trunc(x) THEN trunc(x)::bigint::text || '.0'
    WHEN abs(x) >= 1e-3 AND abs(x) < 1e7 THEN x::text
    WHEN x = 0 THEN '0.0'
    -- Scientific notation (outside [1e-3, 1e7)) differs in form; the bench graphs have none.
    ELSE x::text
  END
$$;

-- name: cypher_instant
-- toString() of a UTC Cypher DATETIME: 2025-03-01T00:00:00Z, 2025-03-01T10:11:12.5Z.
CREATE OR REPLACE FUNCTION cypher_instant(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
         || coalesce('.' || nullif(rtrim(to_char(t AT TIME ZONE 'UTC', 'US'), '0'), ''), '')
         || 'Z'
$$;

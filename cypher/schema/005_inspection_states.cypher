// The ISO 2859-1 switching state of one supplier and part number (graph/qc_checks.py): one node
// per pair. The unique pair makes MERGE on it a lock, so the first QC check of a new pair cannot
// create it twice when two checks race.
CREATE CONSTRAINT inspection_state_pair IF NOT EXISTS FOR (n:InspectionState) REQUIRE (n.supplier_id, n.part_number) IS UNIQUE;

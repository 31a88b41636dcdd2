// Quarantines of material lots (quarantineLot / releaseLot, graph/holds.py): one node per
// quarantine, active until released. The holds downstream are derived from them when read.
CREATE CONSTRAINT quarantine_id_unique IF NOT EXISTS FOR (n:Quarantine) REQUIRE n.id IS UNIQUE;

// Recall campaigns (openRecall, graph/recall_campaign.py): one node per recall; the holds read
// only the open ones (cypher/holds/holds.cypher asks whether any is open: the status index).
CREATE CONSTRAINT recall_id_unique IF NOT EXISTS FOR (n:Recall) REQUIRE n.id IS UNIQUE;
CREATE INDEX recall_status IF NOT EXISTS FOR (n:Recall) ON (n.status);
// The counter recall ids come from: MERGE on a unique name locks it, so two opens never share one.
CREATE CONSTRAINT counter_name_unique IF NOT EXISTS FOR (n:Counter) REQUIRE n.name IS UNIQUE;

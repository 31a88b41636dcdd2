// The recall benchmark's own clean-up: it opens recalls of the bench lot to time openRecall and
// removes them (and their events) afterwards, so the bench graph's holds stay as they were.

// name: delete_bench_recalls
// mode: write
// params: $reason
MATCH (r:Recall {reason: $reason})
OPTIONAL MATCH (e:Event)-[:ABOUT]->(r)
WITH r, collect(e) AS events
FOREACH (e IN events | DETACH DELETE e)
DETACH DELETE r
RETURN count(*) AS deleted

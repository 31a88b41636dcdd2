// Quality investigations as mutations (issue 12 §2): one sequence node per detection day numbers
// the issues reported that day (QI-<year>-<MMDD>-<nnn>); MERGE on the unique day makes a second
// reporter of the same day wait for the first. Actions are found by owner (who may edit them).
CREATE CONSTRAINT issue_sequence_day IF NOT EXISTS FOR (n:IssueSequence) REQUIRE n.day IS UNIQUE;
CREATE INDEX action_owner IF NOT EXISTS FOR (n:Action) ON (n.owner);

// Analytics (issue 14): the root-cause ranking's "serials with status defective" seeks them.
CREATE INDEX serial_status IF NOT EXISTS FOR (n:Serial) ON (n.status);

-- A department's newer submission replaces its own earlier value, also when it answers a package
-- issued again before that earlier submission was merged.

-- The report revision each merged return wrote at: the changes a cell's history shows at that
-- revision are the department's own. NULL for a return merged before this migration, which
-- then counts as no one's (the merge treats such a change as the coordinator's).
ALTER TABLE submission_log ADD COLUMN revision INTEGER;

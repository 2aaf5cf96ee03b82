-- A contest's verdict policy (docs/judging.md) as JSON; NULL: the judge's own.
ALTER TABLE contests ADD COLUMN verdict_policy TEXT;

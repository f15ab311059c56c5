-- 0007: PLACEHOLDER on the work-attendance branch only. Version 0007 is reserved for the work-places branch
-- (0007_work_places.sql); migrations must have no gaps, so this no-op stands in for it until the branches are
-- merged. On merge, take the work-places branch's file and drop this one.
SELECT 1;

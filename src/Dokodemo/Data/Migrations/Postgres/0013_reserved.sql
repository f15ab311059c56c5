-- Placeholder on the seats-core branch only: 0013 is reserved for another branch. Drop this file when merging.
SELECT 1;

-- Placeholder on the seats-checkin branch only: 0015 is reserved for another branch (seat series). Drop this file when merging.
SELECT 1;

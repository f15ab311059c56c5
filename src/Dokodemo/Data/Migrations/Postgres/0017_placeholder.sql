-- Reserved for Talk (channels and messages); this placeholder keeps the numbering gap-free on the live branch and is
-- replaced by Talk's migration at merge.
SELECT 1;

-- 0003: the append-only, hash-chained audit log (R43–R46).
-- Forward-only: never edit after release.

CREATE TABLE "AuditEntries" (
    "Sequence" bigint NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "Event" character varying(64) NOT NULL,
    "ActorId" character varying(450),
    "SubjectId" character varying(450),
    "Outcome" character varying(16) NOT NULL,
    "IpAddress" character varying(64) NOT NULL,
    "Details" text NOT NULL,
    "PreviousHash" character varying(64) NOT NULL,
    "Hash" character varying(64) NOT NULL,
    CONSTRAINT "PK_AuditEntries" PRIMARY KEY ("Sequence")
);

CREATE INDEX "IX_AuditEntries_ActorId" ON "AuditEntries" ("ActorId");

CREATE INDEX "IX_AuditEntries_At" ON "AuditEntries" ("At");

-- Append-only at the database layer (R46): the application never updates, deletes or truncates an entry.
-- (A deployment that gives the app a role without UPDATE/DELETE on this table is stronger still.)
CREATE FUNCTION dokodemo_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END
$$;

CREATE TRIGGER "AuditEntries_append_only" BEFORE UPDATE OR DELETE ON "AuditEntries"
    FOR EACH ROW EXECUTE FUNCTION dokodemo_audit_append_only();

CREATE TRIGGER "AuditEntries_no_truncate" BEFORE TRUNCATE ON "AuditEntries"
    FOR EACH STATEMENT EXECUTE FUNCTION dokodemo_audit_append_only();

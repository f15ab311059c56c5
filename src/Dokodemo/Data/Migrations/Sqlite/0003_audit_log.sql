-- 0003: the append-only, hash-chained audit log (R43–R46).
-- Forward-only: never edit after release.

CREATE TABLE "AuditEntries" (
    "Sequence" INTEGER NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY,
    "At" INTEGER NOT NULL,
    "Event" TEXT NOT NULL,
    "ActorId" TEXT NULL,
    "SubjectId" TEXT NULL,
    "Outcome" TEXT NOT NULL,
    "IpAddress" TEXT NOT NULL,
    "Details" TEXT NOT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);

CREATE INDEX "IX_AuditEntries_ActorId" ON "AuditEntries" ("ActorId");

CREATE INDEX "IX_AuditEntries_At" ON "AuditEntries" ("At");

-- Append-only at the database layer (R46): the application never updates or deletes an entry.
CREATE TRIGGER "AuditEntries_no_update" BEFORE UPDATE ON "AuditEntries"
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;

CREATE TRIGGER "AuditEntries_no_delete" BEFORE DELETE ON "AuditEntries"
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;

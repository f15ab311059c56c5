-- Where and decision on each audit entry; the signing key and signed checkpoints of the log (R43, R45).
-- Forward-only: never edit after release.

-- New columns are NULL on existing entries, and a NULL one is left out of an entry's hash, so old entries still verify.
ALTER TABLE "AuditEntries" ADD "DeviceId" TEXT NULL;
ALTER TABLE "AuditEntries" ADD "NetworkZone" TEXT NULL;
ALTER TABLE "AuditEntries" ADD "Country" TEXT NULL;
ALTER TABLE "AuditEntries" ADD "Decision" TEXT NULL;
ALTER TABLE "AuditEntries" ADD "PolicyVersion" INTEGER NULL;

CREATE INDEX "IX_AuditEntries_Event" ON "AuditEntries" ("Event");

CREATE INDEX "IX_AuditEntries_SubjectId" ON "AuditEntries" ("SubjectId");

CREATE TABLE "AuditSigningKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditSigningKeys" PRIMARY KEY AUTOINCREMENT,
    "KeyId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "PublicKey" TEXT NOT NULL,
    "ProtectedPrivateKey" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "IX_AuditSigningKeys_KeyId" ON "AuditSigningKeys" ("KeyId");

CREATE TABLE "AuditCheckpoints" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditCheckpoints" PRIMARY KEY AUTOINCREMENT,
    "Size" INTEGER NOT NULL,
    "HeadHash" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "KeyId" TEXT NOT NULL,
    "Note" TEXT NOT NULL
);

CREATE INDEX "IX_AuditCheckpoints_Size" ON "AuditCheckpoints" ("Size");

-- Keys and checkpoints are append-only too (R46): a new key is a new row; a checkpoint is never changed.
CREATE TRIGGER "AuditSigningKeys_no_update" BEFORE UPDATE ON "AuditSigningKeys"
BEGIN
    SELECT RAISE(ABORT, 'audit signing keys are append-only');
END;

CREATE TRIGGER "AuditSigningKeys_no_delete" BEFORE DELETE ON "AuditSigningKeys"
BEGIN
    SELECT RAISE(ABORT, 'audit signing keys are append-only');
END;

CREATE TRIGGER "AuditCheckpoints_no_update" BEFORE UPDATE ON "AuditCheckpoints"
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;

CREATE TRIGGER "AuditCheckpoints_no_delete" BEFORE DELETE ON "AuditCheckpoints"
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;

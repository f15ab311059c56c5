-- 0005: the Data Protection key ring, shared by every node (R40). Each key's secret part is stored
-- encrypted with the key-encryption key (Dokodemo:KeyEncryptionKeyFile), never in plain text.
-- Forward-only: never edit after release.

CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NOT NULL
);

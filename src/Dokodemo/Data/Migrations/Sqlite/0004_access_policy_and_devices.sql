-- 0004: zero-trust access: devices, periods abroad, the versioned access policy, classification labels,
-- and the device each session comes from.
-- Forward-only: never edit after release.

CREATE TABLE "AccessPolicies" (
    "Version" INTEGER NOT NULL CONSTRAINT "PK_AccessPolicies" PRIMARY KEY,
    "Json" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL,
    "Comment" TEXT NOT NULL
);

CREATE TABLE "ResourceLabels" (
    "ResourceType" TEXT NOT NULL,
    "ObjectId" TEXT NOT NULL,
    "Level" INTEGER NOT NULL,
    "Flags" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedById" TEXT NULL,
    CONSTRAINT "PK_ResourceLabels" PRIMARY KEY ("ResourceType", "ObjectId")
);

CREATE TABLE "CountryGrants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CountryGrants" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Country" TEXT NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "GrantedById" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    CONSTRAINT "FK_CountryGrants_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Devices" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Devices" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Trust" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastSeenAt" INTEGER NOT NULL,
    "UserAgent" TEXT NOT NULL,
    "LastIp" TEXT NOT NULL,
    "RegisteredAt" INTEGER NULL,
    "ManagedAt" INTEGER NULL,
    "ManagedById" TEXT NULL,
    "RemovedAt" INTEGER NULL,
    CONSTRAINT "FK_Devices_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_CountryGrants_UserId" ON "CountryGrants" ("UserId");

CREATE INDEX "IX_Devices_TokenHash_UserId" ON "Devices" ("TokenHash", "UserId");

CREATE INDEX "IX_Devices_UserId" ON "Devices" ("UserId");

ALTER TABLE "UserSessions" ADD "DeviceId" TEXT NULL;

CREATE INDEX "IX_UserSessions_DeviceId" ON "UserSessions" ("DeviceId");

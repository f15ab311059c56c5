-- 0004: zero-trust access: devices, periods abroad, the versioned access policy, classification labels,
-- and the device each session comes from.
-- Forward-only: never edit after release.

CREATE TABLE "AccessPolicies" (
    "Version" integer NOT NULL,
    "Json" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "CreatedById" character varying(450),
    "Comment" character varying(200) NOT NULL,
    CONSTRAINT "PK_AccessPolicies" PRIMARY KEY ("Version")
);

CREATE TABLE "ResourceLabels" (
    "ResourceType" character varying(64) NOT NULL,
    "ObjectId" character varying(64) NOT NULL,
    "Level" smallint NOT NULL,
    "Flags" smallint NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    "UpdatedById" character varying(450),
    CONSTRAINT "PK_ResourceLabels" PRIMARY KEY ("ResourceType", "ObjectId")
);

CREATE TABLE "CountryGrants" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "Country" character varying(2) NOT NULL,
    "From" date NOT NULL,
    "To" date NOT NULL,
    "Reason" character varying(200) NOT NULL,
    "GrantedById" character varying(450),
    "CreatedAt" timestamp with time zone NOT NULL,
    "RevokedAt" timestamp with time zone,
    CONSTRAINT "PK_CountryGrants" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_CountryGrants_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Devices" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "TokenHash" character varying(64) NOT NULL,
    "Name" character varying(50) NOT NULL,
    "Trust" smallint NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "LastSeenAt" timestamp with time zone NOT NULL,
    "UserAgent" character varying(300) NOT NULL,
    "LastIp" character varying(64) NOT NULL,
    "RegisteredAt" timestamp with time zone,
    "ManagedAt" timestamp with time zone,
    "ManagedById" character varying(450),
    "RemovedAt" timestamp with time zone,
    CONSTRAINT "PK_Devices" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Devices_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_CountryGrants_UserId" ON "CountryGrants" ("UserId");

CREATE INDEX "IX_Devices_TokenHash_UserId" ON "Devices" ("TokenHash", "UserId");

CREATE INDEX "IX_Devices_UserId" ON "Devices" ("UserId");

ALTER TABLE "UserSessions" ADD "DeviceId" uuid NULL;

CREATE INDEX "IX_UserSessions_DeviceId" ON "UserSessions" ("DeviceId");

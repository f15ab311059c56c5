-- 0002: one-time invite links and server-side sign-in sessions.
-- Forward-only: never edit after release.

CREATE TABLE "Invites" (
    "Id" uuid NOT NULL,
    "Purpose" integer NOT NULL,
    "TokenHash" character varying(64) NOT NULL,
    "UserId" text,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "PasswordSetAt" timestamp with time zone,
    "CompletedAt" timestamp with time zone,
    "CreatedById" text,
    CONSTRAINT "PK_Invites" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Invites_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "UserSessions" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "LastSeenAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "EndedAt" timestamp with time zone,
    "AuthMethod" character varying(32) NOT NULL,
    "UserAgent" character varying(300) NOT NULL,
    "IpAddress" character varying(64) NOT NULL,
    "Ticket" bytea NOT NULL,
    CONSTRAINT "PK_UserSessions" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_UserSessions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_Invites_TokenHash" ON "Invites" ("TokenHash");

CREATE INDEX "IX_Invites_UserId" ON "Invites" ("UserId");

CREATE INDEX "IX_UserSessions_UserId" ON "UserSessions" ("UserId");

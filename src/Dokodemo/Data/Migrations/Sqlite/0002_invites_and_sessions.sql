-- 0002: one-time invite links and server-side sign-in sessions.
-- Forward-only: never edit after release.

CREATE TABLE "Invites" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Invites" PRIMARY KEY,
    "Purpose" INTEGER NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "UserId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "PasswordSetAt" INTEGER NULL,
    "CompletedAt" INTEGER NULL,
    "CreatedById" TEXT NULL,
    CONSTRAINT "FK_Invites_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "UserSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_UserSessions" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastSeenAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "EndedAt" INTEGER NULL,
    "AuthMethod" TEXT NOT NULL,
    "UserAgent" TEXT NOT NULL,
    "IpAddress" TEXT NOT NULL,
    "Ticket" BLOB NOT NULL,
    CONSTRAINT "FK_UserSessions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_Invites_TokenHash" ON "Invites" ("TokenHash");

CREATE INDEX "IX_Invites_UserId" ON "Invites" ("UserId");

CREATE INDEX "IX_UserSessions_UserId" ON "UserSessions" ("UserId");

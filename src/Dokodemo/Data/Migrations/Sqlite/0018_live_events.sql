-- Live events (issue 6 item 4): the append-only log behind the SSE stream /api/v1/talk/stream. AUTOINCREMENT so an id
-- is never used twice, even after the retention sweep deleted the newest rows (a reconnect's Last-Event-ID must not
-- meet a different event with the same id). SQLite serializes writers, so ids are visible in commit order.

CREATE TABLE "LiveEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LiveEvents" PRIMARY KEY AUTOINCREMENT,
    "CreatedAt" INTEGER NOT NULL,
    "ChannelId" INTEGER NULL,
    "UserId" TEXT NULL,
    "Type" TEXT NOT NULL,
    "Payload" TEXT NOT NULL
);

CREATE INDEX "IX_LiveEvents_ChannelId_Id" ON "LiveEvents" ("ChannelId", "Id");
CREATE INDEX "IX_LiveEvents_CreatedAt" ON "LiveEvents" ("CreatedAt");
CREATE INDEX "IX_LiveEvents_UserId_Id" ON "LiveEvents" ("UserId", "Id");

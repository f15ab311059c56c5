-- The town calendar: imported Cabinet Office holiday lists, the town's own closing days, private calendar feeds.
CREATE TABLE "HolidayLists" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_HolidayLists" PRIMARY KEY AUTOINCREMENT,
    "Text" TEXT NOT NULL,
    "FirstYear" INTEGER NOT NULL,
    "LastYear" INTEGER NOT NULL,
    "Rows" INTEGER NOT NULL,
    "FileName" TEXT NOT NULL,
    "Encoding" TEXT NOT NULL,
    "ImportedAt" INTEGER NOT NULL,
    "ImportedById" TEXT NULL
);

CREATE TABLE "TownClosingDays" (
    "Date" TEXT NOT NULL CONSTRAINT "PK_TownClosingDays" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL
);

CREATE TABLE "CalendarFeeds" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CalendarFeeds" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    "LastUsedAt" INTEGER NULL,
    CONSTRAINT "FK_CalendarFeeds_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_CalendarFeeds_TokenHash" ON "CalendarFeeds" ("TokenHash");
CREATE INDEX "IX_CalendarFeeds_UserId" ON "CalendarFeeds" ("UserId");

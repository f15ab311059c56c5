-- C-2 労働時間の状況の把握: objective records of working time (the app's own signed-in activity per device, PC
-- log-on/log-off and building entry imports) and supervisors' confirmation notes. Kept at least three years.

CREATE TABLE "WorkRecordLogs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WorkRecordLogs" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "Source" INTEGER NOT NULL,
    "DeviceId" TEXT NULL,
    "Start" INTEGER NOT NULL,
    "End" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL,
    CONSTRAINT "FK_WorkRecordLogs_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkRecordNotes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WorkRecordNotes" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "Note" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NOT NULL,
    CONSTRAINT "FK_WorkRecordNotes_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_WorkRecordLogs_Date" ON "WorkRecordLogs" ("Date");
CREATE INDEX "IX_WorkRecordLogs_UserId_Date" ON "WorkRecordLogs" ("UserId", "Date");
CREATE INDEX "IX_WorkRecordNotes_UserId_Date" ON "WorkRecordNotes" ("UserId", "Date");

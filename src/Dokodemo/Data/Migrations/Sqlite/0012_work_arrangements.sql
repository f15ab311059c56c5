-- 割振り beyond the regular schedule: flex 申告 (D-4) and 早出遅出 請求 (D-5), and the days an assigned one gives.
-- One assigned day per person and date: the unique index makes two arrangements assigning the same day impossible.
CREATE TABLE "WorkArrangements" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WorkArrangements" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NOT NULL,
    "PatternName" TEXT NULL,
    "CoreStartMinute" INTEGER NULL,
    "CoreEndMinute" INTEGER NULL,
    "PlanJson" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "RequestedById" TEXT NOT NULL,
    "DecidedAt" INTEGER NULL,
    "DecidedById" TEXT NULL,
    "Comment" TEXT NULL
);
CREATE TABLE "WorkDayAssignments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkDayAssignments" PRIMARY KEY AUTOINCREMENT,
    "ArrangementId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "StartMinute" INTEGER NOT NULL,
    "EndMinute" INTEGER NOT NULL,
    "BreakStartMinute" INTEGER NULL,
    "BreakEndMinute" INTEGER NULL,
    "SpecialDay" INTEGER NOT NULL
);
CREATE INDEX "IX_WorkArrangements_Status" ON "WorkArrangements" ("Status");
CREATE INDEX "IX_WorkArrangements_UserId_From" ON "WorkArrangements" ("UserId", "From");
CREATE INDEX "IX_WorkDayAssignments_ArrangementId" ON "WorkDayAssignments" ("ArrangementId");
CREATE INDEX "IX_WorkDayAssignments_Date" ON "WorkDayAssignments" ("Date");
CREATE UNIQUE INDEX "IX_WorkDayAssignments_UserId_Date" ON "WorkDayAssignments" ("UserId", "Date");

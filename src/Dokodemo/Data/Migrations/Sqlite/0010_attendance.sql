-- 0008: attendance (勤怠) — the regular schedule (正規の勤務時間) per town and department, clock records in UTC with
-- the person's time zone, corrections that keep the records they replace, overtime orders (命令) and their
-- confirmation (確認), and the monthly close (締め).
-- Forward-only: never edit after release.

CREATE TABLE "WorkSchedules" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkSchedules" PRIMARY KEY AUTOINCREMENT,
    "DepartmentId" INTEGER NULL,
    "StartMinute" INTEGER NOT NULL,
    "EndMinute" INTEGER NOT NULL,
    "BreakStartMinute" INTEGER NOT NULL,
    "BreakEndMinute" INTEGER NOT NULL,
    "LegalRestDay" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedById" TEXT NULL
);

CREATE TABLE "AttendanceCorrections" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AttendanceCorrections" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "Proposed" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "RequestedById" TEXT NOT NULL,
    "DecidedAt" INTEGER NULL,
    "DecidedById" TEXT NULL,
    "Comment" TEXT NULL,
    "LockedMonth" INTEGER NOT NULL,
    CONSTRAINT "FK_AttendanceCorrections_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AttendanceMonths" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AttendanceMonths" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Month" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "SubmittedAt" INTEGER NULL,
    "ApprovedAt" INTEGER NULL,
    "ApprovedById" TEXT NULL,
    "ReturnedAt" INTEGER NULL,
    "ReturnedById" TEXT NULL,
    "Comment" TEXT NULL,
    "LockedAt" INTEGER NULL,
    "LockedById" TEXT NULL,
    CONSTRAINT "FK_AttendanceMonths_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ClockRecords" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ClockRecords" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "Start" INTEGER NOT NULL,
    "End" INTEGER NULL,
    "TimeZone" TEXT NOT NULL,
    "DeviceId" TEXT NULL,
    "Place" TEXT NOT NULL,
    "Source" INTEGER NOT NULL,
    "CorrectionId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL,
    "SupersededAt" INTEGER NULL,
    "SupersededById" TEXT NULL,
    CONSTRAINT "FK_ClockRecords_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "OvertimeOrders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OvertimeOrders" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "Start" INTEGER NOT NULL,
    "End" INTEGER NOT NULL,
    "Purpose" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NOT NULL,
    "OrderedAt" INTEGER NULL,
    "OrderedById" TEXT NULL,
    "AfterTheFact" INTEGER NOT NULL,
    "ActualStart" INTEGER NULL,
    "ActualEnd" INTEGER NULL,
    "ReportedAt" INTEGER NULL,
    "ConfirmedAt" INTEGER NULL,
    "ConfirmedById" TEXT NULL,
    "Comment" TEXT NULL,
    CONSTRAINT "FK_OvertimeOrders_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AttendanceCorrections_Status" ON "AttendanceCorrections" ("Status");

CREATE INDEX "IX_AttendanceCorrections_UserId_Date" ON "AttendanceCorrections" ("UserId", "Date");

CREATE INDEX "IX_AttendanceMonths_Month" ON "AttendanceMonths" ("Month");

CREATE UNIQUE INDEX "IX_AttendanceMonths_UserId_Month" ON "AttendanceMonths" ("UserId", "Month");

CREATE INDEX "IX_ClockRecords_Date" ON "ClockRecords" ("Date");

CREATE INDEX "IX_ClockRecords_UserId_Date" ON "ClockRecords" ("UserId", "Date");

CREATE INDEX "IX_OvertimeOrders_Date" ON "OvertimeOrders" ("Date");

CREATE INDEX "IX_OvertimeOrders_UserId_Date" ON "OvertimeOrders" ("UserId", "Date");

CREATE UNIQUE INDEX "IX_WorkSchedules_DepartmentId" ON "WorkSchedules" ("DepartmentId");

-- 0007: Work places (declarations per half day, weekly patterns), telework requests with their days, the town's
-- telework settings (and allowance parameters) and training records. The administrator's interim country grants are
-- dropped: approved "Abroad" telework requests are now what the access policy reads for work from abroad. Existing
-- grants are not carried over (they had no approver or request behind them); people abroad request again.
DROP TABLE "CountryGrants";

CREATE TABLE "TeleworkSettings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TeleworkSettings" PRIMARY KEY,
    "EligibleKinds" TEXT NOT NULL,
    "EligibleDepartments" TEXT NOT NULL,
    "TrainingRequired" INTEGER NOT NULL,
    "MaxDaysPerWeek" INTEGER NOT NULL,
    "MinDaysAhead" INTEGER NOT NULL,
    "ApprovalRequired" INTEGER NOT NULL,
    "AllowanceEnabled" INTEGER NOT NULL,
    "AllowanceThresholdDays" INTEGER NOT NULL,
    "AllowanceWindowMonths" INTEGER NOT NULL,
    "AllowanceAmountYen" INTEGER NOT NULL,
    "AllowanceHalfDaysCount" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NULL,
    "UpdatedById" TEXT NULL
);

CREATE TABLE "TeleworkTrainings" (
    "UserId" TEXT NOT NULL CONSTRAINT "PK_TeleworkTrainings" PRIMARY KEY,
    "CompletedOn" TEXT NOT NULL,
    "RecordedById" TEXT NULL,
    "RecordedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_TeleworkTrainings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkPatterns" (
    "UserId" TEXT NOT NULL,
    "Weekday" INTEGER NOT NULL,
    "Half" INTEGER NOT NULL,
    "Kind" INTEGER NOT NULL,
    "SiteId" INTEGER NULL,
    CONSTRAINT "PK_WorkPatterns" PRIMARY KEY ("UserId", "Weekday", "Half"),
    CONSTRAINT "FK_WorkPatterns_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkPlaceDeclarations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WorkPlaceDeclarations" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "Half" INTEGER NOT NULL,
    "Kind" INTEGER NOT NULL,
    "SiteId" INTEGER NULL,
    "Country" TEXT NULL,
    "TimeZone" TEXT NULL,
    "Note" TEXT NOT NULL,
    "RequestId" TEXT NULL,
    "DeclaredById" TEXT NULL,
    "DeclaredAt" INTEGER NOT NULL,
    CONSTRAINT "FK_WorkPlaceDeclarations_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TeleworkRequests" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TeleworkRequests" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NOT NULL,
    "Country" TEXT NULL,
    "TimeZone" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "State" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DecidedById" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "DecisionComment" TEXT NOT NULL,
    "ClosedAt" INTEGER NULL,
    CONSTRAINT "FK_TeleworkRequests_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TeleworkRequestDays" (
    "RequestId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_TeleworkRequestDays" PRIMARY KEY ("RequestId", "Date"),
    CONSTRAINT "FK_TeleworkRequestDays_TeleworkRequests_RequestId" FOREIGN KEY ("RequestId") REFERENCES "TeleworkRequests" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_TeleworkRequestDays_UserId_Date" ON "TeleworkRequestDays" ("UserId", "Date");

CREATE INDEX "IX_TeleworkRequests_State" ON "TeleworkRequests" ("State");

CREATE INDEX "IX_TeleworkRequests_UserId_State" ON "TeleworkRequests" ("UserId", "State");

CREATE INDEX "IX_WorkPlaceDeclarations_RequestId" ON "WorkPlaceDeclarations" ("RequestId");

CREATE UNIQUE INDEX "IX_WorkPlaceDeclarations_UserId_Date_Half" ON "WorkPlaceDeclarations" ("UserId", "Date", "Half");

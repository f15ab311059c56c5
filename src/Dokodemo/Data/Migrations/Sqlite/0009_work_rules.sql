-- The working-time rule settings: 他律/自律 designations, 36協定 workplaces, 特例業務 with analyses, the town's parameters.
CREATE TABLE "WorkDesignations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkDesignations" PRIMARY KEY AUTOINCREMENT,
    "DepartmentId" INTEGER NULL,
    "UserId" TEXT NULL,
    "Pace" INTEGER NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NULL,
    "Note" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL
);

CREATE TABLE "WorkAgreements" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkAgreements" PRIMARY KEY AUTOINCREMENT,
    "DepartmentId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NULL,
    "StartMonth" INTEGER NOT NULL,
    "SpecialClause" INTEGER NOT NULL,
    "YearlyVariable" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL
);

CREATE TABLE "SpecialDuties" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SpecialDuties" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "Month" TEXT NOT NULL,
    "Duty" TEXT NOT NULL,
    "Analysis" TEXT NULL,
    "AnalysisById" TEXT NULL,
    "AnalysisAt" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL
);

CREATE TABLE "WorkRuleSettings" (
    "Version" INTEGER NOT NULL CONSTRAINT "PK_WorkRuleSettings" PRIMARY KEY,
    "Json" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedById" TEXT NULL
);

CREATE INDEX "IX_WorkDesignations_DepartmentId" ON "WorkDesignations" ("DepartmentId");
CREATE INDEX "IX_WorkDesignations_UserId" ON "WorkDesignations" ("UserId");
CREATE INDEX "IX_WorkAgreements_DepartmentId" ON "WorkAgreements" ("DepartmentId");
CREATE UNIQUE INDEX "IX_SpecialDuties_UserId_Month" ON "SpecialDuties" ("UserId", "Month");

-- 0007: Work places (declarations per half day, weekly patterns), telework requests with their days, the town's
-- telework settings (and allowance parameters) and training records. The administrator's interim country grants are
-- dropped: approved "Abroad" telework requests are now what the access policy reads for work from abroad. Existing
-- grants are not carried over (they had no approver or request behind them); people abroad request again.
DROP TABLE "CountryGrants";

CREATE TABLE "TeleworkSettings" (
    "Id" integer NOT NULL,
    "EligibleKinds" character varying(200) NOT NULL,
    "EligibleDepartments" character varying(2000) NOT NULL,
    "TrainingRequired" boolean NOT NULL,
    "MaxDaysPerWeek" integer NOT NULL,
    "MinDaysAhead" integer NOT NULL,
    "ApprovalRequired" boolean NOT NULL,
    "AllowanceEnabled" boolean NOT NULL,
    "AllowanceThresholdDays" integer NOT NULL,
    "AllowanceWindowMonths" integer NOT NULL,
    "AllowanceAmountYen" integer NOT NULL,
    "AllowanceHalfDaysCount" boolean NOT NULL,
    "UpdatedAt" timestamp with time zone,
    "UpdatedById" character varying(450),
    CONSTRAINT "PK_TeleworkSettings" PRIMARY KEY ("Id")
);

CREATE TABLE "TeleworkTrainings" (
    "UserId" character varying(450) NOT NULL,
    "CompletedOn" date NOT NULL,
    "RecordedById" character varying(450),
    "RecordedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_TeleworkTrainings" PRIMARY KEY ("UserId"),
    CONSTRAINT "FK_TeleworkTrainings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkPatterns" (
    "UserId" character varying(450) NOT NULL,
    "Weekday" integer NOT NULL,
    "Half" integer NOT NULL,
    "Kind" integer NOT NULL,
    "SiteId" integer,
    CONSTRAINT "PK_WorkPatterns" PRIMARY KEY ("UserId", "Weekday", "Half"),
    CONSTRAINT "FK_WorkPatterns_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkPlaceDeclarations" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "Date" date NOT NULL,
    "Half" integer NOT NULL,
    "Kind" integer NOT NULL,
    "SiteId" integer,
    "Country" character varying(2),
    "TimeZone" character varying(64),
    "Note" character varying(200) NOT NULL,
    "RequestId" uuid,
    "DeclaredById" character varying(450),
    "DeclaredAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_WorkPlaceDeclarations" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_WorkPlaceDeclarations_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TeleworkRequests" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "Kind" integer NOT NULL,
    "From" date NOT NULL,
    "To" date NOT NULL,
    "Country" character varying(2),
    "TimeZone" character varying(64),
    "Reason" character varying(500) NOT NULL,
    "State" integer NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "DecidedById" character varying(450),
    "DecidedAt" timestamp with time zone,
    "DecisionComment" character varying(500) NOT NULL,
    "ClosedAt" timestamp with time zone,
    CONSTRAINT "PK_TeleworkRequests" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_TeleworkRequests_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TeleworkRequestDays" (
    "RequestId" uuid NOT NULL,
    "Date" date NOT NULL,
    "UserId" character varying(450) NOT NULL,
    CONSTRAINT "PK_TeleworkRequestDays" PRIMARY KEY ("RequestId", "Date"),
    CONSTRAINT "FK_TeleworkRequestDays_TeleworkRequests_RequestId" FOREIGN KEY ("RequestId") REFERENCES "TeleworkRequests" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_TeleworkRequestDays_UserId_Date" ON "TeleworkRequestDays" ("UserId", "Date");

CREATE INDEX "IX_TeleworkRequests_State" ON "TeleworkRequests" ("State");

CREATE INDEX "IX_TeleworkRequests_UserId_State" ON "TeleworkRequests" ("UserId", "State");

CREATE INDEX "IX_WorkPlaceDeclarations_RequestId" ON "WorkPlaceDeclarations" ("RequestId");

CREATE UNIQUE INDEX "IX_WorkPlaceDeclarations_UserId_Date_Half" ON "WorkPlaceDeclarations" ("UserId", "Date", "Half");

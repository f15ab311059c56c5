-- C-2 労働時間の状況の把握: objective records of working time (the app's own signed-in activity per device, PC
-- log-on/log-off and building entry imports) and supervisors' confirmation notes. Kept at least three years.

CREATE TABLE "WorkRecordLogs" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "Date" date NOT NULL,
    "Source" integer NOT NULL,
    "DeviceId" uuid,
    "Start" timestamp with time zone NOT NULL,
    "End" timestamp with time zone NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "CreatedById" character varying(450),
    CONSTRAINT "PK_WorkRecordLogs" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_WorkRecordLogs_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkRecordNotes" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "Date" date NOT NULL,
    "Note" character varying(1000) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "CreatedById" character varying(450) NOT NULL,
    CONSTRAINT "PK_WorkRecordNotes" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_WorkRecordNotes_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_WorkRecordLogs_Date" ON "WorkRecordLogs" ("Date");
CREATE INDEX "IX_WorkRecordLogs_UserId_Date" ON "WorkRecordLogs" ("UserId", "Date");
CREATE INDEX "IX_WorkRecordNotes_UserId_Date" ON "WorkRecordNotes" ("UserId", "Date");

-- Talk notices (issue 6 item 3): the reminder state of each notice (last reminder, the one automatic reminder), the
-- town's Talk settings (one row: read receipts on/off, whether channels may turn them off), and an index for the
-- reminder sweep (notices by time).

CREATE TABLE "TalkNoticeStates" (
    "MessageId" bigint NOT NULL,
    "LastRemindedAt" timestamp with time zone,
    "LastRemindedById" character varying(450),
    "AutoRemindedAt" timestamp with time zone,
    CONSTRAINT "PK_TalkNoticeStates" PRIMARY KEY ("MessageId"),
    CONSTRAINT "FK_TalkNoticeStates_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TalkSettings" (
    "Id" integer NOT NULL,
    "ReadReceipts" boolean NOT NULL,
    "ChannelsMayDisable" boolean NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    "UpdatedById" character varying(450),
    CONSTRAINT "PK_TalkSettings" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_TalkMessages_RequiresAck_CreatedAt" ON "TalkMessages" ("RequiresAck", "CreatedAt");

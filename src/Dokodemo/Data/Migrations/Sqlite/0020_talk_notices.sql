-- Talk notices (issue 6 item 3): the reminder state of each notice (last reminder, the one automatic reminder), the
-- town's Talk settings (one row: read receipts on/off, whether channels may turn them off), and an index for the
-- reminder sweep (notices by time).

CREATE TABLE "TalkNoticeStates" (
    "MessageId" INTEGER NOT NULL CONSTRAINT "PK_TalkNoticeStates" PRIMARY KEY,
    "LastRemindedAt" INTEGER NULL,
    "LastRemindedById" TEXT NULL,
    "AutoRemindedAt" INTEGER NULL,
    CONSTRAINT "FK_TalkNoticeStates_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TalkSettings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TalkSettings" PRIMARY KEY,
    "ReadReceipts" INTEGER NOT NULL,
    "ChannelsMayDisable" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedById" TEXT NULL
);

CREATE INDEX "IX_TalkMessages_RequiresAck_CreatedAt" ON "TalkMessages" ("RequiresAck", "CreatedAt");

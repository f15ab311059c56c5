-- Talk (issue 6 items 2 and 5): scheduled send (messages wait in TalkScheduledMessages until the sweep publishes them
-- as new TalkMessages), personal preferences (quiet hours, the daily e-mail digest), notifications held during quiet
-- hours, and inbox items marked done.

CREATE TABLE "TalkHeldNotifications" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TalkHeldNotifications" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Body" TEXT NOT NULL,
    "Link" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_TalkHeldNotifications_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TalkPreferences" (
    "UserId" TEXT NOT NULL CONSTRAINT "PK_TalkPreferences" PRIMARY KEY,
    "QuietFromMinute" INTEGER NULL,
    "QuietToMinute" INTEGER NULL,
    "QuietWeekends" INTEGER NOT NULL,
    "DigestEnabled" INTEGER NOT NULL,
    "DigestHour" INTEGER NOT NULL,
    "DigestSince" INTEGER NULL,
    "LastDigestDay" TEXT NULL,
    CONSTRAINT "FK_TalkPreferences_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TalkScheduledMessages" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TalkScheduledMessages" PRIMARY KEY AUTOINCREMENT,
    "ChannelId" INTEGER NOT NULL,
    "AuthorId" TEXT NOT NULL,
    "ThreadRootId" INTEGER NULL,
    "Body" TEXT NOT NULL,
    "RequiresAck" INTEGER NOT NULL,
    "ScheduledFor" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NULL,
    "State" INTEGER NOT NULL,
    "MessageId" INTEGER NULL,
    "DoneAt" INTEGER NULL,
    CONSTRAINT "FK_TalkScheduledMessages_AspNetUsers_AuthorId" FOREIGN KEY ("AuthorId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkScheduledMessages_TalkChannels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "TalkChannels" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TalkInboxDone" (
    "UserId" TEXT NOT NULL,
    "MessageId" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "PK_TalkInboxDone" PRIMARY KEY ("UserId", "MessageId"),
    CONSTRAINT "FK_TalkInboxDone_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkInboxDone_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_TalkHeldNotifications_UserId_Id" ON "TalkHeldNotifications" ("UserId", "Id");

CREATE INDEX "IX_TalkInboxDone_MessageId" ON "TalkInboxDone" ("MessageId");

CREATE INDEX "IX_TalkPreferences_DigestEnabled" ON "TalkPreferences" ("DigestEnabled");

CREATE INDEX "IX_TalkScheduledMessages_AuthorId_State" ON "TalkScheduledMessages" ("AuthorId", "State");

CREATE INDEX "IX_TalkScheduledMessages_ChannelId" ON "TalkScheduledMessages" ("ChannelId");

CREATE INDEX "IX_TalkScheduledMessages_State_ScheduledFor" ON "TalkScheduledMessages" ("State", "ScheduledFor");


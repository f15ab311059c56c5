-- Talk (issue 6): channels (department / project / topic / direct / group), members with read markers, messages
-- (Markdown, threads, edit history, deletion traces, scheduled send, acknowledgement), reactions, pins, mentions and
-- acknowledgements. The whole issue's schema at once; files, search and retention add their own tables later.

CREATE TABLE "TalkChannels" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TalkChannels" PRIMARY KEY AUTOINCREMENT,
    "Kind" INTEGER NOT NULL,
    "Visibility" INTEGER NOT NULL,
    "Classification" INTEGER NOT NULL,
    "DepartmentId" INTEGER NULL,
    "Name" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "Archived" INTEGER NOT NULL,
    "CreatedById" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RetentionDays" INTEGER NULL,
    "ReadReceipts" INTEGER NOT NULL,
    "DirectKey" TEXT NULL,
    CONSTRAINT "FK_TalkChannels_Departments_DepartmentId" FOREIGN KEY ("DepartmentId") REFERENCES "Departments" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "TalkMembers" (
    "ChannelId" INTEGER NOT NULL,
    "UserId" TEXT NOT NULL,
    "Role" INTEGER NOT NULL,
    "JoinedAt" INTEGER NOT NULL,
    "LastReadMessageId" INTEGER NOT NULL,
    "Muted" INTEGER NOT NULL,
    CONSTRAINT "PK_TalkMembers" PRIMARY KEY ("ChannelId", "UserId"),
    CONSTRAINT "FK_TalkMembers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkMembers_TalkChannels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "TalkChannels" ("Id") ON DELETE CASCADE
);
CREATE TABLE "TalkMessages" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TalkMessages" PRIMARY KEY AUTOINCREMENT,
    "ChannelId" INTEGER NOT NULL,
    "AuthorId" TEXT NOT NULL,
    "ThreadRootId" INTEGER NULL,
    "Body" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "EditedAt" INTEGER NULL,
    "DeletedAt" INTEGER NULL,
    "DeletedById" TEXT NULL,
    "DeleteReason" TEXT NULL,
    "ScheduledFor" INTEGER NULL,
    "RequiresAck" INTEGER NOT NULL,
    "MentionsChannel" INTEGER NOT NULL,
    CONSTRAINT "FK_TalkMessages_AspNetUsers_AuthorId" FOREIGN KEY ("AuthorId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_TalkMessages_TalkChannels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "TalkChannels" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkMessages_TalkMessages_ThreadRootId" FOREIGN KEY ("ThreadRootId") REFERENCES "TalkMessages" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "TalkAcks" (
    "MessageId" INTEGER NOT NULL,
    "UserId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "PK_TalkAcks" PRIMARY KEY ("MessageId", "UserId"),
    CONSTRAINT "FK_TalkAcks_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkAcks_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);
CREATE TABLE "TalkMentions" (
    "MessageId" INTEGER NOT NULL,
    "UserId" TEXT NOT NULL,
    "ChannelId" INTEGER NOT NULL,
    CONSTRAINT "PK_TalkMentions" PRIMARY KEY ("MessageId", "UserId"),
    CONSTRAINT "FK_TalkMentions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkMentions_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);
CREATE TABLE "TalkPins" (
    "MessageId" INTEGER NOT NULL CONSTRAINT "PK_TalkPins" PRIMARY KEY,
    "ChannelId" INTEGER NOT NULL,
    "PinnedById" TEXT NOT NULL,
    "PinnedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_TalkPins_TalkChannels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "TalkChannels" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkPins_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);
CREATE TABLE "TalkReactions" (
    "MessageId" INTEGER NOT NULL,
    "UserId" TEXT NOT NULL,
    "Emoji" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_TalkReactions" PRIMARY KEY ("MessageId", "UserId", "Emoji"),
    CONSTRAINT "FK_TalkReactions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkReactions_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);
CREATE TABLE "TalkRevisions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TalkRevisions" PRIMARY KEY AUTOINCREMENT,
    "MessageId" INTEGER NOT NULL,
    "Body" TEXT NOT NULL,
    "ReplacedAt" INTEGER NOT NULL,
    "EditedById" TEXT NOT NULL,
    CONSTRAINT "FK_TalkRevisions_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_TalkAcks_UserId" ON "TalkAcks" ("UserId");
CREATE UNIQUE INDEX "IX_TalkChannels_DepartmentId" ON "TalkChannels" ("DepartmentId");
CREATE UNIQUE INDEX "IX_TalkChannels_DirectKey" ON "TalkChannels" ("DirectKey");
CREATE INDEX "IX_TalkChannels_Visibility_Archived" ON "TalkChannels" ("Visibility", "Archived");
CREATE INDEX "IX_TalkMembers_UserId" ON "TalkMembers" ("UserId");
CREATE INDEX "IX_TalkMentions_UserId_ChannelId_MessageId" ON "TalkMentions" ("UserId", "ChannelId", "MessageId");
CREATE INDEX "IX_TalkMessages_AuthorId" ON "TalkMessages" ("AuthorId");
CREATE INDEX "IX_TalkMessages_ChannelId_Id" ON "TalkMessages" ("ChannelId", "Id");
CREATE INDEX "IX_TalkMessages_ThreadRootId_Id" ON "TalkMessages" ("ThreadRootId", "Id");
CREATE INDEX "IX_TalkPins_ChannelId" ON "TalkPins" ("ChannelId");
CREATE INDEX "IX_TalkReactions_UserId" ON "TalkReactions" ("UserId");
CREATE INDEX "IX_TalkRevisions_MessageId_Id" ON "TalkRevisions" ("MessageId", "Id");

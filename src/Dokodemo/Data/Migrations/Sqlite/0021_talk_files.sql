-- Talk files (issue 6 item 2): one row per file attached to a message; the bytes are in the file store under
-- "StorageKey" (random), never under the person's file name.

CREATE TABLE "TalkFiles" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TalkFiles" PRIMARY KEY AUTOINCREMENT,
    "ChannelId" INTEGER NOT NULL,
    "MessageId" INTEGER NOT NULL,
    "UploaderId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Size" INTEGER NOT NULL,
    "Sha256" TEXT NOT NULL,
    "StorageKey" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DeletedAt" INTEGER NULL,
    CONSTRAINT "FK_TalkFiles_AspNetUsers_UploaderId" FOREIGN KEY ("UploaderId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_TalkFiles_TalkChannels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "TalkChannels" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TalkFiles_TalkMessages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "TalkMessages" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_TalkFiles_ChannelId" ON "TalkFiles" ("ChannelId");
CREATE INDEX "IX_TalkFiles_MessageId" ON "TalkFiles" ("MessageId");
CREATE UNIQUE INDEX "IX_TalkFiles_StorageKey" ON "TalkFiles" ("StorageKey");
CREATE INDEX "IX_TalkFiles_UploaderId" ON "TalkFiles" ("UploaderId");

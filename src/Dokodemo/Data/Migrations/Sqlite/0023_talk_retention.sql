-- Talk retention (issue 6 item 7): a channel's retention class (保存期間) when not the town default for its kind, and the
-- legal hold (訴訟ホールド・情報公開請求中) that stops disposal. No row = town default, no hold. See Talk/TalkRetention.cs.

CREATE TABLE "TalkChannelRetention" (
    "ChannelId" INTEGER NOT NULL CONSTRAINT "PK_TalkChannelRetention" PRIMARY KEY,
    "Class" TEXT NULL,
    "LegalHold" INTEGER NOT NULL,
    "HoldReason" TEXT NULL,
    "HoldSince" INTEGER NULL,
    "HoldById" TEXT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedById" TEXT NULL,
    CONSTRAINT "FK_TalkChannelRetention_TalkChannels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "TalkChannels" ("Id") ON DELETE CASCADE
);

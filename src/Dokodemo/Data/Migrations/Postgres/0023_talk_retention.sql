-- Talk retention (issue 6 item 7): a channel's retention class (保存期間) when not the town default for its kind, and the
-- legal hold (訴訟ホールド・情報公開請求中) that stops disposal. No row = town default, no hold. See Talk/TalkRetention.cs.

CREATE TABLE "TalkChannelRetention" (
    "ChannelId" integer NOT NULL,
    "Class" character varying(16),
    "LegalHold" boolean NOT NULL,
    "HoldReason" character varying(200),
    "HoldSince" timestamp with time zone,
    "HoldById" character varying(450),
    "UpdatedAt" timestamp with time zone NOT NULL,
    "UpdatedById" character varying(450),
    CONSTRAINT "PK_TalkChannelRetention" PRIMARY KEY ("ChannelId"),
    CONSTRAINT "FK_TalkChannelRetention_TalkChannels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "TalkChannels" ("Id") ON DELETE CASCADE
);

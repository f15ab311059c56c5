-- Talk search (issue 6 item 6, P5). Not part of the EF model (raw SQL in Talk/TalkSearchIndex.cs; MigrationTests leave
-- the "TalkSearch" tables out of the comparison). Written in the same transaction as the message: insert, edit
-- (re-index) and delete (removed). Existing messages are indexed at start (catch-up) or by `Dokodemo talk reindex`.
--
-- One row per indexed message: channel, author, time (the filters), the searched text (NFKC + lower case, for the exact
-- check with strpos) and its distinct terms (SearchTerms.Of: bigrams of Japanese runs, whole Latin words) plus a channel
-- token '_c<id>', under a GIN index: "Terms" @> query terms AND ("Terms" && channel tokens OR "ChannelId" = ANY(…)).
CREATE TABLE "TalkSearch" (
    "MessageId" bigint NOT NULL,
    "ChannelId" integer NOT NULL,
    "AuthorId" character varying(450) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "Text" text NOT NULL,
    "Terms" text[] NOT NULL,
    CONSTRAINT "PK_TalkSearch" PRIMARY KEY ("MessageId")
);

CREATE INDEX "IX_TalkSearch_Terms" ON "TalkSearch" USING gin ("Terms");

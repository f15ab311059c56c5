-- Talk search (issue 6 item 6, P5). Not part of the EF model (raw SQL in Talk/TalkSearchIndex.cs; MigrationTests leave
-- the "TalkSearch" tables out of the comparison). Written in the same transaction as the message: insert, edit
-- (re-index) and delete (removed). Existing messages are indexed at start (catch-up) or by `Dokodemo talk reindex`.
--
-- "TalkSearch": one row per indexed message: its channel, author and time (for the filters without touching the
-- messages) and the searched text, NFKC + lower case (SearchTerms.Normalize) for the exact substring check.
CREATE TABLE "TalkSearch" (
    "MessageId" INTEGER NOT NULL CONSTRAINT "PK_TalkSearch" PRIMARY KEY,
    "ChannelId" INTEGER NOT NULL,
    "AuthorId" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "Text" TEXT NOT NULL
);

-- The terms (SearchTerms.Sequence: bigrams of Japanese runs, whole Latin words, in order) and a channel token "_c<id>",
-- rowid = message id. Contentless (the text is in "TalkSearch"), rows deletable. The ascii tokenizer splits on ASCII
-- non-alphanumerics only (the spaces between terms), so every term is one token; '_' is kept for the channel token.
CREATE VIRTUAL TABLE "TalkSearchFts" USING fts5("Terms", content='', contentless_delete=1, tokenize="ascii tokenchars '_'");

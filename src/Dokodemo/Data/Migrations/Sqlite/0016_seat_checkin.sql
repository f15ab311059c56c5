-- Seats check-in (issue 5 item 4): per-site check-in rules (required by default; release times in town-local time),
-- each desk's random QR token (unique; generated here for the desks that exist, by the app for new ones), when a booking
-- was checked in, an index for the release sweep, and the person's notifications (お知らせ).

ALTER TABLE "SeatSiteRules" ADD "CheckInRequired" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "SeatSiteRules" ADD "MorningReleaseAt" TEXT NOT NULL DEFAULT '10:00:00';
ALTER TABLE "SeatSiteRules" ADD "AfternoonReleaseAt" TEXT NOT NULL DEFAULT '14:00:00';

ALTER TABLE "Desks" ADD "CheckInToken" TEXT NULL;
-- 128 random bits per desk (randomblob is evaluated once per row); the app's own tokens are base64url, these hex.
UPDATE "Desks" SET "CheckInToken" = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX "IX_Desks_CheckInToken" ON "Desks" ("CheckInToken");

ALTER TABLE "SeatBookings" ADD "CheckedInAt" INTEGER NULL;
CREATE INDEX "IX_SeatBookings_Date_State" ON "SeatBookings" ("Date", "State");

CREATE TABLE "Notifications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Notifications" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Body" TEXT NOT NULL,
    "Link" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ReadAt" INTEGER NULL,
    CONSTRAINT "FK_Notifications_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Notifications_UserId_CreatedAt" ON "Notifications" ("UserId", "CreatedAt");
CREATE INDEX "IX_Notifications_UserId_ReadAt" ON "Notifications" ("UserId", "ReadAt");

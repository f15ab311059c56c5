-- Seats check-in (issue 5 item 4): per-site check-in rules (required by default; release times in town-local time),
-- each desk's random QR token (unique; generated here for the desks that exist, by the app for new ones), when a booking
-- was checked in, an index for the release sweep, and the person's notifications (お知らせ).

ALTER TABLE "SeatSiteRules" ADD "CheckInRequired" boolean NOT NULL DEFAULT TRUE;
ALTER TABLE "SeatSiteRules" ADD "MorningReleaseAt" time without time zone NOT NULL DEFAULT TIME '10:00:00';
ALTER TABLE "SeatSiteRules" ADD "AfternoonReleaseAt" time without time zone NOT NULL DEFAULT TIME '14:00:00';

ALTER TABLE "Desks" ADD "CheckInToken" character varying(64);
-- 122 random bits per desk from gen_random_uuid() (built in since PostgreSQL 13, a strong random source); the app's own
-- tokens are base64url, these hex.
UPDATE "Desks" SET "CheckInToken" = replace(gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX "IX_Desks_CheckInToken" ON "Desks" ("CheckInToken");

ALTER TABLE "SeatBookings" ADD "CheckedInAt" timestamp with time zone;
CREATE INDEX "IX_SeatBookings_Date_State" ON "SeatBookings" ("Date", "State");

CREATE TABLE "Notifications" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "Kind" character varying(50) NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Body" character varying(2000) NOT NULL,
    "Link" character varying(300),
    "CreatedAt" timestamp with time zone NOT NULL,
    "ReadAt" timestamp with time zone,
    CONSTRAINT "PK_Notifications" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Notifications_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Notifications_UserId_CreatedAt" ON "Notifications" ("UserId", "CreatedAt");
CREATE INDEX "IX_Notifications_UserId_ReadAt" ON "Notifications" ("UserId", "ReadAt");

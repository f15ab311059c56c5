-- Seats: recurring bookings (繰り返し予約). A series is one desk, one part of the day, on some weekdays (flags) from a
-- first to a last date; its occurrences are ordinary SeatBookings rows pointing at it (SeriesId), with their own
-- holdings. SeatSiteRules gets SeriesHorizonDays: how far ahead a series may reach (default 90 days).

CREATE TABLE "SeatSeries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SeatSeries" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "DeskId" INTEGER NOT NULL,
    "Part" INTEGER NOT NULL,
    "Weekdays" INTEGER NOT NULL,
    "From" TEXT NOT NULL,
    "Until" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CancelledAt" INTEGER NULL,
    CONSTRAINT "FK_SeatSeries_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_SeatSeries_Desks_DeskId" FOREIGN KEY ("DeskId") REFERENCES "Desks" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_SeatSeries_DeskId" ON "SeatSeries" ("DeskId");

CREATE INDEX "IX_SeatSeries_UserId_Until" ON "SeatSeries" ("UserId", "Until");

ALTER TABLE "SeatBookings" ADD COLUMN "SeriesId" TEXT NULL
    CONSTRAINT "FK_SeatBookings_SeatSeries_SeriesId" REFERENCES "SeatSeries" ("Id") ON DELETE SET NULL;

CREATE INDEX "IX_SeatBookings_SeriesId" ON "SeatBookings" ("SeriesId");

ALTER TABLE "SeatSiteRules" ADD COLUMN "SeriesHorizonDays" INTEGER NOT NULL DEFAULT 90;

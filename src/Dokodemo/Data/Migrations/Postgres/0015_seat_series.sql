-- Seats: recurring bookings (繰り返し予約). A series is one desk, one part of the day, on some weekdays (flags) from a
-- first to a last date; its occurrences are ordinary SeatBookings rows pointing at it (SeriesId), with their own
-- holdings. SeatSiteRules gets SeriesHorizonDays: how far ahead a series may reach (default 90 days).

CREATE TABLE "SeatSeries" (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "DeskId" integer NOT NULL,
    "Part" integer NOT NULL,
    "Weekdays" integer NOT NULL,
    "From" date NOT NULL,
    "Until" date NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "CancelledAt" timestamp with time zone,
    CONSTRAINT "PK_SeatSeries" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SeatSeries_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_SeatSeries_Desks_DeskId" FOREIGN KEY ("DeskId") REFERENCES "Desks" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_SeatSeries_DeskId" ON "SeatSeries" ("DeskId");

CREATE INDEX "IX_SeatSeries_UserId_Until" ON "SeatSeries" ("UserId", "Until");

ALTER TABLE "SeatBookings" ADD COLUMN "SeriesId" uuid
    CONSTRAINT "FK_SeatBookings_SeatSeries_SeriesId" REFERENCES "SeatSeries" ("Id") ON DELETE SET NULL;

CREATE INDEX "IX_SeatBookings_SeriesId" ON "SeatBookings" ("SeriesId");

ALTER TABLE "SeatSiteRules" ADD COLUMN "SeriesHorizonDays" integer NOT NULL DEFAULT 90;

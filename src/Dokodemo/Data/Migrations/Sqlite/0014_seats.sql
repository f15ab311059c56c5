-- Seats (issue 5): floors with a sanitised SVG plan, zones, desks, closures, per-site booking rules, bookings kept for
-- history, and SeatHoldings: one row per (desk, date, half) an active booking holds. Its primary key is what makes a
-- double booking impossible; the unique (UserId, Date, Half) keeps a person to one desk per half day. Cancelling
-- deletes the holdings, so neither constraint has to skip cancelled rows.

CREATE TABLE "SeatFloors" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SeatFloors" PRIMARY KEY AUTOINCREMENT,
    "SiteId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "SortOrder" INTEGER NOT NULL,
    "Width" INTEGER NOT NULL,
    "Height" INTEGER NOT NULL,
    "PlanSvg" TEXT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_SeatFloors_Sites_SiteId" FOREIGN KEY ("SiteId") REFERENCES "Sites" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SeatSiteRules" (
    "SiteId" INTEGER NOT NULL CONSTRAINT "PK_SeatSiteRules" PRIMARY KEY,
    "HorizonDays" INTEGER NOT NULL,
    "MaxPerWeek" INTEGER NOT NULL,
    "TeamAreaOpenDays" INTEGER NOT NULL,
    "ApprovalRequired" INTEGER NOT NULL,
    "UpdatedById" TEXT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_SeatSiteRules_Sites_SiteId" FOREIGN KEY ("SiteId") REFERENCES "Sites" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SeatZones" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SeatZones" PRIMARY KEY AUTOINCREMENT,
    "FloorId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "DepartmentId" INTEGER NULL,
    "X" INTEGER NOT NULL,
    "Y" INTEGER NOT NULL,
    "Width" INTEGER NOT NULL,
    "Height" INTEGER NOT NULL,
    CONSTRAINT "FK_SeatZones_Departments_DepartmentId" FOREIGN KEY ("DepartmentId") REFERENCES "Departments" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_SeatZones_SeatFloors_FloorId" FOREIGN KEY ("FloorId") REFERENCES "SeatFloors" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Desks" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Desks" PRIMARY KEY AUTOINCREMENT,
    "FloorId" INTEGER NOT NULL,
    "ZoneId" INTEGER NULL,
    "Label" TEXT NOT NULL,
    "X" INTEGER NOT NULL,
    "Y" INTEGER NOT NULL,
    "Equipment" INTEGER NOT NULL,
    "Active" INTEGER NOT NULL,
    CONSTRAINT "FK_Desks_SeatFloors_FloorId" FOREIGN KEY ("FloorId") REFERENCES "SeatFloors" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Desks_SeatZones_ZoneId" FOREIGN KEY ("ZoneId") REFERENCES "SeatZones" ("Id") ON DELETE SET NULL
);

CREATE TABLE "SeatBookings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SeatBookings" PRIMARY KEY,
    "DeskId" INTEGER NOT NULL,
    "UserId" TEXT NOT NULL,
    "Date" TEXT NOT NULL,
    "Part" INTEGER NOT NULL,
    "State" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DecidedById" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "CancelledById" TEXT NULL,
    "CancelledAt" INTEGER NULL,
    "CancelReason" TEXT NULL,
    CONSTRAINT "FK_SeatBookings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_SeatBookings_Desks_DeskId" FOREIGN KEY ("DeskId") REFERENCES "Desks" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SeatClosures" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SeatClosures" PRIMARY KEY AUTOINCREMENT,
    "FloorId" INTEGER NOT NULL,
    "DeskId" INTEGER NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "CreatedById" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_SeatClosures_Desks_DeskId" FOREIGN KEY ("DeskId") REFERENCES "Desks" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_SeatClosures_SeatFloors_FloorId" FOREIGN KEY ("FloorId") REFERENCES "SeatFloors" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SeatHoldings" (
    "DeskId" INTEGER NOT NULL,
    "Date" TEXT NOT NULL,
    "Half" INTEGER NOT NULL,
    "BookingId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_SeatHoldings" PRIMARY KEY ("DeskId", "Date", "Half"),
    CONSTRAINT "FK_SeatHoldings_SeatBookings_BookingId" FOREIGN KEY ("BookingId") REFERENCES "SeatBookings" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_Desks_FloorId_Label" ON "Desks" ("FloorId", "Label");

CREATE INDEX "IX_Desks_ZoneId" ON "Desks" ("ZoneId");

CREATE INDEX "IX_SeatBookings_DeskId_Date" ON "SeatBookings" ("DeskId", "Date");

CREATE INDEX "IX_SeatBookings_State" ON "SeatBookings" ("State");

CREATE INDEX "IX_SeatBookings_UserId_Date" ON "SeatBookings" ("UserId", "Date");

CREATE INDEX "IX_SeatClosures_DeskId" ON "SeatClosures" ("DeskId");

CREATE INDEX "IX_SeatClosures_FloorId_To" ON "SeatClosures" ("FloorId", "To");

CREATE INDEX "IX_SeatFloors_SiteId" ON "SeatFloors" ("SiteId");

CREATE INDEX "IX_SeatHoldings_BookingId" ON "SeatHoldings" ("BookingId");

CREATE UNIQUE INDEX "IX_SeatHoldings_UserId_Date_Half" ON "SeatHoldings" ("UserId", "Date", "Half");

CREATE INDEX "IX_SeatZones_DepartmentId" ON "SeatZones" ("DepartmentId");

CREATE INDEX "IX_SeatZones_FloorId" ON "SeatZones" ("FloorId");

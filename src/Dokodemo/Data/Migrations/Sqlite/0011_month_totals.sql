-- A locked month keeps its counted totals (A-0 時間外, B-2 時間外 and 法定休日労働, all worked), so the monthly close of
-- later months reads one row per month instead of every record since the year began (P7). NULL until locked.
ALTER TABLE "AttendanceMonths" ADD "TotalsAt" INTEGER NULL;
ALTER TABLE "AttendanceMonths" ADD "OvertimeMinutes" INTEGER NULL;
ALTER TABLE "AttendanceMonths" ADD "LaborOvertimeMinutes" INTEGER NULL;
ALTER TABLE "AttendanceMonths" ADD "LegalRestDayMinutes" INTEGER NULL;
ALTER TABLE "AttendanceMonths" ADD "WorkedMinutes" INTEGER NULL;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "autoCloseAt" TIMESTAMPTZ(3),
ADD COLUMN     "autoCloseRemindAt" TIMESTAMPTZ(3),
ADD COLUMN     "slaClocks" JSONB,
ADD COLUMN     "slaDueAt" TIMESTAMPTZ(3),
ADD COLUMN     "slaFirstResponseMet" BOOLEAN,
ADD COLUMN     "slaFirstResponseMinutes" DOUBLE PRECISION,
ADD COLUMN     "slaNextCheckAt" TIMESTAMPTZ(3),
ADD COLUMN     "slaResolutionMet" BOOLEAN,
ADD COLUMN     "slaResolutionMinutes" DOUBLE PRECISION,
ADD COLUMN     "slaWarnAt" TIMESTAMPTZ(3),
ADD COLUMN     "upstreamAckMet" BOOLEAN,
ADD COLUMN     "upstreamAckMinutes" DOUBLE PRECISION,
ADD COLUMN     "upstreamFirstReplyMinutes" DOUBLE PRECISION,
ADD COLUMN     "upstreamResolutionMet" BOOLEAN,
ADD COLUMN     "upstreamSettleMinutes" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "BusinessCalendar" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "timeZone" VARCHAR(64) NOT NULL DEFAULT 'Asia/Shanghai',
    "weekly" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BusinessCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "calendarId" INTEGER NOT NULL,
    "date" VARCHAR(10) NOT NULL,
    "working" BOOLEAN NOT NULL,
    "periods" JSONB,
    "note" VARCHAR(64) NOT NULL DEFAULT '',

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("calendarId","date")
);

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "calendarId" INTEGER NOT NULL,
    "categoryId" INTEGER,
    "firstResponseMinutes" INTEGER,
    "nextResponseMinutes" INTEGER,
    "resolutionMinutes" INTEGER,
    "warnPercent" SMALLINT NOT NULL DEFAULT 80,
    "autoCloseDays" SMALLINT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpstreamSlaPolicy" (
    "connectionId" INTEGER NOT NULL,
    "calendarId" INTEGER NOT NULL,
    "ackMinutes" INTEGER,
    "resolutionMinutes" INTEGER,
    "warnPercent" SMALLINT NOT NULL DEFAULT 80,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UpstreamSlaPolicy_pkey" PRIMARY KEY ("connectionId")
);

-- CreateTable
CREATE TABLE "SlaAlert" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "clock" VARCHAR(24) NOT NULL,
    "stage" VARCHAR(10) NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlaAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BusinessCalendar_name_key" ON "BusinessCalendar"("name");

-- CreateIndex
CREATE UNIQUE INDEX "SlaPolicy_name_key" ON "SlaPolicy"("name");

-- CreateIndex
CREATE UNIQUE INDEX "SlaPolicy_categoryId_key" ON "SlaPolicy"("categoryId");

-- CreateIndex
CREATE UNIQUE INDEX "SlaAlert_ticketId_clock_stage_startedAt_key" ON "SlaAlert"("ticketId", "clock", "stage", "startedAt");

-- CreateIndex
CREATE INDEX "Ticket_slaDueAt_idx" ON "Ticket"("slaDueAt");

-- CreateIndex
CREATE INDEX "Ticket_slaWarnAt_idx" ON "Ticket"("slaWarnAt");

-- CreateIndex
CREATE INDEX "Ticket_slaNextCheckAt_idx" ON "Ticket"("slaNextCheckAt");

-- CreateIndex
CREATE INDEX "Ticket_autoCloseRemindAt_idx" ON "Ticket"("autoCloseRemindAt");

-- CreateIndex
CREATE INDEX "Ticket_autoCloseAt_idx" ON "Ticket"("autoCloseAt");

-- AddForeignKey
ALTER TABLE "CalendarDay" ADD CONSTRAINT "CalendarDay_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpstreamSlaPolicy" ADD CONSTRAINT "UpstreamSlaPolicy_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "UpstreamConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpstreamSlaPolicy" ADD CONSTRAINT "UpstreamSlaPolicy_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaAlert" ADD CONSTRAINT "SlaAlert_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Reference data: the default office calendar (Asia/Shanghai, 09:00-12:00 and 13:30-18:00 on
-- weekdays) with the State Council's 2026 days off and 调休 working days
-- (src/server/domain/china-public-holidays.ts), and a 7x24 calendar for outages. Editable in the
-- console (工作日历); nothing uses them until an SLA policy names one.
INSERT INTO "BusinessCalendar" (id, name, "timeZone", weekly, "updatedAt") VALUES
  (1, '中国法定工作日', 'Asia/Shanghai', '[[],[{"start":540,"end":720},{"start":810,"end":1080}],[{"start":540,"end":720},{"start":810,"end":1080}],[{"start":540,"end":720},{"start":810,"end":1080}],[{"start":540,"end":720},{"start":810,"end":1080}],[{"start":540,"end":720},{"start":810,"end":1080}],[]]', now()),
  (2, '7×24', 'Asia/Shanghai', '[[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}]]', now());
SELECT setval(pg_get_serial_sequence('"BusinessCalendar"', 'id'), 2);
INSERT INTO "CalendarDay" ("calendarId", date, working, note) VALUES
  (1, '2026-01-01', false, '元旦'),
  (1, '2026-01-02', false, '元旦'),
  (1, '2026-01-03', false, '元旦'),
  (1, '2026-01-04', true, '元旦调休上班'),
  (1, '2026-02-15', false, '春节'),
  (1, '2026-02-16', false, '春节'),
  (1, '2026-02-17', false, '春节'),
  (1, '2026-02-18', false, '春节'),
  (1, '2026-02-19', false, '春节'),
  (1, '2026-02-20', false, '春节'),
  (1, '2026-02-21', false, '春节'),
  (1, '2026-02-22', false, '春节'),
  (1, '2026-02-23', false, '春节'),
  (1, '2026-02-14', true, '春节调休上班'),
  (1, '2026-02-28', true, '春节调休上班'),
  (1, '2026-04-04', false, '清明节'),
  (1, '2026-04-05', false, '清明节'),
  (1, '2026-04-06', false, '清明节'),
  (1, '2026-05-01', false, '劳动节'),
  (1, '2026-05-02', false, '劳动节'),
  (1, '2026-05-03', false, '劳动节'),
  (1, '2026-05-04', false, '劳动节'),
  (1, '2026-05-05', false, '劳动节'),
  (1, '2026-05-09', true, '劳动节调休上班'),
  (1, '2026-06-19', false, '端午节'),
  (1, '2026-06-20', false, '端午节'),
  (1, '2026-06-21', false, '端午节'),
  (1, '2026-09-25', false, '中秋节'),
  (1, '2026-09-26', false, '中秋节'),
  (1, '2026-09-27', false, '中秋节'),
  (1, '2026-10-01', false, '国庆节'),
  (1, '2026-10-02', false, '国庆节'),
  (1, '2026-10-03', false, '国庆节'),
  (1, '2026-10-04', false, '国庆节'),
  (1, '2026-10-05', false, '国庆节'),
  (1, '2026-10-06', false, '国庆节'),
  (1, '2026-10-07', false, '国庆节'),
  (1, '2026-09-20', true, '国庆节调休上班'),
  (1, '2026-10-10', true, '国庆节调休上班');

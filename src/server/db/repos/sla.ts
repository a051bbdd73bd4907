import type { Prisma } from "../generated/client.ts";
import type { DbOrTx, Tx } from "../client.ts";

// Service levels: policies and calendars as the clocks need them, the ticket's SLA columns, and
// the sweep's claims (FOR UPDATE SKIP LOCKED: any number of workers, each row to one of them).

const calendarInclude = { days: { select: { date: true, working: true, periods: true } } } as const;

/** The category's own enabled policy, else the enabled policy for every category (lowest id). */
export async function findPolicyForCategory(db: DbOrTx, categoryId: number) {
  return db.slaPolicy.findFirst({
    where: { enabled: true, OR: [{ categoryId }, { categoryId: null }] },
    orderBy: [{ categoryId: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    include: { calendar: { include: calendarInclude } },
  });
}
export type PolicyWithCalendar = NonNullable<Awaited<ReturnType<typeof findPolicyForCategory>>>;

export function findUpstreamPolicyForTicket(db: DbOrTx, ticketId: number) {
  return db.upstreamSlaPolicy.findFirst({
    where: { connection: { links: { some: { ticketId } } } },
    include: { calendar: { include: calendarInclude } },
  });
}
export type UpstreamPolicyWithCalendar = NonNullable<Awaited<ReturnType<typeof findUpstreamPolicyForTicket>>>;
export type CalendarWithDays = PolicyWithCalendar["calendar"];

export type TicketSlaUpdate = {
  slaClocks: Prisma.InputJsonValue;
  slaWarnAt: Date | null;
  slaDueAt: Date | null;
  slaNextCheckAt: Date | null;
  autoCloseRemindAt: Date | null;
  autoCloseAt: Date | null;
} & Partial<{
  slaFirstResponseMinutes: number;
  slaFirstResponseMet: boolean;
  slaResolutionMinutes: number;
  slaResolutionMet: boolean;
  upstreamAckMinutes: number;
  upstreamAckMet: boolean;
  upstreamFirstReplyMinutes: number;
  upstreamSettleMinutes: number;
  upstreamResolutionMet: boolean;
}>;

/** The SLA columns only: no version bump (they follow the command that moved the state). */
export async function writeTicketSla(tx: Tx, ticketId: number, data: TicketSlaUpdate): Promise<void> {
  await tx.ticket.update({ where: { id: ticketId }, data, select: { id: true } });
}

/** Tickets whose next threshold has come, locked for this transaction; other workers skip them. */
export async function claimTicketsToCheck(tx: Tx, now: Date, limit: number): Promise<number[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "Ticket" WHERE "slaNextCheckAt" <= ${now}
    ORDER BY "slaNextCheckAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  return rows.map((r) => Number(r.id));
}

export async function claimTicketsToRemind(tx: Tx, now: Date, limit: number): Promise<number[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "Ticket" WHERE "autoCloseRemindAt" <= ${now}
    ORDER BY "autoCloseRemindAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  return rows.map((r) => Number(r.id));
}

export async function findTicketsToAutoClose(db: DbOrTx, now: Date, limit: number): Promise<number[]> {
  const rows = await db.ticket.findMany({
    where: { autoCloseAt: { lte: now } },
    orderBy: { autoCloseAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export function findTicketsSla(db: DbOrTx, ids: number[]) {
  return db.ticket.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, escalation: true, partnerState: true, slaClocks: true, autoCloseAt: true } });
}

export async function clearReminder(tx: Tx, ticketId: number): Promise<void> {
  await tx.ticket.update({ where: { id: ticketId }, data: { autoCloseRemindAt: null }, select: { id: true } });
}

/** Records an alert once; false when this (ticket, clock, stage, cycle) was acted on before. */
export async function recordAlertOnce(tx: Tx, alert: { ticketId: number; clock: string; stage: string; startedAt: Date }): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "SlaAlert" ("ticketId", clock, stage, "startedAt")
    VALUES (${alert.ticketId}, ${alert.clock}, ${alert.stage}, ${alert.startedAt})
    ON CONFLICT ("ticketId", clock, stage, "startedAt") DO NOTHING`;
  return inserted === 1;
}

// --- The console's 工作日历 / SLA 策略 pages --------------------------------------------------------

export function listCalendars(db: DbOrTx) {
  return db.businessCalendar.findMany({
    orderBy: { id: "asc" },
    include: { days: { orderBy: { date: "asc" } }, _count: { select: { policies: true, upstreamPolicies: true } } },
  });
}

export function findCalendar(db: DbOrTx, id: number) {
  return db.businessCalendar.findUnique({ where: { id }, include: { _count: { select: { policies: true, upstreamPolicies: true } } } });
}

export function insertCalendar(db: DbOrTx, data: { name: string; timeZone: string; weekly: Prisma.InputJsonValue }) {
  return db.businessCalendar.create({ data, select: { id: true } });
}

export function updateCalendar(db: DbOrTx, id: number, data: { name: string; timeZone: string; weekly: Prisma.InputJsonValue }) {
  return db.businessCalendar.update({ where: { id }, data, select: { id: true } });
}

export function deleteCalendar(db: DbOrTx, id: number) {
  return db.businessCalendar.delete({ where: { id }, select: { id: true } });
}

export function upsertCalendarDay(db: DbOrTx, day: { calendarId: number; date: string; working: boolean; note: string }) {
  return db.calendarDay.upsert({
    where: { calendarId_date: { calendarId: day.calendarId, date: day.date } },
    create: day,
    update: { working: day.working, note: day.note },
    select: { date: true },
  });
}

export function deleteCalendarDay(db: DbOrTx, calendarId: number, date: string) {
  return db.calendarDay.deleteMany({ where: { calendarId, date } });
}

export function listPolicies(db: DbOrTx) {
  return db.slaPolicy.findMany({ orderBy: [{ categoryId: { sort: "asc", nulls: "first" } }, { id: "asc" }], include: { calendar: { select: { name: true } }, category: { select: { name: true } } } });
}

export type PolicyFields = {
  name: string;
  calendarId: number;
  categoryId: number | null;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnPercent: number;
  autoCloseDays: number | null;
  enabled: boolean;
};

export function insertPolicy(db: DbOrTx, data: PolicyFields) {
  return db.slaPolicy.create({ data, select: { id: true } });
}

export function updatePolicy(db: DbOrTx, id: number, data: PolicyFields) {
  return db.slaPolicy.update({ where: { id }, data, select: { id: true } });
}

export function deletePolicy(db: DbOrTx, id: number) {
  return db.slaPolicy.deleteMany({ where: { id } });
}

export function listUpstreamPolicies(db: DbOrTx) {
  return db.upstreamConnection.findMany({
    orderBy: { id: "asc" },
    select: { id: true, name: true, slaPolicy: { select: { calendarId: true, ackMinutes: true, resolutionMinutes: true, warnPercent: true } } },
  });
}

export function upsertUpstreamPolicy(db: DbOrTx, p: { connectionId: number; calendarId: number; ackMinutes: number | null; resolutionMinutes: number | null; warnPercent: number }) {
  return db.upstreamSlaPolicy.upsert({ where: { connectionId: p.connectionId }, create: p, update: p, select: { connectionId: true } });
}

export function categoryExists(db: DbOrTx, id: number) {
  return db.category.count({ where: { id } }).then((n) => n > 0);
}

export function connectionExists(db: DbOrTx, id: number) {
  return db.upstreamConnection.count({ where: { id } }).then((n) => n > 0);
}

export function policyExists(db: DbOrTx, id: number) {
  return db.slaPolicy.count({ where: { id } }).then((n) => n > 0);
}

/** Another policy than `exceptId` that already belongs to the category. */
export function categoryHasOtherPolicy(db: DbOrTx, categoryId: number, exceptId: number | undefined) {
  return db.slaPolicy.count({ where: { categoryId, ...(exceptId !== undefined ? { id: { not: exceptId } } : {}) } }).then((n) => n > 0);
}

export type AlertKey = { ticketId: number; clock: string; stage: string; startedAt: Date };

/**
 * Records a round's alerts in one statement and returns those not acted on before: the unique key
 * (ticket, clock, stage, cycle) decides, whichever worker gets there first.
 */
export async function recordAlertsOnce(tx: Tx, alerts: AlertKey[]): Promise<AlertKey[]> {
  if (alerts.length === 0) return [];
  const rows = await tx.$queryRaw<{ ticketId: number; clock: string; stage: string; startedAt: Date }[]>`
    INSERT INTO "SlaAlert" ("ticketId", clock, stage, "startedAt")
    SELECT * FROM unnest(${alerts.map((a) => a.ticketId)}::int[], ${alerts.map((a) => a.clock)}::text[],
                         ${alerts.map((a) => a.stage)}::text[], ${alerts.map((a) => a.startedAt.toISOString())}::timestamptz[])
    ON CONFLICT ("ticketId", clock, stage, "startedAt") DO NOTHING
    RETURNING "ticketId", clock, stage, "startedAt"`;
  return rows.map((r) => ({ ticketId: Number(r.ticketId), clock: r.clock, stage: r.stage, startedAt: new Date(r.startedAt) }));
}

/** The sweep's audit rows, in one statement. */
export async function insertSweepEvents(tx: Tx, events: { ticketId: number; action: string; data: Prisma.InputJsonValue }[]): Promise<void> {
  if (events.length > 0) await tx.ticketEvent.createMany({ data: events.map((e) => ({ ...e, actorKind: "SYSTEM" as const })) });
}

/** Each claimed ticket's next look, in one statement. */
export async function setNextChecks(tx: Tx, next: { ticketId: number; at: Date | null }[]): Promise<void> {
  if (next.length === 0) return;
  await tx.$executeRaw`
    UPDATE "Ticket" t SET "slaNextCheckAt" = v.at
      FROM unnest(${next.map((n) => n.ticketId)}::int[], ${next.map((n) => n.at?.toISOString() ?? null)}::timestamptz[]) AS v(id, at)
     WHERE t.id = v.id`;
}

import { z } from "zod";
import { ZCursor, ZId, zPageSize, zText } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import {
  ALL_STATUSES,
  COUNT_CAP,
  countableFromTicketCount,
  findCategoryIdsOfGroup,
  findQueueOptions,
  findQueuePage,
  queueCountsCapped,
  queueCountsMaintained,
  queueCountsSearch,
  type QueueFilter,
  type QueueRow,
} from "../db/repos/queue.ts";
import { searchHits } from "./search-hits.ts";
import { findDensity } from "../db/repos/search.ts";
import { ESCALATION_STATES, TICKET_STATUSES, availableActions, type TicketStatus } from "../domain/ticket-lifecycle.ts";
import { isEscalationEligible } from "../domain/category-rules.ts";
import { decodeKeysetCursor, encodeKeysetCursor } from "./keyset-cursor.ts";
import type { StaffViewer } from "../viewer.ts";
import { formatDateTime } from "@/lib/datetime";
import { presentSla } from "./sla-view.ts";
import { nextDay, startOfZonedDay } from "@/lib/zoned-date";
import { isAwaitingUpstreamAck } from "../domain/upstream-link.ts";

const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "errors.invalidField");

export const ZQueueFilter = z.object({
  /** Absent = every status (the 全部 tab). */
  status: z.enum(TICKET_STATUSES).optional(),
  categoryId: ZId.optional(),
  groupId: ZId.optional(),
  assignee: z.enum(["any", "mine", "unassigned"]).default("any"),
  escalation: z.enum(ESCALATION_STATES).optional(),
  memberId: ZId.optional(),
  /** Calendar days in the viewer's time zone, both inclusive. */
  createdFrom: ZDay.optional(),
  createdTo: ZDay.optional(),
  q: zText({ max: 100 }).optional(),
  /** 即将超时 / 已超时. */
  sla: z.enum(["WARNING", "BREACHED"]).optional(),
});
export type QueueFilterInput = z.input<typeof ZQueueFilter>;

export const ZQueueInput = ZQueueFilter.extend({
  sort: z.enum(["updated", "created"]).default("updated"),
  cursor: ZCursor.nullish(),
  limit: zPageSize(100, 50),
});
export type QueueInput = z.input<typeof ZQueueInput>;

/** Turns what the staff member picked into the repository's filter (group → its categories, mine → id …). */
export async function resolveQueueFilter(
  db: Db,
  viewer: StaffViewer,
  input: z.output<typeof ZQueueFilter>,
  timeZone: string,
  now: Date = new Date(),
): Promise<QueueFilter> {
  let categoryIds: number[] | null = null;
  if (input.groupId !== undefined) {
    categoryIds = await findCategoryIdsOfGroup(db, input.groupId);
    if (input.categoryId !== undefined) categoryIds = categoryIds.filter((id) => id === input.categoryId);
  } else if (input.categoryId !== undefined) {
    categoryIds = [input.categoryId];
  }
  const q = input.q ?? "";
  return {
    statuses: input.status ? [input.status] : null,
    categoryIds,
    assignee: input.assignee === "mine" ? { kind: "staff", id: viewer.staffId } : input.assignee === "unassigned" ? { kind: "unassigned" } : { kind: "any" },
    escalation: input.escalation ?? null,
    memberId: input.memberId ?? null,
    createdFrom: input.createdFrom ? startOfZonedDay(input.createdFrom, timeZone) : null,
    createdTo: input.createdTo ? startOfZonedDay(nextDay(input.createdTo), timeZone) : null,
    sla: input.sla ? { stage: input.sla, now } : null,
    // Exact lookups (ticket number, GUIDs) rank first; the text is searched by its terms as well,
    // so a number also finds the tickets that mention it.
    search: q === ""
      ? null
      : {
          exact: q,
          ticketId: /^\d{1,9}$/.test(q) ? Number(q) : null,
          text: q,
          ...(await findDensity(db, q)),
        },
  };
}

/**
 * Cursor = (sort key, id, search tier) of the last row shown (services/keyset-cursor.ts). Keyset
 * semantics: the next page holds the rows strictly after it in (tier, key DESC, id DESC) order, so
 * a row never appears twice in one walk and rows that do not change are each returned exactly once
 * (no OFFSET drift). A ticket updated during the walk moves to the top under "last update": if the
 * walk had not reached it yet it is not in this walk (a fresh first page shows it). Sorting by
 * creation time is immutable: every ticket exactly once whatever happens meanwhile.
 */
export const decodeCursor = (s: string) => decodeKeysetCursor(s, "console.errors.badCursor");

type QueueItem = ReturnType<typeof presentQueueRow>;

function presentQueueRow(r: QueueRow, timeZone: string, now: Date) {
  const snapshot = {
    status: r.status,
    escalation: r.escalation,
    partnerState: r.partnerState,
    accepted: r.assigneeId !== null,
    categoryEligible: isEscalationEligible({ type: r.categoryType, submitToApi: r.submitToApi }),
    rated: r.rating !== null,
  };
  const allowed = new Set(availableActions(snapshot, "staff"));
  return {
    id: r.id,
    version: r.version,
    title: r.title,
    status: r.status,
    escalation: r.escalation,
    /** 转移中 (the list knows the GUID, not the outbox: a pending re-escalation shows on the ticket page). */
    awaitingAck: isAwaitingUpstreamAck({ escalation: r.escalation, link: r.hasUpstreamLink ? { guid: r.upstreamGuid } : null }),
    upstreamGuid: r.upstreamGuid,
    memberId: r.memberId,
    category: { id: r.categoryId, name: r.categoryName, api: snapshot.categoryEligible, group: r.groupName },
    assignee: r.assigneeId === null ? null : { id: r.assigneeId, name: r.assigneeName ?? "" },
    partner: r.partnerId === null ? null : { name: r.partnerName ?? "", ticketNo: r.partnerTicketNo },
    createdAt: formatDateTime(r.createdAt, timeZone),
    updatedAt: formatDateTime(r.updatedAt, timeZone),
    bulk: { accept: allowed.has("staff.accept"), assign: allowed.has("staff.move"), close: allowed.has("staff.close") },
    sla: presentSla(r.slaWarnAt && r.slaDueAt ? { warnAt: r.slaWarnAt, dueAt: r.slaDueAt } : null, now, timeZone),
  };
}

/** One page of the queue: one SQL statement, whatever the filters. */
export async function listQueue(db: Db, viewer: StaffViewer, raw: QueueInput, timeZone: string, now: Date = new Date()) {
  const input = ZQueueInput.parse(raw);
  const filter = await resolveQueueFilter(db, viewer, input, timeZone, now);
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await findQueuePage(db, filter, input.sort, cursor, input.limit + 1);
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page.at(-1);
  const hits = filter.search ? await searchHits(db, "staff", filter.search.text, page) : null;
  return {
    items: page.map((r) => ({ ...presentQueueRow(r, timeZone, now), search: hits?.get(r.id) ?? null })),
    nextCursor: more && last ? encodeKeysetCursor({ key: last.sortKey, id: last.id, tier: last.tier }) : null,
  };
}

export type QueueCounts = {
  counts: Record<TicketStatus, number>;
  total: number;
  /** Whether a number may be larger than shown ("10000+", or a search's "n+"). */
  capped: Record<TicketStatus, boolean>;
  /** maintained: TicketCount, exact; capped: exact up to COUNT_CAP; bounded: a search, exact up to SEARCH_COUNT_LIMIT matches. */
  source: "maintained" | "capped" | "bounded";
};

/**
 * The tab counts. Never a COUNT over the table: the trigger-maintained TicketCount answers the
 * status / escalation / category / group / assignee filters exactly; member and dates count at
 * most COUNT_CAP + 1 rows per status; a search counts at most SEARCH_COUNT_LIMIT matches.
 */
export async function queueCounts(db: Db, viewer: StaffViewer, raw: QueueFilterInput, timeZone: string): Promise<QueueCounts> {
  const input = ZQueueFilter.parse(raw);
  const filter = { ...(await resolveQueueFilter(db, viewer, input, timeZone)), statuses: null };
  const total = (counts: Record<TicketStatus, number>) => ALL_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  if (filter.search) {
    const { counts, more } = await queueCountsSearch(db, filter);
    const capped = Object.fromEntries(ALL_STATUSES.map((s) => [s, more])) as Record<TicketStatus, boolean>;
    return { counts, total: total(counts), capped, source: "bounded" };
  }
  const maintained = countableFromTicketCount(filter);
  const counts = maintained ? await queueCountsMaintained(db, filter) : await queueCountsCapped(db, filter);
  const capped = Object.fromEntries(ALL_STATUSES.map((s) => [s, !maintained && counts[s] > COUNT_CAP])) as Record<TicketStatus, boolean>;
  for (const s of ALL_STATUSES) if (capped[s]) counts[s] = COUNT_CAP;
  return { counts, total: total(counts), capped, source: maintained ? "maintained" : "capped" };
}

export function queueOptions(db: Db) {
  return findQueueOptions(db);
}

/** 首页: the counts per status and the viewer's open tickets. */
export async function consoleHome(db: Db, viewer: StaffViewer, timeZone: string) {
  const [all, mine] = await Promise.all([
    queueCounts(db, viewer, {}, timeZone),
    queueCounts(db, viewer, { assignee: "mine" }, timeZone),
  ]);
  const openStatuses = ALL_STATUSES.filter((s) => s !== "COMPLETED");
  const filter = await resolveQueueFilter(db, viewer, ZQueueFilter.parse({ assignee: "mine" }), timeZone);
  const rows = await findQueuePage(db, { ...filter, statuses: openStatuses }, "updated", null, 20);
  const now = new Date();
  return { counts: all.counts, mineCounts: mine.counts, myOpen: rows.map((r) => presentQueueRow(r, timeZone, now)) };
}

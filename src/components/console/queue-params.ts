import type { QueueFilter, TicketStatus } from "./types";
import { STATUSES } from "./types";

/** The queue's state lives in the URL (shareable, back button works); this is its one reading. */
export type QueueState = { filter: QueueFilter; sort: "updated" | "created" };

const ESCALATIONS = ["NONE", "ESCALATED", "RETURNED", "UPSTREAM_CLOSED"] as const;
export const SLA_FILTERS = ["WARNING", "BREACHED"] as const;
const positive = (v: string | undefined) => (v && /^\d{1,10}$/.test(v) && Number(v) > 0 && Number(v) <= 2_147_483_647 ? Number(v) : undefined);
const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

export function parseQueueParams(p: Record<string, string | string[] | undefined>): QueueState {
  const get = (k: string) => {
    const v = p[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const status = get("status");
  const assignee = get("assignee");
  const escalation = get("escalation");
  const sla = get("sla");
  const filter: QueueFilter = {
    // 待处理 is the default tab: that is where new work waits.
    status: status === "all" ? undefined : (STATUSES as string[]).includes(status ?? "") ? (status as TicketStatus) : "PENDING",
    categoryId: positive(get("categoryId")),
    groupId: positive(get("groupId")),
    assignee: assignee === "mine" || assignee === "unassigned" ? assignee : "any",
    escalation: (ESCALATIONS as readonly string[]).includes(escalation ?? "") ? (escalation as (typeof ESCALATIONS)[number]) : undefined,
    memberId: positive(get("memberId")),
    createdFrom: day(get("from")),
    createdTo: day(get("to")),
    q: get("q")?.trim().slice(0, 100) || undefined,
    sla: (SLA_FILTERS as readonly string[]).includes(sla ?? "") ? (sla as (typeof SLA_FILTERS)[number]) : undefined,
  };
  return { filter, sort: get("sort") === "created" ? "created" : "updated" };
}

export function queueHref({ filter, sort }: QueueState): string {
  const p = new URLSearchParams();
  p.set("status", filter.status ?? "all");
  if (filter.categoryId) p.set("categoryId", String(filter.categoryId));
  if (filter.groupId) p.set("groupId", String(filter.groupId));
  if (filter.assignee && filter.assignee !== "any") p.set("assignee", filter.assignee);
  if (filter.escalation) p.set("escalation", filter.escalation);
  if (filter.memberId) p.set("memberId", String(filter.memberId));
  if (filter.createdFrom) p.set("from", filter.createdFrom);
  if (filter.createdTo) p.set("to", filter.createdTo);
  if (filter.q) p.set("q", filter.q);
  if (filter.sla) p.set("sla", filter.sla);
  if (sort === "created") p.set("sort", "created");
  return `/admin/tickets?${p.toString()}`;
}

/** Counts ignore the tab (they are the tabs), so switching tabs re-uses the cached counts. */
export function countFilterOf(filter: QueueFilter): QueueFilter {
  return { ...filter, status: undefined };
}

/**
 * Proves the lifecycle table is whole, Vendure-style, so a gap shows up in a unit test
 * rather than as a ticket stuck in production. Pure: it only explores the table.
 */
import {
  allSnapshots,
  INITIAL_STATE,
  LIFECYCLE_TABLE,
  TICKET_ACTIONS,
  canMoveTo,
  decideIn,
  matchesCondition,
  type LifecycleTable,
  type TicketAction,
  type TicketSnapshot,
  type Transition,
} from "./ticket-lifecycle";

export type IntegrityReport = {
  /** Every snapshot the types allow, each checked against every action. */
  snapshotsChecked: number;
  /** Snapshots reachable from a new member ticket or a new partner ticket. */
  reachableSnapshots: number;
  /** The distinct "STATUS/ESCALATION/partnerState" combinations among them. */
  reachableStates: string[];
};

/**
 * Throws, listing every problem, unless:
 * - on every possible snapshot each action matches at most one row, and a refused action
 *   is explained by a refusal guard while an allowed one is contradicted by none;
 * - every state reachable from a new ticket, except a completed one, allows some action,
 *   and COMPLETED stays reachable from it (no ticket can get stuck open);
 * - every row fires from some reachable state (no dead rows).
 */
export function checkTableIntegrity(table: LifecycleTable = LIFECYCLE_TABLE): IntegrityReport {
  const problems: string[] = [];
  const all = allSnapshots();

  for (const s of all) {
    for (const action of TICKET_ACTIONS) {
      const rows = table.transitions.filter((r) => r.action === action && matchesCondition(r.when, s));
      const guards = table.refusals.filter((g) => g.actions.includes(action) && matchesCondition(g.when, s));
      if (rows.length > 1) problems.push(`${action} on ${key(s)}: ${rows.length} rows match`);
      if (rows.length === 0 && guards.length === 0) problems.push(`${action} on ${key(s)}: refused with no rule`);
      if (rows.length > 0 && guards.length > 0) {
        problems.push(`${action} on ${key(s)}: allowed, yet guard ${guards[0]?.reason} refuses it`);
      }
    }
  }

  const { reachable, edges, fired } = explore(table);
  for (const s of reachable.values()) {
    if (s.status !== "COMPLETED" && (edges.get(key(s))?.size ?? 0) === 0) {
      problems.push(`${key(s)} is reachable but no action applies`);
    }
  }
  const canFinish = reverseReachable(reachable, edges);
  for (const k of reachable.keys()) {
    if (!canFinish.has(k)) problems.push(`${k} is reachable but can never reach COMPLETED`);
  }
  table.transitions.forEach((row, i) => {
    if (!fired.has(row)) problems.push(`row ${i} (${row.action}) never fires from a reachable state`);
  });

  if (problems.length > 0) {
    throw new Error(`Ticket lifecycle table is inconsistent:\n- ${problems.join("\n- ")}`);
  }
  return {
    snapshotsChecked: all.length,
    reachableSnapshots: reachable.size,
    reachableStates: [...new Set([...reachable.values()].map(stateKey))].sort(),
  };
}


/** Breadth-first from every new ticket: a member's or a partner's, in any kind of category. */
function explore(table: LifecycleTable) {
  const roots: TicketSnapshot[] = [INITIAL_STATE.member, INITIAL_STATE.partner].flatMap((initial) =>
    [false, true].map((categoryEligible) => ({
      ...initial,
      accepted: false,
      categoryEligible,
      rated: false,
    })),
  );
  const reachable = new Map<string, TicketSnapshot>(roots.map((s) => [key(s), s]));
  const edges = new Map<string, Set<string>>();
  const fired = new Set<Transition>();
  const queue = [...roots];
  for (let s = queue.shift(); s; s = queue.shift()) {
    const from = key(s);
    edges.set(from, new Set());
    for (const action of TICKET_ACTIONS) {
      const row = table.transitions.find((r) => r.action === action && matchesCondition(r.when, s));
      if (row) fired.add(row);
      for (const next of successors(table, action, s)) {
        const to = key(next);
        edges.get(from)?.add(to);
        if (!reachable.has(to)) {
          reachable.set(to, next);
          queue.push(next);
        }
      }
    }
  }
  return { reachable, edges, fired };
}

/** The table moves three dimensions; the flags outside it move with their own actions. */
function successors(table: LifecycleTable, action: TicketAction, s: TicketSnapshot): TicketSnapshot[] {
  const decision = decideIn(table, action, s);
  if (!decision.ok) return [];
  const next = { ...s, ...decision.next };
  if (action === "staff.accept") return [{ ...next, accepted: true }];
  if (action === "member.rate") return [{ ...next, rated: true }];
  if (action === "staff.move") {
    return [false, true]
      .filter((target) => canMoveTo(s, target, table).ok)
      .map((categoryEligible) => ({ ...next, categoryEligible }));
  }
  return [next];
}

function reverseReachable(reachable: Map<string, TicketSnapshot>, edges: Map<string, Set<string>>): Set<string> {
  const done = new Set([...reachable].filter(([, s]) => s.status === "COMPLETED").map(([k]) => k));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [from, tos] of edges) {
      if (!done.has(from) && [...tos].some((to) => done.has(to))) {
        done.add(from);
        grew = true;
      }
    }
  }
  return done;
}

function stateKey(s: TicketSnapshot): string {
  return `${s.status}/${s.escalation}/${s.partnerState ?? "-"}`;
}

function key(s: TicketSnapshot): string {
  return `${stateKey(s)}/acc=${s.accepted}/elig=${s.categoryEligible}/rated=${s.rated}`;
}

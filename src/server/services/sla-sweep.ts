// The SLA sweep, run by the background worker: warnings (即将超时), breaches (已超时), auto-close
// reminders and auto-closes. Any number of workers may run it at once: tickets are claimed under
// FOR UPDATE SKIP LOCKED, and each (ticket, clock, stage, cycle) is recorded in SlaAlert under a
// unique key in the transaction that writes its audit row — so every breach is acted on once.
// The audit rows carry the news to the notifications fan-out.
import type { Db } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import { insertTicketEvent } from "../db/repos/tickets.ts";
import {
  claimTicketsToCheck,
  claimTicketsToRemind,
  clearReminder,
  findPolicyForCategory,
  findTicketsSla,
  findTicketsToAutoClose,
  insertSweepEvents,
  recordAlertOnce,
  recordAlertsOnce,
  setNextChecks,
} from "../db/repos/sla.ts";
import { alertsDue, nextCheckAt, type SlaClockName } from "../domain/sla.ts";
import { mayAutoClose } from "../domain/auto-close.ts";
import { SLA_ACTIONS } from "../domain/notifications.ts";
import { formatDateTime, DEFAULT_TIME_ZONE } from "@/lib/datetime";
import { translate } from "@/i18n/messages";
import { logger, safeError } from "../logger.ts";
import { runTicketCommand, snapshotOf } from "./ticket-command.ts";
import { automateSlaAlerts } from "./automation-service.ts";
import { writeSystemMessage } from "./system-message.ts";
import { afterFinalClose } from "./ticket-hooks.ts";
import { clocksOf } from "./sla-clock.ts";

const BATCH = 200;
const SYSTEM = { kind: "SYSTEM" as const, id: null, name: null };

export type SweepResult = { checked: number; alerts: number; reminded: number; closed: number };

/** One round of everything due at `now`. */
export async function sweepSla(db: Db, now: Date = new Date(), batch = BATCH): Promise<SweepResult> {
  const { checked, alerts } = await sweepDeadlines(db, now, batch);
  const reminded = await sweepReminders(db, now, batch);
  const closed = await sweepAutoCloses(db, now, batch);
  return { checked, alerts, reminded, closed };
}

/**
 * Warnings and breaches of every clock whose threshold has come: a round costs a fixed number of
 * statements (claim, read, record the alerts, write their audit rows, set the next looks).
 */
export function sweepDeadlines(db: Db, now: Date, batch = BATCH) {
  return inTransaction(db, async (tx) => {
    const ids = await claimTicketsToCheck(tx, now, batch);
    const due: SlaAlert[] = [];
    const next: { ticketId: number; at: Date | null }[] = [];
    const dueAt = new Map<string, Date>();
    for (const t of await findTicketsSla(tx, ids)) {
      const clocks = clocksOf(t.slaClocks);
      for (const a of clocks ? alertsDue(clocks, now) : []) {
        due.push({ ticketId: t.id, clock: a.clock, stage: a.stage, startedAt: a.startedAt });
        dueAt.set(alertKey({ ticketId: t.id, ...a }), a.dueAt);
      }
      next.push({ ticketId: t.id, at: clocks ? nextCheckAt(clocks, now) : null });
    }
    const fresh = (await recordAlertsOnce(tx, due)).map((a) => ({ ...a, clock: a.clock as SlaClockName, stage: a.stage as SlaAlert["stage"] }));
    const automation = await automateSlaAlerts(tx, fresh);
    await insertSweepEvents(
      tx,
      fresh.map((a) => {
        const deadline = dueAt.get(alertKey(a))!;
        return {
          ticketId: a.ticketId,
          action: a.stage === "WARNING" ? SLA_ACTIONS.WARNING : SLA_ACTIONS.BREACHED,
          data: { clock: a.clock, dueAt: deadline.toISOString(), reason: reasonOf(a.clock, a.stage, deadline), ...automation.auditFor(a) },
        };
      }),
    );
    await setNextChecks(tx, next);
    // The rules' moves and hand-overs are ticket commands of their own, after the next looks are set.
    await automation.apply();
    return { checked: ids.length, alerts: fresh.length };
  });
}

type SlaAlert = { ticketId: number; clock: SlaClockName; stage: "WARNING" | "BREACHED"; startedAt: Date };
const alertKey = (a: { ticketId: number; clock: string; stage: string; startedAt: Date }) => `${a.ticketId}|${a.clock}|${a.stage}|${a.startedAt.getTime()}`;

/** The audit line and the notification's excerpt, in the manual's language. */
function reasonOf(clock: SlaClockName, stage: "WARNING" | "BREACHED", dueAt: Date): string {
  return translate("zh-CN", `sla.alert.${stage === "WARNING" ? "warning" : "breached"}`, {
    clock: translate("zh-CN", `sla.clocks.${clock}`),
    due: formatDateTime(dueAt, DEFAULT_TIME_ZONE),
  });
}

/** 自动关闭提醒: once per waiting cycle (the cycle is named by its close time). */
export function sweepReminders(db: Db, now: Date, batch = BATCH) {
  return inTransaction(db, async (tx) => {
    const ids = await claimTicketsToRemind(tx, now, batch);
    let reminded = 0;
    for (const t of await findTicketsSla(tx, ids)) {
      await clearReminder(tx, t.id);
      if (!t.autoCloseAt || !mayAutoClose({ ...t, accepted: true, categoryEligible: true, rated: false })) continue;
      if (!(await recordAlertOnce(tx, { ticketId: t.id, clock: "autoClose", stage: "REMINDED", startedAt: t.autoCloseAt }))) continue;
      reminded++;
      await insertTicketEvent(tx, {
        ticketId: t.id,
        action: SLA_ACTIONS.AUTO_CLOSE_REMINDER,
        actorKind: "SYSTEM",
        data: { closeAt: t.autoCloseAt.toISOString(), reason: translate("zh-CN", "sla.alert.autoCloseReminder", { time: formatDateTime(t.autoCloseAt, DEFAULT_TIME_ZONE) }) },
      });
    }
    return reminded;
  });
}

class NotDueAnyMore extends Error {}

/**
 * Closes each due ticket as one ticket command by the system: the row lock, the lifecycle table
 * and `mayAutoClose` decide again on the ticket as it is now (a member answered, staff escalated
 * it, another worker closed it first — each leaves it alone).
 */
export async function sweepAutoCloses(db: Db, now: Date, batch = BATCH): Promise<number> {
  let closed = 0;
  for (const ticketId of await findTicketsToAutoClose(db, now, batch)) {
    try {
      await runTicketCommand(db, {
        ticketId,
        action: "staff.close",
        actor: SYSTEM,
        authorize: (t) => {
          if (!t.autoCloseAt || t.autoCloseAt > now || !mayAutoClose(snapshotOf(t))) throw new NotDueAnyMore();
        },
        patch: (_t, _next, at) => ({ finishedAt: at }),
        effects: async (tx, ticket, _next, at) => {
          const days = Math.round((ticket.autoCloseAt!.getTime() - (ticket.lastReplyAt ?? ticket.autoCloseAt!).getTime()) / 86_400_000);
          await writeSystemMessage(tx, ticket.id, "autoClosed", { days }, at);
          await afterFinalClose(tx, ticket);
        },
        auditData: { reason: "autoClose" },
      });
      closed++;
    } catch (e) {
      if (e instanceof NotDueAnyMore) continue;
      // A refusal by the table (finished meanwhile) or a fault on one ticket must not stop the rest.
      logger.warn({ err: safeError(e), ticketId }, "auto-close skipped a ticket");
    }
  }
  return closed;
}

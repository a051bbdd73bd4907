import { z } from "zod";
import { ZId, ZVersion } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import { isAppError } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import type { StaffViewer } from "../viewer.ts";
import { acceptTicket, closeTicket, moveTicket } from "./staff-ticket-service.ts";
import { translate, type Locale } from "@/i18n/messages";

export const ZBulkInput = z
  .object({
    action: z.enum(["accept", "assign", "close"]),
    /** Each with the version the queue showed: a ticket changed since is reported, not overwritten. */
    items: z.array(z.object({ ticketId: ZId, expectedVersion: ZVersion })).min(1).max(100, "errors.tooManyItems"),
    /** For assign; null = unassign. */
    assigneeId: ZId.nullable().optional(),
  })
  .refine((v) => v.action !== "assign" || v.assigneeId !== undefined, { message: "console.errors.bulkAssigneeRequired", path: ["assigneeId"] });

export type BulkResult = { ticketId: number; ok: true } | { ticketId: number; ok: false; code: string; message: string };

/**
 * Bulk 接单 / 分配 / 关闭: each ticket through the same single-ticket command (its own transaction,
 * lifecycle check, compare-and-set and audit row), so a refusal on one never blocks the others.
 */
export async function runBulkAction(db: Db, viewer: StaffViewer, input: z.infer<typeof ZBulkInput>, locale: Locale): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const item of input.items) {
    try {
      if (input.action === "accept") await acceptTicket(db, viewer, item);
      else if (input.action === "close") await closeTicket(db, viewer, item);
      else await moveTicket(db, viewer, { ...item, assigneeId: input.assigneeId ?? null });
      results.push({ ticketId: item.ticketId, ok: true });
    } catch (e) {
      if (!isAppError(e)) logger.error({ err: safeError(e), ticketId: item.ticketId }, "bulk action failed");
      results.push({
        ticketId: item.ticketId,
        ok: false,
        code: isAppError(e) ? e.code : "INTERNAL",
        message: isAppError(e) ? translate(locale, e.messageKey, e.params) : translate(locale, "errors.internal"),
      });
    }
  }
  return results;
}

import { ZId, zIdList } from "../schemas.ts";
// The in-app bell (console and portal): one query gives the unread count and a page of the list,
// so the live-update work later swaps the polling for an invalidation of exactly this query.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { countUnread, listNotifications, markAllNotificationsRead, markNotificationsRead } from "../db/repos/notifications.ts";
import { isNotificationKind } from "../domain/notifications.ts";
import { AppError } from "../errors.ts";
import type { Viewer } from "../viewer.ts";
import { translate, type Locale } from "@/i18n/messages";

/** The badge counts this far and then says 99+. */
export const UNREAD_CAP = 100;

export const ZBellInput = z
  .object({
    /** The last id of the previous page (keyset). */
    before: ZId.optional(),
    limit: z.number().int().min(1).max(50).default(10),
  })
  .default({ limit: 10 });

export const ZMarkReadInput = z.object({ ids: zIdList(100).min(1) });

function recipientOf(viewer: Viewer) {
  if (viewer.kind === "member") return { kind: "MEMBER" as const, id: viewer.memberId, ticketPath: "/tickets" };
  if (viewer.kind === "staff") return { kind: "STAFF" as const, id: viewer.staffId, ticketPath: "/admin/tickets" };
  throw new AppError("UNAUTHORIZED", "errors.unauthorized");
}

export async function getBell(db: Db, viewer: Viewer, input: z.infer<typeof ZBellInput>, locale: Locale) {
  const who = recipientOf(viewer);
  const [unread, rows] = await Promise.all([
    countUnread(db, who.kind, who.id, UNREAD_CAP),
    listNotifications(db, who.kind, who.id, input.before, input.limit + 1),
  ]);
  const page = rows.slice(0, input.limit);
  return {
    unread,
    unreadCapped: unread >= UNREAD_CAP,
    items: page.map((n) => ({
      id: n.id,
      ticketId: n.ticketId,
      kind: n.kind,
      /** One line in the viewer's language: "客服小王 回复了您的工单 #12". */
      headline: translate(locale, isNotificationKind(n.kind) ? `notifications.kinds.${n.kind}.headline` : "notifications.kinds.unknown", {
        actor: n.actorName ?? translate(locale, "notifications.someone"),
        ticket: n.ticketId,
      }),
      ticketTitle: n.ticketTitle,
      excerpt: n.excerpt,
      read: n.readAt !== null,
      createdAt: n.createdAt,
      href: `${who.ticketPath}/${n.ticketId}`,
    })),
    nextBefore: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}

export async function markRead(db: Db, viewer: Viewer, input: z.infer<typeof ZMarkReadInput>, now = new Date()) {
  const who = recipientOf(viewer);
  return { marked: await markNotificationsRead(db, who.kind, who.id, input.ids, now) };
}

export async function markAllRead(db: Db, viewer: Viewer, now = new Date()) {
  const who = recipientOf(viewer);
  return { marked: await markAllNotificationsRead(db, who.kind, who.id, now) };
}

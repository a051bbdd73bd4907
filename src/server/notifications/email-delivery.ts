// Outbox kind NOTIFY_EMAIL: one notification mail, built from the database when it is sent.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { findMemberContact, findNotificationForMail, findPublicMessageBody, findStaffContact } from "../db/repos/notifications.ts";
import type { DeliveryOutcome, OutboxRow } from "../outbox/types.ts";
import type { NotificationDeps } from "./deps.ts";
import { mailDomain, mailFailure, resolveSmtp, sendMail } from "./mailer.ts";
import { renderNotificationMail } from "./render-mail.ts";
import { replyAddress } from "./reply-token.ts";
import { memberFacingText } from "../services/sharing-service.ts";
import { resolveLocale } from "@/i18n/messages";

const ZPayload = z.object({ notificationId: z.number().int().positive() });

/** Kinds a member may answer by replying to the mail (a finished ticket takes no reply: R5). */
const ANSWERABLE = new Set(["ticket.replied"]);

async function recipientOf(db: Db, kind: "MEMBER" | "STAFF", id: number) {
  if (kind === "MEMBER") {
    const m = await findMemberContact(db, id);
    return m && !m.disabled ? { name: m.name, email: m.email, locale: m.locale } : null;
  }
  const s = await findStaffContact(db, id);
  return s && !s.disabled ? { name: s.displayName, email: s.email, locale: s.locale } : null;
}

export async function deliverNotificationEmail(db: Db, deps: NotificationDeps, row: OutboxRow): Promise<DeliveryOutcome> {
  const payload = ZPayload.safeParse(row.payload);
  if (!payload.success) return { ok: false, retryable: false, error: "invalid notification mail payload" };
  const n = await findNotificationForMail(db, payload.data.notificationId);
  if (!n) return { ok: false, retryable: false, error: "notification not found" };
  const recipient = await recipientOf(db, n.recipientKind, n.recipientId);
  // The person was disabled or removed their address since: nothing to send, nothing to retry.
  if (!recipient?.email) return { ok: true };
  const settings = await resolveSmtp(db, deps);
  if (!settings) return { ok: false, retryable: true, error: "outgoing mail (SMTP) is not configured" };

  // R7 once more at the last step: only a public message is ever quoted.
  const message = n.messageId !== null ? await findPublicMessageBody(db, n.messageId) : null;
  const member = n.recipientKind === "MEMBER";
  // A member reads a vendor's reply as the upstream's sharing policy masks it.
  const quoted = message ? (member ? (await memberFacingText(db, [message.ticketId]))(message.ticketId, message.authorKind, message.body) : message.body) : null;
  const base = deps.publicUrl;
  const reply = member && deps.replyDomain && ANSWERABLE.has(n.kind) ? replyAddress(deps.authSecret, deps.replyDomain, n.ticketId, n.recipientId) : null;
  const mail = renderNotificationMail(
    { kind: n.kind, ticketId: n.ticketId, ticketTitle: n.ticketTitle, actorName: n.actorName, message: quoted },
    {
      locale: resolveLocale(recipient.locale),
      recipientName: recipient.name,
      ticketUrl: `${base}${member ? "" : "/admin"}/tickets/${n.ticketId}`,
      preferencesUrl: `${base}${member ? "/profile" : "/admin/notifications"}`,
      replyAddress: reply,
    },
  );
  const domain = mailDomain(settings);
  try {
    await sendMail(settings, {
      to: recipient.email,
      ...mail,
      replyTo: reply ?? undefined,
      // Stable per notification: a retried send is recognisable as the same mail.
      messageId: `<n${n.id}.t${n.ticketId}@${domain}>`,
      // All mails of one ticket thread together in the recipient's client.
      references: `<ticket-${n.ticketId}@${domain}>`,
      headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    });
    return { ok: true };
  } catch (e) {
    return mailFailure(e);
  }
}

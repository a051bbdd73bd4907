// Reply by e-mail: a mail to reply+<token>@… becomes the member's reply on the ticket.
//
// Order (docs/NOTIFICATIONS.md): the address names ticket and member (signed token) → the mail is
// parsed → the raw bytes and an InboundMail row are stored (unique dedupe key: the same mail twice
// is one row) → only then is it applied, through the same member.reply command the portal uses
// (so an escalated ticket forwards it upstream too). The SMTP answer comes after the row is
// stored: 250 applied (or ignored), 550 refused with the reason, 451 try again later.
import { rateLimitsFor } from "../rate-limits.ts";
import { createHash } from "node:crypto";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Db } from "../db/client.ts";
import { insertAttachment } from "../db/repos/attachments.ts";
import {
  findInboundMailByKey,
  insertInboundMail,
  listUnappliedInboundMails,
  settleInboundMail,
} from "../db/repos/notification-channels.ts";
import { findMemberContact } from "../db/repos/notifications.ts";
import { claimAttachments, insertMessage } from "../db/repos/tickets.ts";
import { checkUpload, sanitizeFileName } from "../domain/file-types.ts";
import { isAppError, isUniqueViolation, notFound } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import { takeMemberAllowance } from "../services/member-rate-limits.ts";
import { runTicketCommand } from "../services/ticket-command.ts";
import { afterPublicMessage } from "../services/ticket-hooks.ts";
import { MAX_ATTACHMENTS, MAX_BODY } from "../services/ticket-inputs.ts";
import type { NotificationDeps } from "./deps.ts";
import { extractReplyText } from "./reply-text.ts";
import { parseReplyAddress } from "./reply-token.ts";
import { resolveLocale, translate } from "@/i18n/messages";

/** Larger mails are refused at the SMTP level (SIZE); attachments keep their own 10 MB limit. */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

export type InboundAnswer = { code: 250 | 451 | 550; message: string };

type StoredMail = NonNullable<Awaited<ReturnType<typeof findInboundMailByKey>>>;

const ANSWERS = {
  applied: { code: 250, message: "2.0.0 Reply added to the ticket" },
  ignored: { code: 250, message: "2.0.0 Accepted (not added: automatic or empty mail)" },
  unknownAddress: { code: 550, message: "5.1.1 No such reply address" },
  notMember: { code: 550, message: "5.7.1 The sender is not the member of this ticket" },
  ticketClosed: { code: 550, message: "5.7.1 This ticket is finished; please open a new ticket in the member portal" },
  empty: { code: 550, message: "5.6.0 The reply is empty" },
  later: { code: 451, message: "4.3.0 Temporary failure, please try again later" },
  tooMany: { code: 451, message: "4.7.1 Too many replies, please try again later" },
} as const satisfies Record<string, InboundAnswer>;

/** Which of the envelope recipients is one of our reply addresses (checked at RCPT TO too). */
export function replyTargetOf(deps: Pick<NotificationDeps, "authSecret" | "replyDomain">, recipients: string[]) {
  for (const address of recipients) {
    const target = parseReplyAddress(deps.authSecret, address, deps.replyDomain);
    if (target) return { ...target, address };
  }
  return null;
}

const firstAddress = (mail: ParsedMail) => mail.from?.value.find((a) => a.address)?.address?.toLowerCase() ?? null;

/**
 * Auto-replies (out-of-office, bounces, lists) never become messages — answering them with a
 * 5xx would only start a mail loop, so they are accepted and ignored.
 */
function isAutomatic(mail: ParsedMail): boolean {
  const h = (name: string) => String(mail.headers.get(name) ?? "").toLowerCase();
  const auto = h("auto-submitted");
  return (auto !== "" && auto !== "no") || /^(bulk|junk|list|auto_reply)$/.test(h("precedence")) || mail.headers.has("x-autoreply") || mail.headers.has("x-autorespond");
}

/** The same mail (same Message-ID, date, sender, text, files, ticket) maps to the same key. */
function dedupeKeyOf(mail: ParsedMail, ticketId: number): string {
  const parts = [
    mail.messageId ?? "",
    mail.date?.toISOString() ?? "",
    firstAddress(mail) ?? "",
    mail.text ?? mail.html ?? "",
    ...mail.attachments.map((a) => a.checksum),
    String(ticketId),
  ];
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

export async function receiveInboundMail(db: Db, deps: NotificationDeps, input: { raw: Buffer; recipients: string[] }): Promise<InboundAnswer> {
  const target = replyTargetOf(deps, input.recipients);
  if (!target) return ANSWERS.unknownAddress;
  const mail = await simpleParser(input.raw, { maxHtmlLengthToParse: 2 * 1024 * 1024 });
  const dedupeKey = dedupeKeyOf(mail, target.ticketId);
  const rawKey = await deps.files.put(input.raw);

  let stored: StoredMail;
  try {
    stored = await insertInboundMail(db, {
      dedupeKey,
      messageIdHeader: mail.messageId?.slice(0, 300) ?? null,
      fromAddress: firstAddress(mail)?.slice(0, 200) ?? null,
      toAddress: target.address.slice(0, 300),
      ticketId: target.ticketId,
      memberId: target.memberId,
      rawKey,
      size: input.raw.length,
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const existing = await findInboundMailByKey(db, dedupeKey);
    if (!existing) throw e;
    // The same mail again: the first answer stands; one that never got applied is tried now.
    if (existing.status !== "RECEIVED") return answerFor(existing);
    stored = existing;
  }
  return applyStoredMail(db, deps, stored, mail);
}

function answerFor(row: Pick<StoredMail, "status" | "reason">): InboundAnswer {
  switch (row.status) {
    case "APPLIED":
      return ANSWERS.applied;
    case "IGNORED":
      return ANSWERS.ignored;
    case "REFUSED":
      return Object.values(ANSWERS).find((a) => a.message === row.reason) ?? ANSWERS.notMember;
    case "RECEIVED":
      return ANSWERS.later;
  }
}

async function settle(db: Db, id: number, status: "APPLIED" | "REFUSED" | "IGNORED", answer: InboundAnswer, messageId: number | null = null): Promise<InboundAnswer> {
  await settleInboundMail(db, id, { status, reason: status === "APPLIED" ? null : answer.message, messageId, processedAt: new Date() });
  return answer;
}

type MailFile = { fileName: string; bytes: Buffer };

/** Files under the portal's rules (type by magic bytes, 10 MB, at most 10); the rest are named in the text. */
function acceptFiles(mail: ParsedMail, locale: ReturnType<typeof resolveLocale>) {
  const files: (MailFile & { mimeType: string })[] = [];
  const skipped: string[] = [];
  // Inline parts (signature logos, pasted images referenced by the HTML) are not attachments.
  for (const a of mail.attachments.filter((x) => !x.related)) {
    const fileName = sanitizeFileName(a.filename ?? "attachment");
    const check = checkUpload("attachment", a.content);
    if (!check.ok || files.length >= MAX_ATTACHMENTS) {
      const why = !check.ok ? check.reason : "TOO_MANY";
      skipped.push(translate(locale, "notifications.inbound.skipped", { name: fileName, reason: translate(locale, `notifications.inbound.skipReasons.${why}`) }));
      continue;
    }
    files.push({ fileName, bytes: a.content, mimeType: check.mimeType });
  }
  return { files, skipped };
}

async function applyStoredMail(db: Db, deps: NotificationDeps, row: StoredMail, mail: ParsedMail): Promise<InboundAnswer> {
  if (isAutomatic(mail)) return settle(db, row.id, "IGNORED", ANSWERS.ignored);
  const member = row.memberId !== null ? await findMemberContact(db, row.memberId) : null;
  if (!member || member.disabled || row.ticketId === null) return settle(db, row.id, "REFUSED", ANSWERS.unknownAddress);
  // The token proves which ticket; the sender must also be that ticket's member.
  if (firstAddress(mail) !== member.email.toLowerCase()) return settle(db, row.id, "REFUSED", ANSWERS.notMember);

  const locale = resolveLocale(member.locale);
  const { files, skipped } = acceptFiles(mail, locale);
  const written = extractReplyText(mail.text ?? "");
  if (!written && files.length === 0) return settle(db, row.id, "REFUSED", ANSWERS.empty);
  const text = written || translate(locale, "notifications.inbound.filesOnly");
  const body = (skipped.length > 0 ? `${text}\n\n${skipped.join("\n")}` : text).slice(0, MAX_BODY);

  try {
    await takeMemberAllowance(rateLimitsFor(db), "reply", member.id);
  } catch {
    return ANSWERS.tooMany;
  }
  const stored = await Promise.all(files.map(async (f) => ({ ...f, storageKey: await deps.files.put(f.bytes) })));
  try {
    const { result } = await runTicketCommand(db, {
      ticketId: row.ticketId,
      action: "member.reply",
      actor: { kind: "MEMBER", id: String(member.id), name: member.name },
      authorize: (ticket) => {
        if (ticket.memberId !== member.id) throw notFound("ticket");
      },
      effects: async (tx, ticket, _next, now) => {
        const message = await insertMessage(tx, {
          ticketId: ticket.id,
          authorKind: "MEMBER",
          memberId: member.id,
          visibility: "PUBLIC",
          body,
          externalId: `mail:${row.id}`,
          createdAt: now,
        });
        const ownerKey = `member:${member.id}`;
        const attachmentIds: number[] = [];
        for (const f of stored) {
          attachmentIds.push((await insertAttachment(tx, { storageKey: f.storageKey, fileName: f.fileName, mimeType: f.mimeType, size: f.bytes.length, ownerKey })).id);
        }
        await claimAttachments(tx, attachmentIds, ownerKey, ticket.id, message.id);
        await afterPublicMessage(tx, ticket, { id: message.id, authorKind: "MEMBER", authorName: member.name, body, createdAt: now, attachmentIds });
        return { messageId: message.id };
      },
    });
    return settle(db, row.id, "APPLIED", ANSWERS.applied, result.messageId);
  } catch (e) {
    if (isUniqueViolation(e)) return ANSWERS.applied; // a concurrent apply of this very row won
    if (isAppError(e) && e.code === "RULE_VIOLATION") return settle(db, row.id, "REFUSED", ANSWERS.ticketClosed);
    if (isAppError(e) && e.code === "NOT_FOUND") return settle(db, row.id, "REFUSED", ANSWERS.unknownAddress);
    logger.warn({ inboundMailId: row.id, err: safeError(e) }, "reply mail stored, apply failed; will retry");
    return ANSWERS.later;
  }
}

/** Applies stored mails whose apply never finished (a crash, a conflict), for a day after arrival. */
export async function retryStoredMails(db: Db, deps: NotificationDeps, now = new Date()): Promise<number> {
  const rows = await listUnappliedInboundMails(db, new Date(now.getTime() - 60_000), new Date(now.getTime() - 86_400_000), 20);
  for (const row of rows) {
    const raw = await deps.files.get(row.rawKey);
    if (!raw) continue;
    try {
      await applyStoredMail(db, deps, row, await simpleParser(Buffer.from(raw)));
    } catch (e) {
      logger.warn({ inboundMailId: row.id, err: safeError(e) }, "stored reply mail could not be applied");
    }
  }
  return rows.length;
}

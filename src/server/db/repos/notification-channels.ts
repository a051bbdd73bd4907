import type { Prisma } from "../generated/client.ts";
import type { ChatKind, InboundMailStatus } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";

// The super admin's notification channels: team chat robots, outgoing mail settings, and the
// inbound mail log of reply-by-e-mail.

const channelSelect = {
  id: true,
  name: true,
  kind: true,
  webhookUrl: true,
  secretEncrypted: true,
  enabled: true,
  locale: true,
  kinds: true,
  categoryIds: true,
  assigneeIds: true,
  mentionAssignee: true,
  sendLog: true,
  lastSentAt: true,
  lastError: true,
} as const;

export type ChatChannelRow = Prisma.ChatChannelGetPayload<{ select: typeof channelSelect }>;

export function listChatChannels(db: DbOrTx) {
  return db.chatChannel.findMany({ orderBy: { id: "asc" }, select: channelSelect });
}

export function listEnabledChatChannels(db: DbOrTx) {
  return db.chatChannel.findMany({ where: { enabled: true }, orderBy: { id: "asc" }, select: channelSelect });
}

export function findChatChannel(db: DbOrTx, id: number) {
  return db.chatChannel.findUnique({ where: { id }, select: channelSelect });
}

export type ChatChannelData = {
  name: string;
  kind: ChatKind;
  webhookUrl: string;
  secretEncrypted?: string | null;
  enabled: boolean;
  locale: string;
  kinds: string[];
  categoryIds: number[];
  assigneeIds: number[];
  mentionAssignee: boolean;
};

export function insertChatChannel(db: DbOrTx, data: ChatChannelData) {
  return db.chatChannel.create({ data, select: { id: true } });
}

export async function updateChatChannel(db: DbOrTx, id: number, data: Partial<ChatChannelData>) {
  const { count } = await db.chatChannel.updateMany({ where: { id }, data });
  return count === 1;
}

export async function deleteChatChannel(db: DbOrTx, id: number) {
  const { count } = await db.chatChannel.deleteMany({ where: { id } });
  return count === 1;
}

/** After a send (or a send the vendor answered): the limiter's memory and the last outcome. */
export function recordChatSend(db: DbOrTx, id: number, data: { sendLog: number[]; lastSentAt?: Date; lastError: string | null }) {
  return db.chatChannel.updateMany({ where: { id }, data: { ...data, lastError: data.lastError?.slice(0, 1000) ?? null } });
}

// --- Outgoing mail --------------------------------------------------------------------------

const MAIL_SETTINGS_ID = 1;

export function findMailSettings(db: DbOrTx) {
  return db.mailSettings.findUnique({
    where: { id: MAIL_SETTINGS_ID },
    select: { enabled: true, host: true, port: true, security: true, user: true, passwordEncrypted: true, fromAddress: true, fromName: true, updatedAt: true },
  });
}

export type MailSettingsData = {
  enabled: boolean;
  host: string;
  port: number;
  security: string;
  user: string | null;
  /** undefined keeps the stored password. */
  passwordEncrypted?: string | null;
  fromAddress: string;
  fromName: string | null;
};

export function upsertMailSettings(db: DbOrTx, data: MailSettingsData) {
  return db.mailSettings.upsert({
    where: { id: MAIL_SETTINGS_ID },
    create: { id: MAIL_SETTINGS_ID, ...data },
    update: data,
    select: { updatedAt: true },
  });
}

// --- Inbound mail ---------------------------------------------------------------------------

export type NewInboundMail = {
  dedupeKey: string;
  messageIdHeader: string | null;
  fromAddress: string | null;
  toAddress: string;
  ticketId: number | null;
  memberId: number | null;
  rawKey: string;
  size: number;
};

const inboundSelect = {
  id: true,
  status: true,
  reason: true,
  ticketId: true,
  memberId: true,
  rawKey: true,
  fromAddress: true,
  toAddress: true,
  messageId: true,
  receivedAt: true,
} as const;

export function insertInboundMail(db: DbOrTx, data: NewInboundMail) {
  return db.inboundMail.create({ data, select: inboundSelect });
}

export function findInboundMailByKey(db: DbOrTx, dedupeKey: string) {
  return db.inboundMail.findUnique({ where: { dedupeKey }, select: inboundSelect });
}

export async function settleInboundMail(db: DbOrTx, id: number, data: { status: InboundMailStatus; reason?: string | null; messageId?: number | null; processedAt?: Date | null }) {
  await db.inboundMail.update({ where: { id }, data: { ...data, reason: data.reason?.slice(0, 500) ?? null } });
}

/** Stored but never applied (the process died, or the apply failed): the worker tries again. */
export function listUnappliedInboundMails(db: DbOrTx, receivedBefore: Date, receivedAfter: Date, take: number) {
  return db.inboundMail.findMany({
    where: { status: "RECEIVED", receivedAt: { lt: receivedBefore, gt: receivedAfter } },
    orderBy: { id: "asc" },
    take,
    select: inboundSelect,
  });
}

export function listRecentInboundMails(db: DbOrTx, take: number) {
  return db.inboundMail.findMany({ orderBy: [{ receivedAt: "desc" }, { id: "desc" }], take, select: inboundSelect });
}

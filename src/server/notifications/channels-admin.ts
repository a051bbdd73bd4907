import { ZId, zIdList, zText } from "../schemas.ts";
// The super admin's 通知渠道 page: outgoing mail settings with 发送测试邮件, the reply-mail log, and
// team chat robots with filters and 发送测试. Secrets are write-only (sealed at rest).
import { z } from "zod";
import type { Db } from "../db/client.ts";
import {
  deleteChatChannel,
  findChatChannel,
  findMailSettings,
  insertChatChannel,
  listChatChannels,
  listRecentInboundMails,
  recordChatSend,
  updateChatChannel,
  upsertMailSettings,
} from "../db/repos/notification-channels.ts";
import { createSecretBox } from "../crypto/secret-box.ts";
import { CHAT_KINDS, CHAT_RATE_LIMITS, isNotificationKind, pruneSendLog } from "../domain/notifications.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import type { NotificationDeps } from "./deps.ts";
import { mailFailure, resolveSmtp, sendMail } from "./mailer.ts";
import { renderTestMail } from "./render-mail.ts";
import { postToRobot, sendLogOf } from "./chat/chat-delivery.ts";
import type { ChatMessage } from "./chat/vendors.ts";
import { LOCALES, resolveLocale, translate, type Locale } from "@/i18n/messages";

const channelNotFound = () => new AppError("NOT_FOUND", "notifications.errors.channelNotFound");

export type ChannelsAdminDeps = NotificationDeps & { inbound: { port: number } | null };

export async function getChannelsOverview(db: Db, deps: ChannelsAdminDeps) {
  const [row, channels, inbound] = await Promise.all([findMailSettings(db), listChatChannels(db), listRecentInboundMails(db, 20)]);
  return {
    smtp: {
      source: row ? ("console" as const) : deps.envSmtp ? ("env" as const) : ("none" as const),
      settings: row
        ? { enabled: row.enabled, host: row.host, port: row.port, security: row.security, user: row.user ?? "", hasPassword: row.passwordEncrypted !== null, fromAddress: row.fromAddress, fromName: row.fromName ?? "" }
        : deps.envSmtp
          ? { enabled: true, host: deps.envSmtp.host, port: deps.envSmtp.port, security: deps.envSmtp.security, user: deps.envSmtp.user ?? "", hasPassword: deps.envSmtp.password !== null, fromAddress: deps.envSmtp.fromAddress, fromName: deps.envSmtp.fromName ?? "" }
          : null,
    },
    inbound: {
      listening: deps.inbound !== null && deps.replyDomain !== null,
      port: deps.inbound?.port ?? null,
      replyDomain: deps.replyDomain,
      recent: inbound.map((m) => ({ id: m.id, from: m.fromAddress, ticketId: m.ticketId, status: m.status, reason: m.reason, receivedAt: m.receivedAt })),
    },
    channels: channels.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      webhookUrl: c.webhookUrl,
      hasSecret: c.secretEncrypted !== null,
      enabled: c.enabled,
      locale: c.locale,
      kinds: c.kinds,
      categoryIds: c.categoryIds,
      assigneeIds: c.assigneeIds,
      mentionAssignee: c.mentionAssignee,
      lastSentAt: c.lastSentAt,
      lastError: c.lastError,
    })),
    chatKinds: CHAT_KINDS,
  };
}

export const ZSmtpInput = z.object({
  enabled: z.boolean(),
  host: zText({ max: 200, min: 1, required: "errors.invalidField" }),
  port: z.number().int().min(1).max(65535),
  security: z.enum(["tls", "starttls", "none"]),
  user: zText({ max: 200 }).default(""),
  /** Empty keeps the stored password. */
  password: zText({ max: 300, trim: false }).default(""),
  fromAddress: z.email("notifications.errors.emailInvalid").max(200),
  fromName: zText({ max: 100 }).default(""),
});

export async function saveSmtpSettings(db: Db, deps: NotificationDeps, input: z.infer<typeof ZSmtpInput>) {
  await upsertMailSettings(db, {
    enabled: input.enabled,
    host: input.host,
    port: input.port,
    security: input.security,
    user: input.user || null,
    ...(input.password ? { passwordEncrypted: createSecretBox(deps.authSecret).seal(input.password) } : {}),
    fromAddress: input.fromAddress,
    fromName: input.fromName || null,
  });
  return { saved: true };
}

export const ZTestMailInput = z.object({ to: z.email("notifications.errors.emailInvalid").max(200) });

/** 发送测试邮件: sent now (the admin waits for the answer), through the settings in force. */
export async function sendTestMail(db: Db, deps: NotificationDeps, input: z.infer<typeof ZTestMailInput>, locale: Locale) {
  const settings = await resolveSmtp(db, deps);
  if (!settings) throw new AppError("VALIDATION", "notifications.errors.smtpNotConfigured");
  try {
    await sendMail(settings, { to: input.to, ...renderTestMail(locale), headers: { "Auto-Submitted": "auto-generated" } });
  } catch (e) {
    throw new AppError("UPSTREAM_UNAVAILABLE", "notifications.errors.sendFailed", { params: { reason: mailFailure(e).error } });
  }
  return { sentTo: input.to };
}

const ZWebhookUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    try {
      return ["http:", "https:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, "notifications.errors.webhookUrlInvalid");

const ZChannelFields = z.object({
  name: zText({ max: 64, min: 1, required: "errors.invalidField" }),
  kind: z.enum(["DINGTALK", "WECOM", "FEISHU", "WEBHOOK"]),
  webhookUrl: ZWebhookUrl,
  /** Empty keeps the stored secret (on update). */
  secret: zText({ max: 300 }).default(""),
  enabled: z.boolean().default(true),
  locale: z.enum(LOCALES).default("zh-CN"),
  kinds: z.array(z.string().refine((k) => isNotificationKind(k) && (CHAT_KINDS as string[]).includes(k), "errors.invalidField")).max(20),
  categoryIds: zIdList(200).default([]),
  assigneeIds: zIdList(200).default([]),
  mentionAssignee: z.boolean().default(true),
});
export const ZCreateChannelInput = ZChannelFields;
export const ZUpdateChannelInput = ZChannelFields.extend({ id: ZId });

/** DingTalk and Feishu are set up signed here (the vendors' keyword option is not); the webhook always. */
const needsSecret = (kind: string) => kind !== "WECOM";

function channelData(deps: NotificationDeps, input: z.infer<typeof ZChannelFields>) {
  return {
    name: input.name,
    kind: input.kind,
    webhookUrl: input.webhookUrl,
    ...(input.secret ? { secretEncrypted: createSecretBox(deps.authSecret).seal(input.secret) } : {}),
    enabled: input.enabled,
    locale: input.locale,
    kinds: [...new Set(input.kinds)],
    categoryIds: [...new Set(input.categoryIds)],
    assigneeIds: [...new Set(input.assigneeIds)],
    mentionAssignee: input.mentionAssignee,
  };
}

async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "notifications.errors.channelNameTaken");
    throw e;
  }
}

export async function createChatChannel(db: Db, deps: NotificationDeps, input: z.infer<typeof ZCreateChannelInput>) {
  if (needsSecret(input.kind) && !input.secret) throw new AppError("VALIDATION", "notifications.errors.secretRequired");
  return uniqueName(() => insertChatChannel(db, { secretEncrypted: null, ...channelData(deps, input) }));
}

export async function updateChatChannelSettings(db: Db, deps: NotificationDeps, input: z.infer<typeof ZUpdateChannelInput>) {
  const current = await findChatChannel(db, input.id);
  if (!current) throw channelNotFound();
  if (needsSecret(input.kind) && !input.secret && current.secretEncrypted === null) throw new AppError("VALIDATION", "notifications.errors.secretRequired");
  await uniqueName(() => updateChatChannel(db, input.id, channelData(deps, input)));
  return { id: input.id };
}

export async function removeChatChannel(db: Db, id: number) {
  if (!(await deleteChatChannel(db, id))) throw channelNotFound();
  return { id };
}

/** 发送测试: one message now, signed as real ones are; the vendor's refusal is shown as it said it. */
export async function testChatChannel(db: Db, deps: NotificationDeps, id: number) {
  const channel = await findChatChannel(db, id);
  if (!channel) throw channelNotFound();
  const locale = resolveLocale(channel.locale);
  const app = translate(locale, "common.appName");
  const title = translate(locale, "notifications.chat.testTitle", { app });
  const body = translate(locale, "notifications.chat.testBody");
  const now = deps.now();
  const message: ChatMessage = {
    title,
    markdown: `#### ${title}\n${body}`,
    text: `${title}\n${body}`,
    mentionMobiles: [],
    json: { eventId: `chat-test-${now.getTime()}`, type: "notifications", occurredAt: now.toISOString(), items: [] },
  };
  const secret = channel.secretEncrypted ? createSecretBox(deps.authSecret).open(channel.secretEncrypted) : null;
  const { outcome, answered } = await postToRobot(deps, channel.kind, channel, secret, message, now);
  // A test counts against the vendor's limit like any message.
  if (answered) {
    const log = pruneSendLog(sendLogOf(channel.sendLog), CHAT_RATE_LIMITS[channel.kind], now.getTime());
    await recordChatSend(db, channel.id, { sendLog: [...log, now.getTime()], lastError: outcome.ok ? null : "error" in outcome ? outcome.error : null });
  }
  if (!outcome.ok) throw new AppError("UPSTREAM_UNAVAILABLE", "notifications.errors.sendFailed", { params: { reason: "error" in outcome ? outcome.error : outcome.reason } });
  return { sent: true };
}

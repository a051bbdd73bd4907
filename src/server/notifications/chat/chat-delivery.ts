// Outbox kind NOTIFY_CHAT: team news to a robot, within the vendor's rate limit. The rows of one
// robot share an orderingKey, so only the oldest is ever in flight (one sender per robot across
// all workers). When the robot's window is full the row waits (not an attempt); whatever queued
// up behind it meanwhile goes out with it as one digest — bursts are merged, never dropped.
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { findChatChannel, recordChatSend } from "../../db/repos/notification-channels.ts";
import { findStaffMobiles } from "../../db/repos/notifications.ts";
import { listPendingBehind, markOutboxMerged, type ClaimedRow } from "../../db/repos/outbox.ts";
import { CHAT_RATE_LIMITS, isNotificationKind, nextSendAt, pruneSendLog } from "../../domain/notifications.ts";
import { createSecretBox } from "../../crypto/secret-box.ts";
import type { DeliveryOutcome } from "../../outbox/types.ts";
import type { NotificationDeps } from "../deps.ts";
import { composeChatMessage, MAX_DIGEST_ITEMS } from "./compose.ts";
import type { ChatItem } from "./item.ts";
import { buildVendorRequest, readVendorAnswer, type ChatKind, type ChatMessage } from "./vendors.ts";
import { resolveLocale } from "@/i18n/messages";

const ZItem = z.object({
  channelId: z.number().int(),
  eventId: z.number().int(),
  kind: z.string().refine(isNotificationKind),
  ticketId: z.number().int(),
  title: z.string(),
  category: z.string(),
  actor: z.string().nullable(),
  excerpt: z.string().nullable(),
  assigneeId: z.number().int().nullable(),
  at: z.string(),
});

const parseItem = (payload: unknown): ChatItem | null => {
  const r = ZItem.safeParse(payload);
  return r.success ? (r.data as ChatItem) : null;
};

const MENTIONS_BY_MOBILE: ReadonlySet<ChatKind> = new Set(["DINGTALK", "WECOM"]);
const REQUEST_TIMEOUT_MS = 10_000;

/** The robot's stored send times (JSON), as numbers. */
export const sendLogOf = (value: unknown): number[] => (Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : []);

/** Sends one message to a robot and reads its answer (also used by the console's 发送测试). */
export async function postToRobot(
  deps: Pick<NotificationDeps, "fetch">,
  kind: ChatKind,
  channel: { id: number; webhookUrl: string },
  secret: string | null,
  message: ChatMessage,
  now: Date,
): Promise<{ outcome: DeliveryOutcome; answered: boolean }> {
  const request = buildVendorRequest(kind, channel, secret, message, now);
  try {
    const res = await deps.fetch(request.url, { ...request.init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: "error" });
    const body = (await res.text()).slice(0, 4000);
    return { outcome: readVendorAnswer(kind, res.status, body, res.headers.get("retry-after")), answered: true };
  } catch (e) {
    const name = e instanceof Error ? e.name : "Error";
    return { outcome: { ok: false, retryable: true, error: `network error (${name === "TimeoutError" ? "timeout" : name})` }, answered: false };
  }
}

export async function deliverChatMessage(db: Db, deps: NotificationDeps, row: ClaimedRow): Promise<DeliveryOutcome> {
  const head = parseItem(row.payload);
  if (!head) return { ok: false, retryable: false, error: "invalid chat payload" };
  const channel = await findChatChannel(db, head.channelId);
  // A robot deleted or switched off since the news was queued: the admin asked for silence.
  if (!channel || !channel.enabled) return { ok: true };

  const now = deps.now();
  const windows = CHAT_RATE_LIMITS[channel.kind];
  const log = pruneSendLog(sendLogOf(channel.sendLog), windows, now.getTime());
  const at = nextSendAt(log, windows, now.getTime());
  if (at > now.getTime()) return { ok: false, deferUntil: new Date(at), reason: "rate limit" };

  const behind = (await listPendingBehind(db, row, MAX_DIGEST_ITEMS - 1)).flatMap((r) => {
    const item = parseItem(r.payload);
    return item ? [{ id: r.id, item }] : [];
  });
  const queue = [head, ...behind.map((b) => b.item)];
  const mobiles = new Map<number, string>();
  if (channel.mentionAssignee && MENTIONS_BY_MOBILE.has(channel.kind)) {
    const ids = [...new Set(queue.flatMap((i) => (i.assigneeId !== null ? [i.assigneeId] : [])))];
    for (const s of await findStaffMobiles(db, ids)) if (s.mobile) mobiles.set(s.id, s.mobile);
  }
  const mobilesOf = (items: ChatItem[]) => [...new Set(items.flatMap((i) => (i.assigneeId !== null && mobiles.has(i.assigneeId) ? [mobiles.get(i.assigneeId)!] : [])))];
  const { taken, message } = composeChatMessage(
    queue,
    { kind: channel.kind, locale: resolveLocale(channel.locale), publicUrl: deps.publicUrl, eventId: `chat-${row.id}`, occurredAt: now },
    mobilesOf,
  );

  const secret = channel.secretEncrypted ? createSecretBox(deps.authSecret).open(channel.secretEncrypted) : null;
  const { outcome, answered } = await postToRobot(deps, channel.kind, channel, secret, message, now);
  // A message the vendor answered counts against its limit, whatever it said.
  await recordChatSend(db, channel.id, {
    sendLog: answered ? [...log, now.getTime()] : log,
    ...(outcome.ok ? { lastSentAt: now } : {}),
    lastError: outcome.ok ? null : "error" in outcome ? outcome.error : null,
  });
  if (outcome.ok) await markOutboxMerged(db, behind.slice(0, taken - 1).map((b) => b.id), now);
  return outcome;
}

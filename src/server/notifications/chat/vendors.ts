// The four robots, each exactly as its vendor documents it: how a message is signed and shaped,
// and how its answer reads. No SDK: fetch + node:crypto.
//
// DingTalk custom robot (加签): sign = urlencode(base64(HMAC-SHA256(key = secret,
//   message = "<timestamp ms>\n<secret>"))), sent as &timestamp=…&sign=… on the webhook URL.
// Feishu custom bot (签名校验): sign = base64(HMAC-SHA256(key = "<timestamp s>\n<secret>",
//   message = "")), sent in the JSON body beside "timestamp".
// WeCom group robot: the key in the webhook URL is the credential; no signature.
// Generic webhook: our protocol's callback signature (docs/UPSTREAM_PROTOCOL.md §3).
import { createHmac } from "node:crypto";
import { signedHeaders } from "../../protocol/signature.ts";
import { parseRetryAfterMs } from "../../outbox/backoff.ts";
import type { DeliveryOutcome } from "../../outbox/types.ts";

export type ChatKind = "DINGTALK" | "WECOM" | "FEISHU" | "WEBHOOK";

/** A message ready for any vendor: the same news as markdown, plain text and structured items. */
export type ChatMessage = {
  title: string;
  markdown: string;
  text: string;
  /** Mobile numbers to @-mention (DingTalk atMobiles, WeCom mentioned_mobile_list). */
  mentionMobiles: string[];
  /** For the generic webhook. */
  json: { eventId: string; type: "notifications"; occurredAt: string; items: unknown[] };
};

/** What one message may hold, in UTF-8 bytes of its text (WeCom: 2048; Feishu: 20 KB bodies). */
export const CHAT_TEXT_BUDGET: Record<ChatKind, number> = { DINGTALK: 4000, WECOM: 2000, FEISHU: 4000, WEBHOOK: 60_000 };

export function dingTalkSign(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

export function feishuSign(secret: string, timestampS: number): string {
  return createHmac("sha256", `${timestampS}\n${secret}`).update("", "utf8").digest("base64");
}

export type VendorRequest = { url: string; init: RequestInit & { body: string; headers: Record<string, string> } };

export function buildVendorRequest(kind: ChatKind, channel: { id: number; webhookUrl: string }, secret: string | null, message: ChatMessage, now: Date): VendorRequest {
  const json = (url: string, body: unknown, headers: Record<string, string> = {}): VendorRequest => ({
    url,
    init: { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) },
  });
  switch (kind) {
    case "DINGTALK": {
      const ts = now.getTime();
      const url = secret ? `${channel.webhookUrl}${channel.webhookUrl.includes("?") ? "&" : "?"}timestamp=${ts}&sign=${encodeURIComponent(dingTalkSign(secret, ts))}` : channel.webhookUrl;
      const mentions = message.mentionMobiles.map((m) => `@${m}`).join(" ");
      return json(url, {
        msgtype: "markdown",
        markdown: { title: message.title, text: mentions ? `${message.markdown}\n\n${mentions}` : message.markdown },
        at: { atMobiles: message.mentionMobiles, isAtAll: false },
      });
    }
    case "WECOM":
      return json(channel.webhookUrl, { msgtype: "text", text: { content: message.text, mentioned_mobile_list: message.mentionMobiles } });
    case "FEISHU": {
      const ts = Math.floor(now.getTime() / 1000);
      return json(channel.webhookUrl, {
        ...(secret ? { timestamp: String(ts), sign: feishuSign(secret, ts) } : {}),
        msg_type: "text",
        content: { text: message.text },
      });
    }
    case "WEBHOOK": {
      const url = new URL(channel.webhookUrl);
      const body = JSON.stringify(message.json);
      const headers = signedHeaders({
        partnerId: "relaydesk",
        keyId: `chat-${channel.id}`,
        secret: secret ?? "",
        method: "POST",
        pathWithQuery: `${url.pathname}${url.search}`,
        body,
        now,
      });
      return json(channel.webhookUrl, body, headers);
    }
  }
}

/** Codes the vendors answer when a robot sends too fast: wait, then try again (never dropped). */
const RATE_LIMITED: Record<ChatKind, number[]> = { DINGTALK: [130101], WECOM: [45009], FEISHU: [11232], WEBHOOK: [] };
/** DingTalk mutes a robot for 10 minutes once it is over the limit. */
const RATE_LIMIT_WAIT_MS: Record<ChatKind, number> = { DINGTALK: 600_000, WECOM: 60_000, FEISHU: 60_000, WEBHOOK: 60_000 };

/**
 * The vendors answer HTTP 200 with an error code in the body; 0 is success. A rate-limit code or
 * a 5xx is retried; any other refusal (a wrong signature, a deleted robot) is a configuration
 * the admin must fix: dead-lettered with the vendor's words, redeliverable once fixed.
 */
export function readVendorAnswer(kind: ChatKind, status: number, body: string, retryAfter: string | null): DeliveryOutcome {
  if (status === 429 || status === 408 || status >= 500) {
    return { ok: false, retryable: true, error: `HTTP ${status}`, retryAfterMs: status === 429 ? (parseRetryAfterMs(retryAfter) ?? RATE_LIMIT_WAIT_MS[kind]) : undefined };
  }
  if (kind === "WEBHOOK") return status >= 200 && status < 300 ? { ok: true } : { ok: false, retryable: false, error: `HTTP ${status}` };
  if (status < 200 || status >= 300) return { ok: false, retryable: false, error: `HTTP ${status}` };
  let answer: { errcode?: number; errmsg?: string; code?: number; msg?: string; StatusCode?: number; StatusMessage?: string };
  try {
    answer = JSON.parse(body) as typeof answer;
  } catch {
    return { ok: false, retryable: true, error: "the robot's answer is not JSON" };
  }
  const code = answer.errcode ?? answer.code ?? answer.StatusCode ?? 0;
  const text = answer.errmsg ?? answer.msg ?? answer.StatusMessage ?? "";
  if (code === 0) return { ok: true };
  if (RATE_LIMITED[kind].includes(code)) return { ok: false, retryable: true, error: `rate limited (${code} ${text})`, retryAfterMs: RATE_LIMIT_WAIT_MS[kind] };
  return { ok: false, retryable: false, error: `${code} ${text}`.trim().slice(0, 300) };
}

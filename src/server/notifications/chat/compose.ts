// One item → one message; several (a burst the rate limit held back) → one digest. A digest takes
// as many items, in order, as the vendor's size budget allows; the rest wait for the next message.
import type { ChatItem } from "./item.ts";
import { CHAT_TEXT_BUDGET, type ChatKind, type ChatMessage } from "./vendors.ts";
import { translate, type Locale } from "@/i18n/messages";

/** More lines than this stop being read; the rest go in the next digest. */
export const MAX_DIGEST_ITEMS = 30;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

function cutToBytes(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = "";
  for (const ch of s) {
    if (bytes(out + ch) > max - 3) break;
    out += ch;
  }
  return `${out}…`;
}

export type ComposeContext = { kind: ChatKind; locale: Locale; publicUrl: string; eventId: string; occurredAt: Date };

function headlineOf(item: ChatItem, locale: Locale): string {
  return translate(locale, `notifications.kinds.${item.kind}.headline`, {
    actor: item.actor ?? translate(locale, "notifications.someone"),
    ticket: item.ticketId,
  });
}

const ticketUrl = (ctx: ComposeContext, item: ChatItem) => `${ctx.publicUrl}/admin/tickets/${item.ticketId}`;

function single(item: ChatItem, ctx: ComposeContext, mentionMobiles: string[]): ChatMessage {
  const t = (key: string, params: Record<string, string | number> = {}) => translate(ctx.locale, key, params);
  const headline = headlineOf(item, ctx.locale);
  const url = ticketUrl(ctx, item);
  const quote = item.excerpt ? item.excerpt : null;
  const markdown = [
    `#### ${headline}`,
    `**${item.title}**`,
    `${t("notifications.chat.category")}：${item.category}`,
    ...(quote ? [`> ${quote}`] : []),
    "",
    `[${t("notifications.chat.open")}](${url})`,
  ].join("\n");
  const text = [headline, `${item.title}（${item.category}）`, ...(quote ? [quote] : []), url].join("\n");
  return { title: headline, markdown, text, mentionMobiles, json: jsonOf([item], ctx) };
}

function jsonOf(items: ChatItem[], ctx: ComposeContext): ChatMessage["json"] {
  return {
    eventId: ctx.eventId,
    type: "notifications",
    occurredAt: ctx.occurredAt.toISOString(),
    items: items.map((i) => ({
      kind: i.kind,
      ticketId: i.ticketId,
      title: i.title,
      category: i.category,
      actor: i.actor,
      excerpt: i.excerpt,
      headline: headlineOf(i, ctx.locale),
      url: ticketUrl(ctx, i),
      at: i.at,
    })),
  };
}

function digest(items: ChatItem[], ctx: ComposeContext, mentionMobiles: string[]): ChatMessage {
  const t = (key: string, params: Record<string, string | number> = {}) => translate(ctx.locale, key, params);
  const title = t("notifications.chat.digest", { n: items.length });
  const markdown = [
    `#### ${title}`,
    ...items.map((i) => `- [${headlineOf(i, ctx.locale)}](${ticketUrl(ctx, i)})：${i.title}`),
    "",
    `[${t("notifications.chat.queue")}](${ctx.publicUrl}/admin/tickets)`,
  ].join("\n");
  const text = [title, ...items.map((i) => `· ${headlineOf(i, ctx.locale)}：${i.title} ${ticketUrl(ctx, i)}`)].join("\n");
  return { title, markdown, text, mentionMobiles, json: jsonOf(items, ctx) };
}

const sizeOf = (kind: ChatKind, m: ChatMessage) =>
  kind === "WEBHOOK" ? bytes(JSON.stringify(m.json)) : bytes(kind === "DINGTALK" ? m.markdown : m.text) + m.mentionMobiles.length * 13;

/**
 * The message for the first items of `queue` that fit; `taken` says how many. Always takes at
 * least one (shortened if it alone is too long), so the queue moves.
 */
export function composeChatMessage(queue: ChatItem[], ctx: ComposeContext, mobilesOf: (items: ChatItem[]) => string[]): { taken: number; message: ChatMessage } {
  const budget = CHAT_TEXT_BUDGET[ctx.kind];
  const first = queue[0]!;
  let best = { taken: 1, message: single({ ...first, excerpt: first.excerpt ? cutToBytes(first.excerpt, budget / 2) : null }, ctx, mobilesOf([first])) };
  if (sizeOf(ctx.kind, best.message) > budget) {
    const m = best.message;
    best = { taken: 1, message: { ...m, markdown: cutToBytes(m.markdown, budget - 200), text: cutToBytes(m.text, budget - 200) } };
  }
  for (let n = 2; n <= Math.min(queue.length, MAX_DIGEST_ITEMS); n++) {
    const items = queue.slice(0, n);
    const candidate = digest(items, ctx, mobilesOf(items));
    if (sizeOf(ctx.kind, candidate) > budget) break;
    best = { taken: n, message: candidate };
  }
  return best;
}

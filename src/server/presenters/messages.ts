import { translate, type Locale } from "@/i18n/messages";
import { formatDateTime } from "@/lib/datetime";
import { remoteFileHash } from "../upstream/outbox-types.ts";

export type MessageRow = {
  id: number;
  authorKind: "MEMBER" | "STAFF" | "UPSTREAM_AGENT" | "PARTNER" | "SYSTEM";
  staffId: number | null;
  staff?: { displayName: string } | null;
  agentId: string | null;
  agentName: string | null;
  visibility: "PUBLIC" | "STAFF_ONLY";
  body: string;
  systemCode: string | null;
  systemParams: unknown;
  createdAt: Date;
  /** `storageKey` only to tell whether the bytes are here yet; it never leaves the presenter. */
  attachments?: { id: number; fileName: string; mimeType: string; size: number; available?: boolean; storageKey?: string }[];
};

export type MessageView = {
  id: number;
  authorKind: MessageRow["authorKind"];
  author: string;
  staffOnly: boolean;
  body: string;
  createdAt: Date;
  /** `available` is false while an upstream's file is still being fetched. */
  attachments: { id: number; fileName: string; mimeType: string; size: number; available: boolean }[];
};

/**
 * The manual's author lines: `客户`, `超级管理员(ID: 1)`, `云技术客服404907(ID: 404907)`,
 * `系统消息`. Members see staff by name only (客服 names) — never internal IDs of upstream agents
 * beyond what the manual shows them.
 */
export function authorLine(m: MessageRow, locale: Locale, audience: "member" | "staff"): string {
  switch (m.authorKind) {
    case "MEMBER":
      return translate(locale, "tickets.author.member");
    case "STAFF": {
      const name = m.staff?.displayName ?? translate(locale, "tickets.author.staff");
      return audience === "staff" ? `${name}(ID: ${m.staffId})` : name;
    }
    case "UPSTREAM_AGENT":
      return audience === "staff"
        ? translate(locale, "tickets.author.upstreamAgentWithId", { id: m.agentId ?? "-" })
        : translate(locale, "tickets.author.upstreamAgent");
    case "PARTNER":
      return translate(locale, "tickets.author.partner", { name: m.agentName ?? "" });
    case "SYSTEM":
      return translate(locale, "tickets.author.system");
  }
}

/** System messages are stored with a code and params, so each viewer reads them in their language and zone. */
export function messageBody(m: MessageRow, locale: Locale, timeZone: string): string {
  if (m.authorKind !== "SYSTEM" || !m.systemCode) return m.body;
  const raw = (m.systemParams ?? {}) as Record<string, string | number>;
  const params = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, k === "time" && typeof v === "string" ? formatDateTime(v, timeZone) : v]),
  );
  const key = `tickets.system.${m.systemCode}`;
  const text = translate(locale, key, params);
  return text === key ? m.body : text;
}

export function presentMessage(m: MessageRow, locale: Locale, timeZone: string, audience: "member" | "staff"): MessageView {
  return {
    id: m.id,
    authorKind: m.authorKind,
    author: authorLine(m, locale, audience),
    staffOnly: m.visibility === "STAFF_ONLY",
    body: messageBody(m, locale, timeZone),
    createdAt: m.createdAt,
    attachments: (m.attachments ?? []).map(({ storageKey, available, ...file }) => ({
      ...file,
      available: available ?? (storageKey === undefined || remoteFileHash(storageKey) === null),
    })),
  };
}

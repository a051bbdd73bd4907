// Generated list of message namespaces: one JSON file per area and language, so that each
// feature owns its own file. Keys are addressed as "<namespace>.<key…>".
import zhCN_common from "@/messages/zh-CN/common.json";
import zhCN_auth from "@/messages/zh-CN/auth.json";
import zhCN_portal from "@/messages/zh-CN/portal.json";
import zhCN_console from "@/messages/zh-CN/console.json";
import zhCN_categories from "@/messages/zh-CN/categories.json";
import zhCN_tickets from "@/messages/zh-CN/tickets.json";
import zhCN_escalation from "@/messages/zh-CN/escalation.json";
import zhCN_partners from "@/messages/zh-CN/partners.json";
import zhCN_errors from "@/messages/zh-CN/errors.json";
import zhCN_notifications from "@/messages/zh-CN/notifications.json";
import zhCN_sla from "@/messages/zh-CN/sla.json";
import en_common from "@/messages/en/common.json";
import en_auth from "@/messages/en/auth.json";
import en_portal from "@/messages/en/portal.json";
import en_console from "@/messages/en/console.json";
import en_categories from "@/messages/en/categories.json";
import en_tickets from "@/messages/en/tickets.json";
import en_escalation from "@/messages/en/escalation.json";
import en_partners from "@/messages/en/partners.json";
import en_errors from "@/messages/en/errors.json";
import en_notifications from "@/messages/en/notifications.json";
import en_sla from "@/messages/en/sla.json";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export const MESSAGES = {
  "zh-CN": {
    common: zhCN_common,
    auth: zhCN_auth,
    portal: zhCN_portal,
    console: zhCN_console,
    categories: zhCN_categories,
    tickets: zhCN_tickets,
    escalation: zhCN_escalation,
    partners: zhCN_partners,
    errors: zhCN_errors,
    notifications: zhCN_notifications,
    sla: zhCN_sla,
  },
  "en": {
    common: en_common,
    auth: en_auth,
    portal: en_portal,
    console: en_console,
    categories: en_categories,
    tickets: en_tickets,
    escalation: en_escalation,
    partners: en_partners,
    errors: en_errors,
    notifications: en_notifications,
    sla: en_sla,
  },
} as const;

/**
 * Which namespaces each area's browser code receives (server code reads them all). The member
 * portal never ships the console's texts: they describe staff tools a member has no business
 * reading, and they would only make its pages heavier.
 */
const CLIENT_NAMESPACES = {
  shared: ["common", "auth", "errors", "tickets"],
  portal: ["common", "auth", "errors", "tickets", "portal", "notifications"],
  console: ["common", "auth", "errors", "tickets", "console", "categories", "escalation", "partners", "notifications", "sla"],
} as const satisfies Record<string, readonly (keyof (typeof MESSAGES)["zh-CN"])[]>;

/** Parts of a shared namespace that only the console uses (the portal's bundle leaves them out). */
const CONSOLE_ONLY: Partial<Record<keyof (typeof MESSAGES)["zh-CN"], readonly string[]>> = { notifications: ["admin"] };

export function clientMessages(locale: Locale, area: keyof typeof CLIENT_NAMESPACES) {
  return Object.fromEntries(
    CLIENT_NAMESPACES[area].map((ns) => {
      const texts: Record<string, unknown> = MESSAGES[locale][ns];
      const omit = area === "console" ? [] : (CONSOLE_ONLY[ns] ?? []);
      return [ns, omit.length ? Object.fromEntries(Object.entries(texts).filter(([key]) => !omit.includes(key))) : texts];
    }),
  );
}

export function resolveLocale(value: string | undefined | null): Locale {
  if (!value) return DEFAULT_LOCALE;
  if ((LOCALES as readonly string[]).includes(value)) return value as Locale;
  return value.toLowerCase().startsWith("en") ? "en" : DEFAULT_LOCALE;
}

type Tree = { [k: string]: string | Tree };

/**
 * Server-side translation for texts that leave through tRPC errors, the protocol and system
 * messages. Falls back to zh-CN, then to the key itself (a missing text is visible, not fatal).
 */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const lookup = (l: Locale) =>
    key.split(".").reduce<string | Tree | undefined>((node, part) => (typeof node === "object" ? node[part] : undefined), MESSAGES[l] as unknown as Tree);
  const text = lookup(locale) ?? lookup(DEFAULT_LOCALE);
  if (typeof text !== "string") return key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

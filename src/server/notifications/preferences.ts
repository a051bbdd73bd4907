import { zIdList } from "../schemas.ts";
// Per-person notification preferences: kinds × channels for everyone; staff also pick the
// categories whose new tickets they hear of, and give the address and mobile number to use.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import {
  findPreference,
  findStaffNotificationProfile,
  updateStaffNotificationProfile,
  upsertPreference,
} from "../db/repos/notifications.ts";
import { channelsFor, DEFAULT_SETTINGS, isNotificationKind, kindsFor, type NotificationKind, type NotificationSettings } from "../domain/notifications.ts";
import type { Viewer } from "../viewer.ts";
import { AppError } from "../errors.ts";
import { LOCALES } from "@/i18n/messages";

const ZChoice = z.object({ inApp: z.boolean(), email: z.boolean() });

const ZStoredSettings = z.object({
  kinds: z.record(z.string(), ZChoice).default({}),
  watchCategoryIds: zIdList(500).nullable().default(null),
});

/** Stored JSON → settings; unknown kinds (from an older version) are dropped, garbage is the default. */
export function parseSettings(value: unknown): NotificationSettings {
  const parsed = ZStoredSettings.safeParse(value);
  if (!parsed.success) return DEFAULT_SETTINGS;
  const kinds = Object.fromEntries(Object.entries(parsed.data.kinds).filter(([k]) => isNotificationKind(k))) as NotificationSettings["kinds"];
  return { kinds, watchCategoryIds: parsed.data.watchCategoryIds };
}

const audienceOf = (viewer: Viewer) => {
  if (viewer.kind === "member") return { recipientKind: "MEMBER" as const, id: viewer.memberId, audience: "member" as const };
  if (viewer.kind === "staff") return { recipientKind: "STAFF" as const, id: viewer.staffId, audience: "staff" as const };
  throw new AppError("UNAUTHORIZED", "errors.unauthorized");
};

export async function getMyPreferences(db: Db, viewer: Viewer) {
  const who = audienceOf(viewer);
  const stored = await findPreference(db, who.recipientKind, who.id);
  const settings = stored ? parseSettings(stored.settings) : DEFAULT_SETTINGS;
  const profile = who.recipientKind === "STAFF" ? await findStaffNotificationProfile(db, who.id) : null;
  return {
    kinds: kindsFor(who.audience).map((kind) => ({ kind, ...channelsFor(settings, kind) })),
    watchCategoryIds: settings.watchCategoryIds,
    contact: profile ? { email: profile.email ?? "", mobile: profile.mobile ?? "", locale: profile.locale ?? "" } : null,
  };
}

const ZOptionalEmail = z.string().trim().max(200).pipe(z.email("errors.emailInvalid").or(z.literal("")));

export const ZSavePreferencesInput = z.object({
  kinds: z.array(z.object({ kind: z.string().refine(isNotificationKind, "errors.invalidField"), inApp: z.boolean(), email: z.boolean() })).max(50),
  watchCategoryIds: zIdList(500).nullable().default(null),
  /** Staff only: where their mails go, the mobile number robots @-mention, the mail language. */
  contact: z
    .object({
      email: ZOptionalEmail,
      mobile: z.string().trim().regex(/^(\+?\d{5,20})?$/, "errors.phoneInvalid"),
      locale: z.enum([...LOCALES, ""]),
    })
    .optional(),
});
export type SavePreferencesInput = z.infer<typeof ZSavePreferencesInput>;

export async function saveMyPreferences(db: Db, viewer: Viewer, input: SavePreferencesInput) {
  const who = audienceOf(viewer);
  const allowed = new Set<string>(kindsFor(who.audience));
  const kinds: Partial<Record<NotificationKind, { inApp: boolean; email: boolean }>> = {};
  for (const k of input.kinds) {
    if (!allowed.has(k.kind)) throw new AppError("VALIDATION", "notifications.errors.kindNotYours");
    kinds[k.kind as NotificationKind] = { inApp: k.inApp, email: k.email };
  }
  const settings: NotificationSettings = { kinds, watchCategoryIds: who.audience === "staff" ? input.watchCategoryIds : null };
  await upsertPreference(db, who.recipientKind, who.id, settings);
  if (who.recipientKind === "STAFF" && input.contact) {
    await updateStaffNotificationProfile(db, who.id, {
      email: input.contact.email || null,
      mobile: input.contact.mobile || null,
      locale: input.contact.locale || null,
    });
  }
  return getMyPreferences(db, viewer);
}

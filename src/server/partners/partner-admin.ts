import { randomBytes, randomInt } from "node:crypto";
import { z } from "zod";
import { ZId, zPageSize, zText } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import {
  findPartner,
  findPartnerCredentials,
  insertPartner,
  listPartnerDeliveries,
  listPartners,
  replacePartnerSecret,
  updatePartner,
  type PartnerRow,
} from "../db/repos/partners.ts";
import { ROTATION_GRACE_MS } from "../protocol/signature.ts";
import { generateSecret, getInstanceSecretBox, type SecretBox } from "../crypto/secret-box.ts";
import { AppError, isUniqueViolation, notFound } from "../errors.ts";
import { ZUpstreamTicketType } from "../protocol/schemas.ts";

// 下级合作商, managed by the super admin. A secret is returned once, when generated, and is
// otherwise only ever stored sealed (secret-box.ts) — never listed, never logged.

/** How long the previous secret keeps working after a rotation (protocol §4). */

const ZName = zText({ min: 1, required: "partners.errors.nameRequired", max: 64, tooLong: "partners.errors.nameTooLong" });
const ZCallbackUrl = z
  .string()
  .trim()
  .max(300, "partners.errors.callbackUrlInvalid")
  .pipe(z.url({ protocol: /^https?$/, message: "partners.errors.callbackUrlInvalid" }));
const ZAllowedTypes = z.array(ZUpstreamTicketType).min(1, "partners.errors.typesRequired").transform((t) => [...new Set(t)]);

export const ZCreatePartnerInput = z.object({
  name: ZName,
  /** The id the partner sends as X-Partner-Id; generated when left empty. */
  partnerId: z
    .string()
    .trim()
    // The protocol's id alphabet (URL-safe), within the column's 64 characters.
    .regex(/^[A-Za-z0-9._~-]{0,64}$/, "partners.errors.partnerIdInvalid")
    .optional(),
  callbackUrl: ZCallbackUrl,
  enabled: z.boolean().default(true),
  allowedTypes: ZAllowedTypes,
});

export const ZUpdatePartnerInput = z.object({
  id: ZId,
  name: ZName.optional(),
  callbackUrl: ZCallbackUrl.optional(),
  enabled: z.boolean().optional(),
  allowedTypes: ZAllowedTypes.optional(),
});

export const ZRotateSecretInput = z.object({
  id: ZId,
  /** After a leak: the old secret stops working at once (no grace period). */
  immediate: z.boolean().default(false),
});

export type PartnerView = PartnerRow & { rotationInProgress: boolean };
export type PartnerWithSecret = { partner: PartnerView; secret: string };

const view = (p: PartnerRow, now = new Date()): PartnerView => ({
  ...p,
  rotationInProgress: p.previousSecretExpiresAt !== null && p.previousSecretExpiresAt > now,
});

function duplicate(e: unknown): never {
  if (isUniqueViolation(e)) throw new AppError("CONFLICT", "partners.errors.duplicate");
  throw e;
}

export async function listPartnerAccounts(db: Db): Promise<PartnerView[]> {
  const now = new Date();
  return (await listPartners(db)).map((p) => view(p, now));
}

export async function createPartnerAccount(db: Db, input: z.infer<typeof ZCreatePartnerInput>, box?: SecretBox): Promise<PartnerWithSecret> {
  const sealer = box ?? (await getInstanceSecretBox());
  const secret = generateSecret();
  const partner = await insertPartner(db, {
    name: input.name,
    // Digits like the vendors' own partner numbers; 10 of them make a collision very unlikely.
    partnerId: input.partnerId || `p${randomInt(1e9, 1e10)}`,
    keyId: `k-${randomBytes(6).toString("hex")}`,
    secretEncrypted: sealer.seal(secret),
    callbackUrl: input.callbackUrl,
    enabled: input.enabled,
    allowedTypes: input.allowedTypes,
  }).catch(duplicate);
  return { partner: view(partner), secret };
}

export async function updatePartnerAccount(db: Db, input: z.infer<typeof ZUpdatePartnerInput>): Promise<PartnerView> {
  if (!(await findPartner(db, input.id))) throw notFound("partner");
  const { id, ...patch } = input;
  return view(await updatePartner(db, id, patch).catch(duplicate));
}

/**
 * A new secret (returned once). The old one stays valid for ROTATION_GRACE_DAYS unless
 * `immediate`; a rotation during a grace period drops the older previous secret.
 */
export async function rotatePartnerSecret(db: Db, input: z.infer<typeof ZRotateSecretInput>, box?: SecretBox, now = new Date()): Promise<PartnerWithSecret> {
  const sealer = box ?? (await getInstanceSecretBox());
  const current = await findPartnerCredentials(db, input.id);
  if (!current) throw notFound("partner");
  const secret = generateSecret();
  const partner = await replacePartnerSecret(db, input.id, {
    secretEncrypted: sealer.seal(secret),
    previousSecretEncrypted: input.immediate ? null : current.secretEncrypted,
    previousSecretExpiresAt: input.immediate ? null : new Date(now.getTime() + ROTATION_GRACE_MS),
  });
  return { partner: view(partner, now), secret };
}

export const ZDeliveriesInput = z.object({
  partnerId: ZId,
  limit: zPageSize(100, 20),
});

/** The partner page's delivery log: status, attempts and last error of its recent callbacks. */
export async function listDeliveriesForPartner(db: Db, input: z.infer<typeof ZDeliveriesInput>) {
  const rows = await listPartnerDeliveries(db, input.partnerId, input.limit);
  return rows.map(({ payload, ...row }) => ({
    ...row,
    eventId: typeof payload === "object" && payload !== null && "eventId" in payload ? String(payload.eventId) : null,
  }));
}

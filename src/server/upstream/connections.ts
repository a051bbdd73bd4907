// 上级资源: the super admin's upstream connections. The secret goes in once, sealed at rest
// (crypto/secret-box.ts), and never comes back out through any listing, answer or log line.
import { z } from "zod";
import { ZId, ZStorableString, zText } from "../schemas.ts";
import type { Db, DbOrTx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import {
  clearDefaultConnection,
  findConnectionWithSecret,
  findDefaultConnection,
  findServiceConnection,
  insertConnection,
  listConnections,
  updateConnection,
  type ConnectionWithSecret,
} from "../db/repos/upstream.ts";
import { AppError, isUniqueViolation, notFound } from "../errors.ts";
import { callbackPath, clientForConnection, type UpstreamDeps } from "./deps.ts";
import { createSecretBox } from "../crypto/secret-box.ts";
import { ROTATION_GRACE_MS } from "../protocol/signature.ts";
import { ProtocolCallError } from "../protocol/outbound-sender.ts";

const ZProtocolText = z.string().trim().min(1, "escalation.errors.required").max(64).regex(/^[A-Za-z0-9._~-]+$/, "escalation.errors.idChars");

export const ZConnectionInput = z.object({
  name: zText({ min: 1, required: "escalation.errors.required", max: 64 }),
  baseUrl: z
    .string()
    .trim()
    .max(300)
    .refine((v) => /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v) && URL.canParse(v), "escalation.errors.baseUrl"),
  partnerId: ZProtocolText,
  keyId: ZProtocolText,
  enabled: z.boolean().default(true),
  isDefault: z.boolean().default(false),
});
export const ZCreateConnectionInput = ZConnectionInput.extend({
  secret: ZStorableString.min(8, "escalation.errors.secretLength").max(200, "escalation.errors.secretLength"),
});
/** On edit an empty secret keeps the stored one: it is never shown, so the form cannot echo it. */
export const ZUpdateConnectionInput = ZConnectionInput.extend({
  id: ZId,
  secret: ZStorableString
    .max(200, "escalation.errors.secretLength")
    .refine((v) => v === "" || v.length >= 8, "escalation.errors.secretLength")
    .optional(),
});

export function listUpstreamConnections(db: Db, deps: Pick<UpstreamDeps, "publicUrl">, now = new Date()) {
  return listConnections(db).then((rows) =>
    rows.map(({ previousSecretExpiresAt, ...row }) => ({
      ...row,
      callbackUrl: deps.publicUrl + callbackPath(row.id),
      /** While a rotation's grace lasts: callbacks signed with the previous secret are still accepted. */
      rotationGraceUntil: previousSecretExpiresAt && previousSecretExpiresAt > now ? previousSecretExpiresAt : null,
    })),
  );
}

const nameTaken = () => new AppError("CONFLICT", "escalation.errors.nameTaken");

export async function createUpstreamConnection(db: Db, deps: Pick<UpstreamDeps, "authSecret">, input: z.infer<typeof ZCreateConnectionInput>) {
  const { secret, ...fields } = input;
  try {
    return await inTransaction(db, async (tx) => {
      if (fields.isDefault) await clearDefaultConnection(tx);
      return insertConnection(tx, { ...fields, baseUrl: trimSlash(fields.baseUrl), secretEncrypted: createSecretBox(deps.authSecret).seal(secret) });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken();
    throw e;
  }
}

/**
 * A new secret pasted after the upstream rotated (§4 step 3): the old one becomes previous and is
 * still accepted on callbacks for the grace period, since the upstream keeps signing with it.
 */
function rotatedSecret(box: ReturnType<typeof createSecretBox>, current: ConnectionWithSecret, secret: string, now: Date) {
  let same = false;
  try {
    same = box.open(current.secretEncrypted) === secret;
  } catch {
    // Unreadable (another AUTH_SECRET): nothing worth keeping as previous.
    return { secretEncrypted: box.seal(secret), previousSecretEncrypted: null, previousSecretExpiresAt: null };
  }
  if (same) return {};
  return { secretEncrypted: box.seal(secret), previousSecretEncrypted: current.secretEncrypted, previousSecretExpiresAt: new Date(now.getTime() + ROTATION_GRACE_MS) };
}

export async function updateUpstreamConnection(db: Db, deps: Pick<UpstreamDeps, "authSecret">, input: z.infer<typeof ZUpdateConnectionInput>, now = new Date()) {
  const { id, secret, ...fields } = input;
  try {
    return await inTransaction(db, async (tx) => {
      const current = await findConnectionWithSecret(tx, id);
      if (!current) throw notFound("upstream");
      if (fields.isDefault) await clearDefaultConnection(tx, id);
      return updateConnection(tx, id, {
        ...fields,
        baseUrl: trimSlash(fields.baseUrl),
        ...(secret ? rotatedSecret(createSecretBox(deps.authSecret), current, secret, now) : {}),
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken();
    throw e;
  }
}

/** 测试连接: a signed GET of the changed-tickets list with limit 1 — proves URL, ids and secret at once. */
export async function testUpstreamConnection(db: Db, deps: UpstreamDeps, id: number): Promise<{ ok: true } | { ok: false; error: string }> {
  const connection = await findConnectionWithSecret(db, id);
  if (!connection) throw notFound("upstream");
  try {
    await clientForConnection(deps, connection).listChanged({ limit: 1 });
    return { ok: true };
  } catch (e) {
    if (e instanceof ProtocolCallError) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * The upstream a ticket goes to: the one that owns the member's service (业务所属的上级); tickets
 * with no business (备案, 商标, 其他), or a service nobody recorded an owner for, go to the default.
 */
export async function resolveConnectionForTicket(db: DbOrTx, ticket: { memberId: number | null; businessId: string | null }) {
  const owned =
    ticket.memberId !== null && ticket.businessId ? (await findServiceConnection(db, ticket.memberId, ticket.businessId))?.upstreamConnection : null;
  const connection = owned ?? (await findDefaultConnection(db));
  if (!connection) throw new AppError("RULE_VIOLATION", "escalation.errors.noUpstream");
  if (!connection.enabled) throw new AppError("RULE_VIOLATION", "escalation.errors.upstreamDisabled", { params: { name: connection.name } });
  return connection;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

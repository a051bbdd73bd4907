// 上级资源: the super admin's upstream connections. The secret goes in once, sealed at rest
// (secret-box.ts), and never comes back out through any listing, answer or log line.
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
} from "../db/repos/upstream.ts";
import { AppError, isUniqueViolation, notFound } from "../errors.ts";
import { callbackPath, clientForConnection, type UpstreamDeps } from "./deps.ts";
import { encryptSecret } from "./secret-box.ts";
import { UpstreamCallError } from "./client.ts";

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

export function listUpstreamConnections(db: Db, deps: Pick<UpstreamDeps, "publicUrl">) {
  return listConnections(db).then((rows) => rows.map((row) => ({ ...row, callbackUrl: deps.publicUrl + callbackPath(row.id) })));
}

const nameTaken = () => new AppError("CONFLICT", "escalation.errors.nameTaken");

export async function createUpstreamConnection(db: Db, deps: Pick<UpstreamDeps, "authSecret">, input: z.infer<typeof ZCreateConnectionInput>) {
  const { secret, ...fields } = input;
  try {
    return await inTransaction(db, async (tx) => {
      if (fields.isDefault) await clearDefaultConnection(tx);
      return insertConnection(tx, { ...fields, baseUrl: trimSlash(fields.baseUrl), secretEncrypted: encryptSecret(deps.authSecret, secret) });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken();
    throw e;
  }
}

export async function updateUpstreamConnection(db: Db, deps: Pick<UpstreamDeps, "authSecret">, input: z.infer<typeof ZUpdateConnectionInput>) {
  const { id, secret, ...fields } = input;
  try {
    return await inTransaction(db, async (tx) => {
      if (!(await findConnectionWithSecret(tx, id))) throw notFound("upstream");
      if (fields.isDefault) await clearDefaultConnection(tx, id);
      return updateConnection(tx, id, {
        ...fields,
        baseUrl: trimSlash(fields.baseUrl),
        ...(secret ? { secretEncrypted: encryptSecret(deps.authSecret, secret) } : {}),
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
    if (e instanceof UpstreamCallError) return { ok: false, error: e.message };
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

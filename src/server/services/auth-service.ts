import { z } from "zod";
import type { Db } from "../db/client.ts";
import { createMember, findMemberForLogin, findMemberSessionState } from "../db/repos/members.ts";
import { findStaffForLogin, findStaffSessionState } from "../db/repos/staff.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { hashPassword, verifyPasswordOrDecoy } from "../auth/password.ts";
import { logger } from "../logger.ts";
import type { RateLimits } from "../rate-limits.ts";
import { isStorableText, ZStorableString, zText } from "../schemas.ts";
import type { Viewer } from "../viewer.ts";

/** What a session token carries; checked against the database on every request. */
export type SessionClaims =
  | { kind: "member"; id: number; sessionVersion: number }
  | { kind: "staff"; id: number; sessionVersion: number };

export type LoginResult =
  | { ok: true; claims: SessionClaims; name: string }
  | { ok: false; error: LoginErrorCode; retryAfterSeconds?: number };
export type LoginErrorCode = "INVALID_CREDENTIALS" | "RATE_LIMITED" | "DISABLED";
export type LoginInput = { login: string; password: string; address: string };

type Account = { id: number; passwordHash: string; disabled: boolean; name: string; sessionVersion: number };

// Longer than any login or password we accept: refused without a lookup or a hash.
const MAX_LOGIN = 200;
const MAX_PASSWORD = 128;

/**
 * One sign-in for both doors. The throttle is keyed by the account the login resolves to (every
 * spelling of it: 1100001, 01100001, the e-mail) and by the client address; a login that names
 * no account is throttled under its own spelling, so missing and existing accounts behave alike.
 * Both paths cost one scrypt (no timing hint), and failures and waits are logged — never the
 * password.
 */
async function signIn(
  limits: RateLimits,
  kind: "member" | "staff",
  input: LoginInput,
  normalized: string,
  find: () => Promise<Account | null>,
): Promise<LoginResult> {
  const wellFormed = input.login.length <= MAX_LOGIN && input.password.length <= MAX_PASSWORD && isStorableText(input.login);
  const account = wellFormed && normalized !== "" ? await find() : null;
  const attempt = { accountKey: account ? `${kind}:${account.id}` : `unknown-${kind}:${normalized.slice(0, MAX_LOGIN)}`, address: input.address };
  const gate = await limits.login.gate(attempt);
  if (!gate.ok) {
    logger.warn({ kind, account: attempt.accountKey, address: attempt.address, scope: gate.scope, retryAfterSeconds: gate.retryAfterSeconds }, "sign-in held back (too many wrong passwords)");
    return { ok: false, error: "RATE_LIMITED", retryAfterSeconds: gate.retryAfterSeconds };
  }
  const passwordOk = await verifyPasswordOrDecoy(input.password.slice(0, MAX_PASSWORD), account?.passwordHash);
  if (!account || !passwordOk || !wellFormed) {
    const failure = await limits.login.fail(attempt);
    logger.warn({ kind, account: attempt.accountKey, address: attempt.address, knownAddress: gate.knownAddress, ...failure }, "sign-in failed");
    return { ok: false, error: "INVALID_CREDENTIALS" };
  }
  await limits.login.succeed(attempt);
  if (account.disabled) return { ok: false, error: "DISABLED" };
  return { ok: true, claims: { kind, id: account.id, sessionVersion: account.sessionVersion }, name: account.name };
}

export function loginMember(db: Db, limits: RateLimits, input: LoginInput): Promise<LoginResult> {
  const login = input.login.trim();
  // 会员ID with or without leading zeros, or the e-mail in any case: one account, one bucket.
  const normalized = /^\d+$/.test(login) ? login.replace(/^0+(?=\d)/, "") : login.toLowerCase();
  return signIn(limits, "member", input, normalized, () => findMemberForLogin(db, login));
}

export function loginStaff(db: Db, limits: RateLimits, input: LoginInput): Promise<LoginResult> {
  const login = input.login.trim();
  return signIn(limits, "staff", input, login, async () => {
    const staff = await findStaffForLogin(db, login);
    return staff && { ...staff, name: staff.displayName };
  });
}

/** A session is only as good as the account behind it right now. */
export async function resolveViewer(db: Db, claims: SessionClaims | null | undefined): Promise<Viewer> {
  if (!claims) return { kind: "anonymous" };
  if (claims.kind === "member") {
    const m = await findMemberSessionState(db, claims.id);
    if (!m || m.disabled || m.sessionVersion !== claims.sessionVersion) return { kind: "anonymous" };
    return { kind: "member", memberId: m.id, name: m.name };
  }
  const s = await findStaffSessionState(db, claims.id);
  if (!s || s.disabled || s.sessionVersion !== claims.sessionVersion) return { kind: "anonymous" };
  return { kind: "staff", staffId: s.id, name: s.displayName, role: s.role };
}

export const ZPassword = ZStorableString.min(8, "errors.passwordTooShort").max(128, "errors.passwordTooLong");
export const ZRegisterMemberInput = z.object({
  name: zText({ min: 1, max: 100 }),
  email: z.email("errors.emailInvalid").max(200, "errors.emailInvalid"),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,40}$/).optional().or(z.literal("")),
  qq: z.string().trim().regex(/^\d{5,12}$/).optional().or(z.literal("")),
  password: ZPassword,
});
export type RegisterMemberInput = z.infer<typeof ZRegisterMemberInput>;

/** 注册: limited per client address, counted before any work (a refused attempt stores nothing). */
export async function registerMember(db: Db, limits: RateLimits, address: string, input: RegisterMemberInput) {
  const allowance = await limits.take("register", address);
  if (!allowance.ok) {
    logger.warn({ address }, "registration held back (too many from this address)");
    throw new AppError("RATE_LIMITED", "errors.tooManyRegistrations", { params: { minutes: Math.ceil(allowance.retryAfterSeconds / 60) } });
  }
  try {
    return await createMember(db, {
      name: input.name,
      email: input.email,
      phone: input.phone || null,
      qq: input.qq || null,
      passwordHash: await hashPassword(input.password),
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "errors.emailTaken");
    throw e;
  }
}

import { z } from "zod";
import type { Db } from "../db/client.ts";
import { createMember, findMemberById, findMemberForLogin } from "../db/repos/members.ts";
import { findStaffForLogin, findStaffSessionState } from "../db/repos/staff.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { RateLimiter } from "../rate-limit.ts";
import type { Viewer } from "../viewer.ts";

// 5 wrong passwords per account (and 20 per address) in 15 minutes, then wait.
const failuresByAccount = new RateLimiter(5, 15 * 60_000);
const failuresByAddress = new RateLimiter(20, 15 * 60_000);

/** What a session token carries; checked against the database on every request. */
export type SessionClaims =
  | { kind: "member"; id: number }
  | { kind: "staff"; id: number; sessionVersion: number };

export type LoginResult = { ok: true; claims: SessionClaims; name: string } | { ok: false; error: LoginErrorCode };
export type LoginErrorCode = "INVALID_CREDENTIALS" | "RATE_LIMITED" | "DISABLED";

async function guarded(
  key: string,
  address: string,
  attempt: () => Promise<LoginResult>,
): Promise<LoginResult> {
  if (failuresByAccount.isBlocked(key) || failuresByAddress.isBlocked(address)) {
    return { ok: false, error: "RATE_LIMITED" };
  }
  const result = await attempt();
  if (!result.ok && result.error === "INVALID_CREDENTIALS") {
    failuresByAccount.take(key);
    failuresByAddress.take(address);
  } else if (result.ok) {
    failuresByAccount.reset(key);
  }
  return result;
}

export function loginMember(db: Db, login: string, password: string, address = "?"): Promise<LoginResult> {
  const key = `member:${login.trim().toLowerCase()}`;
  return guarded(key, address, async () => {
    const member = await findMemberForLogin(db, login.trim());
    if (!member || !(await verifyPassword(password, member.passwordHash))) {
      return { ok: false, error: "INVALID_CREDENTIALS" };
    }
    if (member.disabled) return { ok: false, error: "DISABLED" };
    return { ok: true, claims: { kind: "member", id: member.id }, name: member.name };
  });
}

export function loginStaff(db: Db, loginName: string, password: string, address = "?"): Promise<LoginResult> {
  const key = `staff:${loginName.trim()}`;
  return guarded(key, address, async () => {
    const staff = await findStaffForLogin(db, loginName.trim());
    if (!staff || !(await verifyPassword(password, staff.passwordHash))) {
      return { ok: false, error: "INVALID_CREDENTIALS" };
    }
    if (staff.disabled) return { ok: false, error: "DISABLED" };
    return {
      ok: true,
      claims: { kind: "staff", id: staff.id, sessionVersion: staff.sessionVersion },
      name: staff.displayName,
    };
  });
}

/** A session is only as good as the account behind it right now. */
export async function resolveViewer(db: Db, claims: SessionClaims | null | undefined): Promise<Viewer> {
  if (!claims) return { kind: "anonymous" };
  if (claims.kind === "member") {
    const m = await findMemberById(db, claims.id);
    return m && !m.disabled ? { kind: "member", memberId: m.id, name: m.name } : { kind: "anonymous" };
  }
  const s = await findStaffSessionState(db, claims.id);
  if (!s || s.disabled || s.sessionVersion !== claims.sessionVersion) return { kind: "anonymous" };
  return { kind: "staff", staffId: s.id, name: s.displayName, role: s.role };
}

export const ZPassword = z.string().min(8, "errors.passwordTooShort").max(128);
export const ZRegisterMemberInput = z.object({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(200),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,40}$/).optional().or(z.literal("")),
  qq: z.string().trim().regex(/^\d{5,12}$/).optional().or(z.literal("")),
  password: ZPassword,
});
export type RegisterMemberInput = z.infer<typeof ZRegisterMemberInput>;

export async function registerMember(db: Db, input: RegisterMemberInput) {
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

import { z } from "zod";
import { ZStorableString, zText } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import { endMemberSessions, findMemberById, findMemberPasswordHash, listMemberServices, updateMember } from "../db/repos/members.ts";
import { createStaff, endStaffSessions, listStaff, updateStaff } from "../db/repos/staff.ts";
import { AppError, isUniqueViolation, notFound } from "../errors.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { ZPassword } from "./auth-service.ts";
import { logger } from "../logger.ts";
import type { RateLimits } from "../rate-limits.ts";
import type { MemberViewer, StaffViewer, Viewer } from "../viewer.ts";

export const ZUpdateProfileInput = z.object({
  name: zText({ min: 1, max: 100 }),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,40}$/, "errors.phoneInvalid").or(z.literal("")),
  qq: z.string().trim().regex(/^\d{5,12}$/, "errors.qqInvalid").or(z.literal("")),
});

export async function getMemberProfile(db: Db, viewer: MemberViewer) {
  const member = await findMemberById(db, viewer.memberId);
  if (!member) throw notFound("member");
  return { ...member, services: await listMemberServices(db, viewer.memberId) };
}

export function updateMemberProfile(db: Db, viewer: MemberViewer, input: z.infer<typeof ZUpdateProfileInput>) {
  return updateMember(db, viewer.memberId, { name: input.name, phone: input.phone || null, qq: input.qq || null });
}

export const ZChangePasswordInput = z.object({ current: ZStorableString.min(1, "errors.required").max(128, "errors.textTooLong"), next: ZPassword });

/**
 * 修改密码: limited per member (a stolen session cannot guess the current password), and the
 * change ends every session of the account — the browser that made it signs in again with the
 * new password.
 */
export async function changeMemberPassword(db: Db, limits: RateLimits, viewer: MemberViewer, input: z.infer<typeof ZChangePasswordInput>) {
  const allowance = await limits.take("changePassword", `member:${viewer.memberId}`);
  if (!allowance.ok) {
    logger.warn({ memberId: viewer.memberId }, "password change held back (too many attempts)");
    throw new AppError("RATE_LIMITED", "errors.tooManyPasswordChanges", { params: { minutes: Math.ceil(allowance.retryAfterSeconds / 60) } });
  }
  const row = await findMemberPasswordHash(db, viewer.memberId);
  if (!row || !(await verifyPassword(input.current, row.passwordHash))) {
    logger.warn({ memberId: viewer.memberId }, "password change with a wrong current password");
    throw new AppError("VALIDATION", "errors.wrongCurrentPassword");
  }
  await updateMember(db, viewer.memberId, { passwordHash: await hashPassword(input.next), endSessions: true });
}

/** 退出登录: ends every session of the signed-in account, here and on every other device. */
export async function endAllSessions(db: Db, viewer: Viewer): Promise<void> {
  if (viewer.kind === "member") await endMemberSessions(db, viewer.memberId);
  else if (viewer.kind === "staff") await endStaffSessions(db, viewer.staffId);
}

// --- staff accounts (super admin) ---

export const ZCreateStaffInput = z.object({
  loginName: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,64}$/, "errors.loginNameInvalid"),
  displayName: zText({ min: 1, max: 64 }),
  role: z.enum(["SUPER_ADMIN", "STAFF"]).default("STAFF"),
  password: ZPassword,
});

export const ZAdministratorInput = ZCreateStaffInput.omit({ role: true });

/**
 * 超级管理员 from the command line (npm run admin:create): the way into a new production
 * database, which has no staff account to sign in with. Only someone with a shell on the server
 * can run it; the password never passes through the web.
 */
export function createAdministrator(db: Db, input: z.input<typeof ZAdministratorInput>) {
  return createStaffAccount(db, { ...ZAdministratorInput.parse(input), role: "SUPER_ADMIN" });
}

export function listStaffAccounts(db: Db) {
  return listStaff(db);
}

export async function createStaffAccount(db: Db, input: z.infer<typeof ZCreateStaffInput>) {
  try {
    const { password, ...account } = input;
    return await createStaff(db, { ...account, passwordHash: await hashPassword(password) });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "errors.loginNameTaken");
    throw e;
  }
}

export async function setStaffDisabled(db: Db, viewer: StaffViewer, staffId: number, disabled: boolean) {
  if (staffId === viewer.staffId && disabled) throw new AppError("VALIDATION", "errors.cannotDisableSelf");
  return updateStaffOrNotFound(db, staffId, { disabled, endSessions: disabled });
}

export async function resetStaffPassword(db: Db, staffId: number, password: string) {
  return updateStaffOrNotFound(db, staffId, { passwordHash: await hashPassword(password), endSessions: true });
}

async function updateStaffOrNotFound(db: Db, staffId: number, data: Parameters<typeof updateStaff>[2]) {
  try {
    return await updateStaff(db, staffId, data);
  } catch (e) {
    if ((e as { code?: string }).code === "P2025") throw notFound("staff");
    throw e;
  }
}

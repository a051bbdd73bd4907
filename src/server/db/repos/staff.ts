import type { StaffRole } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";

export const staffPublicSelect = {
  id: true,
  loginName: true,
  displayName: true,
  role: true,
  disabled: true,
  createdAt: true,
} as const;

export function findStaffForLogin(db: DbOrTx, loginName: string) {
  return db.staff.findUnique({
    where: { loginName },
    select: { id: true, passwordHash: true, disabled: true, role: true, sessionVersion: true, displayName: true },
  });
}

export function findStaffSessionState(db: DbOrTx, id: number) {
  return db.staff.findUnique({
    where: { id },
    select: { id: true, disabled: true, role: true, sessionVersion: true, displayName: true },
  });
}

export function listStaff(db: DbOrTx) {
  return db.staff.findMany({ orderBy: { id: "asc" }, select: staffPublicSelect });
}

export function createStaff(
  db: DbOrTx,
  data: { loginName: string; displayName: string; role: StaffRole; passwordHash: string },
) {
  return db.staff.create({ data, select: staffPublicSelect });
}

/** Disabling or resetting a password bumps sessionVersion, which ends existing sessions. */
export function updateStaff(
  db: DbOrTx,
  id: number,
  data: { displayName?: string; disabled?: boolean; passwordHash?: string; endSessions?: boolean },
) {
  const { endSessions, ...rest } = data;
  return db.staff.update({
    where: { id },
    data: { ...rest, ...(endSessions ? { sessionVersion: { increment: 1 } } : {}) },
    select: staffPublicSelect,
  });
}

/** Sign-out everywhere for a staff member. */
export async function endStaffSessions(db: DbOrTx, id: number) {
  await db.staff.updateMany({ where: { id }, data: { sessionVersion: { increment: 1 } } });
}

export function countStaff(db: DbOrTx) {
  return db.staff.count();
}

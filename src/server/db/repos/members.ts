import type { DbOrTx } from "../client.ts";

export const memberPublicSelect = {
  id: true,
  name: true,
  email: true,
  phone: true,
  qq: true,
  locale: true,
  disabled: true,
  createdAt: true,
} as const;

/** Members sign in with their e-mail or their member ID (会员ID). */
export function findMemberForLogin(db: DbOrTx, login: string) {
  const asId = /^\d{7,10}$/.test(login) ? Number(login) : undefined;
  return db.member.findFirst({
    where: asId ? { OR: [{ id: asId }, { email: login.toLowerCase() }] } : { email: login.toLowerCase() },
    select: { id: true, passwordHash: true, disabled: true, name: true, sessionVersion: true },
  });
}

/** What every request re-checks: the account still exists, is enabled, and the session is current. */
export function findMemberSessionState(db: DbOrTx, id: number) {
  return db.member.findUnique({ where: { id }, select: { id: true, name: true, disabled: true, sessionVersion: true } });
}

export function findMemberById(db: DbOrTx, id: number) {
  return db.member.findUnique({ where: { id }, select: memberPublicSelect });
}

export function createMember(
  db: DbOrTx,
  data: { name: string; email: string; phone?: string | null; qq?: string | null; passwordHash: string },
) {
  return db.member.create({ data: { ...data, email: data.email.toLowerCase() }, select: memberPublicSelect });
}

export function updateMember(
  db: DbOrTx,
  id: number,
  data: { name?: string; phone?: string | null; qq?: string | null; locale?: string | null; passwordHash?: string; endSessions?: boolean },
) {
  const { endSessions, ...rest } = data;
  return db.member.update({
    where: { id },
    data: { ...rest, ...(endSessions ? { sessionVersion: { increment: 1 } } : {}) },
    select: memberPublicSelect,
  });
}

/** Sign-out everywhere: every token carrying the old session version stops working. */
export async function endMemberSessions(db: DbOrTx, id: number) {
  await db.member.updateMany({ where: { id }, data: { sessionVersion: { increment: 1 } } });
}

export function findMemberPasswordHash(db: DbOrTx, id: number) {
  return db.member.findUnique({ where: { id }, select: { passwordHash: true } });
}

export function listMemberServices(db: DbOrTx, memberId: number) {
  return db.memberService.findMany({
    where: { memberId },
    orderBy: { id: "asc" },
    select: { id: true, businessId: true, ip: true, type: true, upstreamConnectionId: true },
  });
}

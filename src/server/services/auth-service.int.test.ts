import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asAnonymous, asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { DEMO_ACCOUNTS, seedDemoData } from "@/server/db/seed-demo";
import { rateLimitsFor } from "@/server/rate-limits";
import { loginMember, loginStaff, resolveViewer } from "./auth-service";

const limits = () => rateLimitsFor(t.prisma);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(() => t.close());

describe(`accounts (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("demo data mirrors the manual: 超级管理员 is staff 1, the first member is 1100001", async () => {
    const admin = await t.prisma.staff.findUniqueOrThrow({ where: { id: 1 } });
    expect(admin.displayName).toBe("超级管理员");
    expect(admin.role).toBe("SUPER_ADMIN");
    expect(await t.prisma.member.findUnique({ where: { id: 1100001 } })).not.toBeNull();
    expect(admin.passwordHash).not.toContain(DEMO_ACCOUNTS.superAdmin.password);
    expect(admin.passwordHash.startsWith("scrypt$")).toBe(true);
  });

  it("members sign in with member ID or e-mail; a wrong password is refused", async () => {
    expect((await loginMember(t.prisma, limits(), { login: "1100001", password: "member123456", address: "192.0.2.1" })).ok).toBe(true);
    expect((await loginMember(t.prisma, limits(), { login: "member@demo.relaydesk", password: "member123456", address: "192.0.2.1" })).ok).toBe(true);
    expect(await loginMember(t.prisma, limits(), { login: "1100001", password: "wrong-password", address: "192.0.2.1" })).toEqual({ ok: false, error: "INVALID_CREDENTIALS" });
  });

  it("procedures declare who may call them: a member or anonymous caller cannot list staff", async () => {
    await expect(asMember(t.prisma).staff.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asAnonymous(t.prisma).staff.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(asStaff(t.prisma).staff.create({ loginName: "x1", displayName: "X", role: "STAFF", password: "12345678" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "仅超级管理员可以执行此操作",
    });
    await expect(asAnonymous(t.prisma).account.profile()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "请先登录" });
  });

  it("the super admin creates and disables staff; a disabled staff member's session stops working", async () => {
    const created = await asSuperAdmin(t.prisma).staff.create({ loginName: "zhao", displayName: "客服小赵", role: "STAFF", password: "zhao-pass-1" });
    const login = await loginStaff(t.prisma, limits(), { login: "zhao", password: "zhao-pass-1", address: "192.0.2.1" });
    if (!login.ok) throw new Error("login failed");
    expect(await resolveViewer(t.prisma, login.claims)).toMatchObject({ kind: "staff", staffId: created.id });
    await asSuperAdmin(t.prisma).staff.setDisabled({ staffId: created.id, disabled: true });
    expect(await resolveViewer(t.prisma, login.claims)).toEqual({ kind: "anonymous" });
    expect(await loginStaff(t.prisma, limits(), { login: "zhao", password: "zhao-pass-1", address: "192.0.2.1" })).toEqual({ ok: false, error: "DISABLED" });
  });

  it("a password reset ends existing sessions", async () => {
    const login = await loginStaff(t.prisma, limits(), { login: "admin", password: "admin123456", address: "192.0.2.1" });
    if (!login.ok) throw new Error("login failed");
    const kefu = await loginStaff(t.prisma, limits(), { login: "kefu", password: "kefu123456", address: "10.1.1.1" }).catch(() => null);
    expect(kefu).not.toBeNull();
    const created = await asSuperAdmin(t.prisma).staff.create({ loginName: "qian", displayName: "客服小钱", role: "STAFF", password: "qian-pass-1" });
    const q = await loginStaff(t.prisma, limits(), { login: "qian", password: "qian-pass-1", address: "192.0.2.1" });
    if (!q.ok) throw new Error("login failed");
    await asSuperAdmin(t.prisma).staff.resetPassword({ staffId: created.id, password: "qian-pass-2" });
    expect(await resolveViewer(t.prisma, q.claims)).toEqual({ kind: "anonymous" });
  });

  it("registration validates input with a clear message and saves nothing on error", async () => {
    const before = await t.prisma.member.count();
    await expect(
      asAnonymous(t.prisma).account.register({ name: "王五", email: "member@demo.relaydesk", password: "12345678" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "该邮箱已注册" });
    await expect(asAnonymous(t.prisma).account.register({ name: "王五", email: "wang@x.cn", password: "123" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await t.prisma.member.count()).toBe(before);
    const m = await asAnonymous(t.prisma).account.register({ name: "王五", email: "wang@x.cn", password: "12345678", qq: "123456" });
    expect(m.id).toBeGreaterThan(1100001);
  });
});

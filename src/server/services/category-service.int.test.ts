import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asAnonymous, asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import { getBlobStore } from "@/server/storage";
import { categoryOpenForNewTickets } from "./category-service";
import { readCategoryIcon, storeCategoryIcon, uploadAttachment } from "./file-service";

const kefuViewer = { kind: "staff", staffId: 2, name: "客服小王", role: "STAFF" } as const;

// The router's file store lives under RELAYDESK_DATA_DIR; keep it out of the work tree.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-cat-"));
process.env.RELAYDESK_DATA_DIR = dataDir;

const ONE_PER_TYPE_REASON = "业务技术工单和商务工单分别只能存在一个分类";
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let t: TestDatabase;
let groupId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  groupId = (await t.prisma.categoryGroup.findFirstOrThrow({ where: { name: "技术支持" } })).id;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const input = (over: Partial<Parameters<ReturnType<typeof asStaff>["categories"]["create"]>[0]> = {}) => ({
  name: "域名问题",
  description: "域名解析、过户等",
  groupId,
  type: "OTHER" as const,
  submitToApi: true,
  iconKey: null,
  sortOrder: 10,
  enabled: true,
  ...over,
});

describe(`categories (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("R10: required fields are refused with a clear message per field, and nothing is saved", async () => {
    const before = await t.prisma.category.count();
    const error = await asStaff(t.prisma)
      .categories.create({ ...input({ name: " ", description: "", sortOrder: -1 }), groupId: null })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { name: "请填写分类名称", description: "请填写分类介绍", groupId: "请选择所属分组", sortOrder: "排序必须是不小于 0 的整数" },
    });
    await expect(asStaff(t.prisma).categories.create(input({ groupId: 999_999 }))).rejects.toMatchObject({ message: "请选择所属分组" });
    expect(await t.prisma.category.count()).toBe(before);
  });

  it("R10: a NORMAL category can never have submit-to-API on", async () => {
    await expect(asStaff(t.prisma).categories.create(input({ type: "NORMAL", submitToApi: true }))).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "普通类型工单不能提交到API",
      cause: { rule: "R10" },
    });
  });

  it("R10: a second BUSINESS_TECH category is refused, also under concurrent creation", async () => {
    const staff = asStaff(t.prisma);
    await expect(staff.categories.create(input({ type: "BUSINESS_TECH" }))).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(ONE_PER_TYPE_REASON),
      cause: { rule: "R10", code: "RULE_VIOLATION" },
    });
    // Free the type (the demo's 业务资源问题 becomes NORMAL), then race two creations for it.
    const existing = await t.prisma.category.findFirstOrThrow({ where: { type: "BUSINESS_TECH" } });
    await staff.categories.update({ ...input({ name: existing.name, description: existing.description, groupId: existing.groupId, type: "NORMAL", submitToApi: false }), id: existing.id });
    const results = await Promise.allSettled([
      staff.categories.create(input({ name: "业务技术A", type: "BUSINESS_TECH" })),
      asSuperAdmin(t.prisma).categories.create(input({ name: "业务技术B", type: "BUSINESS_TECH" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(lost?.reason).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining(ONE_PER_TYPE_REASON) });
    expect(await t.prisma.category.count({ where: { type: "BUSINESS_TECH" } })).toBe(1);
    // Whichever way the race went, the database itself refuses a second one (the backstop).
    await expect(
      t.prisma.category.create({ data: { name: "绕过检查", description: "x", groupId, type: "BUSINESS_TECH", sortOrder: 1 } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("R10: a second TRADEMARK category is refused, also when editing another category into one", async () => {
    const staff = asStaff(t.prisma);
    await expect(staff.categories.create(input({ type: "TRADEMARK" }))).rejects.toMatchObject({ message: expect.stringContaining("已存在商标工单分类") });
    const filing = await t.prisma.category.findFirstOrThrow({ where: { type: "ICP_FILING" } });
    await expect(
      staff.categories.update({ ...input({ name: filing.name, description: filing.description, type: "TRADEMARK" }), id: filing.id }),
    ).rejects.toMatchObject({ message: expect.stringContaining(ONE_PER_TYPE_REASON) });
    // Editing the trademark category itself does not collide with itself.
    const mark = await t.prisma.category.findFirstOrThrow({ where: { type: "TRADEMARK" } });
    await staff.categories.update({ ...input({ name: "商标类问题", description: "商标注册、续展与查询", groupId: mark.groupId, type: "TRADEMARK" }), id: mark.id });
    expect((await t.prisma.category.findUniqueOrThrow({ where: { id: mark.id } })).description).toBe("商标注册、续展与查询");
  });

  it("icons publish only icon uploads: a member's attachment (any other stored file) can never become a public category icon", async () => {
    const store = getBlobStore();
    const secret = new Uint8Array([...PNG, 1, 2, 3, 4]); // a member's private screenshot
    const attachment = await uploadAttachment(t.prisma, store, { kind: "member", memberId: 1100001, name: "张三" }, { fileName: "私密.png", bytes: secret });
    const stored = await t.prisma.attachment.findUniqueOrThrow({ where: { id: attachment.id } });
    const staff = asStaff(t.prisma);
    await expect(staff.categories.create(input({ name: "偷发布", iconKey: stored.storageKey }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "ICON图标不存在，请重新上传",
    });
    const existing = (await staff.categories.list())[0]!;
    // Even set behind the service's back, the icon route serves only icon uploads.
    await t.prisma.category.update({ where: { id: existing.id }, data: { iconKey: stored.storageKey } });
    await expect(readCategoryIcon(t.prisma, store, stored.storageKey)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await t.prisma.category.update({ where: { id: existing.id }, data: { iconKey: existing.iconKey } });
  });

  it("lists categories in 排序 order with group, type, [API] flag and icon; icons must be uploaded first", async () => {
    const staff = asStaff(t.prisma);
    await expect(staff.categories.create(input({ name: "带图标", iconKey: "a".repeat(64) }))).rejects.toMatchObject({ message: "ICON图标不存在，请重新上传" });
    const { iconKey } = await storeCategoryIcon(t.prisma, getBlobStore(), kefuViewer, { fileName: "icon.png", bytes: PNG });
    const created = await staff.categories.create(input({ name: "带图标", iconKey, sortOrder: 0 }));
    const list = await staff.categories.list();
    expect(list.map((c) => c.sortOrder)).toEqual([...list.map((c) => c.sortOrder)].sort((a, b) => a - b));
    expect(list[0]).toMatchObject({ id: created.id, isApi: true, iconUrl: `/api/files/icons/${iconKey}`, group: { name: "技术支持" } });
    expect(list.find((c) => c.name === "财务与发票")).toMatchObject({ isApi: false, type: "NORMAL" });
  });

  it("R10: a disabled category or group is hidden from members filing tickets but keeps its tickets", async () => {
    const member = asMember(t.prisma);
    const names = async () => (await member.categories.listForNewTicket()).groups.flatMap((g) => g.categories.map((c) => c.name));
    expect(await names()).toContain("备案类问题");
    const filing = await t.prisma.category.findFirstOrThrow({ where: { name: "备案类问题" }, include: { _count: { select: { tickets: true } } } });
    expect(filing._count.tickets).toBeGreaterThan(0);

    await asStaff(t.prisma).categories.setEnabled({ id: filing.id, enabled: false });
    expect(await names()).not.toContain("备案类问题");
    expect(await t.prisma.ticket.count({ where: { categoryId: filing.id } })).toBe(filing._count.tickets);
    await asStaff(t.prisma).categories.setEnabled({ id: filing.id, enabled: true });

    await asStaff(t.prisma).categories.groups.update({ id: filing.groupId, enabled: false });
    const picker = await member.categories.listForNewTicket();
    expect(picker.groups.map((g) => g.id)).not.toContain(filing.groupId);
    await asStaff(t.prisma).categories.groups.update({ id: filing.groupId, enabled: true });

    const shape = (await member.categories.listForNewTicket()).groups[0]!;
    expect(shape).toEqual({ id: expect.any(Number), name: expect.any(String), categories: expect.any(Array) });
    expect(Object.keys(shape.categories[0]!).sort()).toEqual(["description", "iconUrl", "id", "isBusinessTech", "name", "type"]);
  });

  it("R10: a disabled category cannot receive new tickets (categoryOpenForNewTickets)", async () => {
    const cat = await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } });
    await expect(categoryOpenForNewTickets(t.prisma, cat.id)).resolves.toMatchObject({ id: cat.id, name: cat.name });
    await asStaff(t.prisma).categories.setEnabled({ id: cat.id, enabled: false });
    await expect(categoryOpenForNewTickets(t.prisma, cat.id)).rejects.toMatchObject({
      code: "RULE_VIOLATION",
      rule: "R10",
      messageKey: "categories.errors.categoryClosed",
    });
    await asStaff(t.prisma).categories.setEnabled({ id: cat.id, enabled: true });
    await asStaff(t.prisma).categories.groups.update({ id: cat.groupId, enabled: false });
    await expect(categoryOpenForNewTickets(t.prisma, cat.id)).rejects.toMatchObject({ rule: "R10" });
    await asStaff(t.prisma).categories.groups.update({ id: cat.groupId, enabled: true });
    await expect(categoryOpenForNewTickets(t.prisma, 999_999)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("only staff may manage categories: a member calling the procedures gets FORBIDDEN", async () => {
    const member = asMember(t.prisma);
    await expect(member.categories.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.categories.create(input({ name: "会员建的" }))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.categories.setEnabled({ id: 1, enabled: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.categories.delete({ id: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.categories.groups.create({ name: "会员分组", sortOrder: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asAnonymous(t.prisma).categories.listForNewTicket()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(asStaff(t.prisma).categories.listForNewTicket()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await t.prisma.category.count({ where: { name: "会员建的" } })).toBe(0);
  });

  it("groups: create, rename, reorder, disable; a group with categories cannot be deleted", async () => {
    const staff = asStaff(t.prisma);
    const g = await staff.categories.groups.create({ name: "域名服务", sortOrder: 9 });
    await expect(staff.categories.groups.create({ name: "域名服务", sortOrder: 1 })).rejects.toMatchObject({ code: "CONFLICT", message: "分组名称已存在" });
    await staff.categories.groups.update({ id: g.id, name: "域名与证书" });
    const ids = (await staff.categories.groups.list()).map((x) => x.id);
    await staff.categories.groups.reorder({ ids: [g.id, ...ids.filter((id) => id !== g.id)] });
    expect((await staff.categories.groups.list())[0]).toMatchObject({ id: g.id, name: "域名与证书", sortOrder: 1, categoryCount: 0 });
    await expect(staff.categories.groups.reorder({ ids: [g.id] })).rejects.toMatchObject({ code: "CONFLICT" });

    await expect(staff.categories.groups.delete({ id: groupId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/该分组下还有 \d+ 个分类，不能删除；可以将其禁用/),
    });
    await staff.categories.groups.delete({ id: g.id });
    await expect(staff.categories.groups.delete({ id: g.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("categories: reorder; delete only a category without tickets, otherwise disable", async () => {
    const staff = asStaff(t.prisma);
    const ids = (await staff.categories.list()).map((c) => c.id);
    const reversed = [...ids].reverse();
    await staff.categories.reorder({ ids: reversed });
    expect((await staff.categories.list()).map((c) => c.id)).toEqual(reversed);
    await expect(staff.categories.reorder({ ids: reversed.slice(1) })).rejects.toMatchObject({ code: "CONFLICT" });

    const withTickets = await t.prisma.category.findFirstOrThrow({ where: { tickets: { some: {} } } });
    await expect(staff.categories.delete({ id: withTickets.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "该分类下已有工单，不能删除；可以将其禁用，已有工单会保留",
    });
    const empty = await staff.categories.create(input({ name: "临时分类", type: "NORMAL", submitToApi: false }));
    await staff.categories.delete({ id: empty.id });
    expect(await t.prisma.category.findUnique({ where: { id: empty.id } })).toBeNull();
  });

  it("errors speak the viewer's language", async () => {
    const { callerFor } = await import("@/test/callers");
    const en = callerFor(t.prisma, { kind: "staff", staffId: 2, name: "kefu", role: "STAFF" }, "en");
    await expect(en.categories.create(input({ type: "TRADEMARK" }))).rejects.toMatchObject({ message: expect.stringContaining("only one business/technical") });
  });
});

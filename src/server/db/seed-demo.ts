import type { Db } from "./client.ts";
import { hashPassword } from "../auth/password.ts";
import { DEFAULT_TIME_ZONE, formatDateTime } from "../../lib/datetime.ts";

/** The demo accounts, printed by the README and at first start. */
export const DEMO_ACCOUNTS = {
  superAdmin: { login: "admin", password: "admin123456", name: "超级管理员" },
  staff: { login: "kefu", password: "kefu123456", name: "客服小王" },
  member: { login: "1100001", email: "member@demo.relaydesk", password: "member123456", name: "张三" },
  otherMember: { login: "1100002", email: "member2@demo.relaydesk", password: "member123456", name: "李四" },
} as const;

/**
 * The manual's world on an empty database: 超级管理员 (staff ID 1), member 1100001, the groups
 * and categories the manual shows (业务资源问题, 备案类问题 [API] …) and tickets in several states.
 * Returns false when the database already has staff (never seeds twice).
 */
export async function seedDemoData(db: Db): Promise<boolean> {
  if ((await db.staff.count()) > 0) return false;
  const a = DEMO_ACCOUNTS;
  // scrypt is slow on purpose: hash before the transaction so it stays short.
  const [adminHash, staffHash, memberHash] = await Promise.all([
    hashPassword(a.superAdmin.password),
    hashPassword(a.staff.password),
    hashPassword(a.member.password),
  ]);
  await db.$transaction(async (tx) => {
    const admin = await tx.staff.create({
      data: { loginName: a.superAdmin.login, displayName: a.superAdmin.name, role: "SUPER_ADMIN", passwordHash: adminHash },
    });
    await tx.staff.create({
      data: { loginName: a.staff.login, displayName: a.staff.name, role: "STAFF", passwordHash: staffHash },
    });
    const member = await tx.member.create({
      data: { name: a.member.name, email: a.member.email, phone: "13800138000", qq: "10001", passwordHash: memberHash },
    });
    await tx.member.create({
      data: { name: a.otherMember.name, email: a.otherMember.email, phone: "13900139000", qq: "10002", passwordHash: memberHash },
    });
    await tx.memberService.create({ data: { memberId: member.id, businessId: "VPS-10086", ip: "103.45.67.89", type: "云服务器" } });
    await tx.memberService.create({ data: { memberId: member.id, businessId: "VPS-10087", ip: "103.45.67.90", type: "云服务器" } });

    const tech = await tx.categoryGroup.create({ data: { name: "技术支持", sortOrder: 1 } });
    const business = await tx.categoryGroup.create({ data: { name: "商务与备案", sortOrder: 2 } });
    const cat = async (groupId: number, name: string, description: string, type: "NORMAL" | "BUSINESS_TECH" | "ICP_FILING" | "TRADEMARK" | "OTHER", submitToApi: boolean, sortOrder: number) =>
      tx.category.create({ data: { groupId, name, description, type, submitToApi, sortOrder } });
    const resource = await cat(tech.id, "业务资源问题", "云服务器无法访问、性能异常、网络故障等业务资源问题", "BUSINESS_TECH", true, 1);
    const general = await cat(tech.id, "使用咨询", "控制台使用、产品咨询等一般问题", "NORMAL", false, 2);
    const filing = await cat(business.id, "备案类问题", "ICP 备案材料、流程与进度咨询", "ICP_FILING", true, 3);
    await cat(business.id, "商标类问题", "商标注册与查询", "TRADEMARK", true, 4);
    await cat(business.id, "财务与发票", "充值、退款、发票相关问题", "NORMAL", false, 5);

    const t0 = Date.now() - 3 * 24 * 3600_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    const contact = { memberId: member.id, contactPhone: member.phone, contactQq: member.qq };

    // 待处理: filed, nobody accepted it yet.
    const pending = await tx.ticket.create({
      data: { ...contact, title: "服务器无法远程连接", categoryId: resource.id, businessId: "VPS-10086", businessIp: "103.45.67.89", businessType: "云服务器", createdAt: at(0), updatedAt: at(0) },
    });
    await tx.ticketMessage.create({ data: { ticketId: pending.id, authorKind: "MEMBER", memberId: member.id, body: "从今天早上开始，SSH 连接超时，控制台显示运行中。", createdAt: at(0) } });

    // 已回复: accepted and answered by staff, waiting for the member.
    const replied = await tx.ticket.create({
      data: { ...contact, title: "问题标题", categoryId: resource.id, status: "REPLIED", assigneeId: admin.id, respondedAt: at(61), lastReplyAt: at(61), createdAt: at(60), updatedAt: at(61) },
    });
    await tx.ticketMessage.createMany({
      data: [
        { ticketId: replied.id, authorKind: "MEMBER", memberId: member.id, body: "问题描述", createdAt: at(60) },
        { ticketId: replied.id, authorKind: "STAFF", staffId: admin.id, body: "您好, 问题已收到。", createdAt: at(61) },
      ],
    });

    // 待回复: the member wrote last.
    const waiting = await tx.ticket.create({
      data: { ...contact, title: "备案需要什么？", categoryId: filing.id, status: "MEMBER_REPLIED", assigneeId: admin.id, respondedAt: at(125), lastReplyAt: at(125), createdAt: at(120), updatedAt: at(130) },
    });
    await tx.ticketMessage.createMany({
      data: [
        { ticketId: waiting.id, authorKind: "MEMBER", memberId: member.id, body: "备案需要什么？", createdAt: at(120) },
        { ticketId: waiting.id, authorKind: "STAFF", staffId: admin.id, body: "您好，需要营业执照和负责人身份证，请问是企业还是个人备案？", createdAt: at(125) },
        { ticketId: waiting.id, authorKind: "STAFF", staffId: admin.id, visibility: "STAFF_ONLY", body: "客户此前咨询过，可能需要转上级备案专员。", createdAt: at(126) },
        { ticketId: waiting.id, authorKind: "MEMBER", memberId: member.id, body: "企业备案。", createdAt: at(130) },
      ],
    });

    // 已完成: closed by staff, with the manual's system message.
    const done = await tx.ticket.create({
      data: { ...contact, title: "测试", categoryId: general.id, status: "COMPLETED", assigneeId: admin.id, respondedAt: at(200), finishedAt: at(201), lastReplyAt: at(200), createdAt: at(190), updatedAt: at(201) },
    });
    await tx.ticketMessage.createMany({
      data: [
        { ticketId: done.id, authorKind: "MEMBER", memberId: member.id, body: "测试测试", createdAt: at(190) },
        { ticketId: done.id, authorKind: "STAFF", staffId: admin.id, body: "已处理，如有问题请重新提交工单。", createdAt: at(200) },
        {
          ticketId: done.id, authorKind: "SYSTEM", body: `您的工单于${formatDateTime(at(201), DEFAULT_TIME_ZONE)}被客服关闭`, systemCode: "closedByStaff",
          systemParams: { time: at(201).toISOString() }, createdAt: at(201),
        },
      ],
    });
  }, { timeout: 30_000 });
  return true;
}

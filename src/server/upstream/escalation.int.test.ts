import { createHash } from "node:crypto";
import { LocalDiskBlobStore } from "@/server/storage/local-disk-store";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, conversation, newTicket, setUpEscalation, ticketState, type Fixture, SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { asStaff, asSuperAdmin } from "@/test/callers";
import { DEFAULT_SHARING_POLICY } from "@/server/domain/sharing-policy";
import { acceptTicket, addInternalNote, closeTicket, replyToTicket } from "@/server/services/staff-ticket-service";
import { authorLine } from "@/server/presenters/messages";
import { escalateTicket, getEscalationView } from "./escalate";
import { syncTicketNow } from "./sync";

let f: Fixture;
beforeAll(async () => {
  f = await setUpEscalation();
}, SETUP_TIMEOUT_MS);
afterAll(() => f?.close());

const db = () => f.t.prisma;
const outbox = (ticketId: number) => db().outboxMessage.findMany({ where: { ticketId }, orderBy: { id: "asc" } });

/** Accepted and escalated, with the create delivered and acknowledged. */
async function escalatedTicket(category = "备案类问题") {
  const ticket = await newTicket(f.t, category);
  await acceptTicket(db(), admin, { ticketId: ticket.id });
  await escalateTicket(db(), admin, { ticketId: ticket.id });
  await f.worker().tick();
  const guid = (await getEscalationView(db(), ticket.id))?.guid;
  if (!guid) throw new Error("escalation not acknowledged");
  return { ticket, guid };
}

describe(`escalation rules (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("R1: a ticket in a NORMAL category cannot be escalated; nothing is written", async () => {
    const ticket = await newTicket(f.t, "使用咨询");
    await acceptTicket(db(), admin, { ticketId: ticket.id });
    await expect(asStaff(db()).escalation.escalate({ ticketId: ticket.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "该分类不能提交到API，不能转移到云技术客服",
    });
    expect(await outbox(ticket.id)).toHaveLength(0);
    expect(await db().upstreamLink.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect((await ticketState(f.t, ticket.id)).escalation).toBe("NONE");
  });

  it("R2: staff must accept first; then the click is one transaction with no network: 转移中, a staff-only line, the link, one create", async () => {
    const ticket = await newTicket(f.t);
    await expect(escalateTicket(db(), admin, { ticketId: ticket.id })).rejects.toMatchObject({ code: "RULE_VIOLATION", rule: "R2" });
    await acceptTicket(db(), admin, { ticketId: ticket.id });

    await f.peer.stop(); // the upstream is down: the click must not care
    try {
      const result = await asStaff(db(), 1, "超级管理员").escalation.escalate({ ticketId: ticket.id, expectedVersion: 1 });
      expect(result.reEscalation).toBe(false);
      expect(await getEscalationView(db(), ticket.id)).toMatchObject({ connectionName: "小鸟云", guid: null, pending: true, linkState: "OPEN" });
      await f.worker().tick();
      const view = await getEscalationView(db(), ticket.id);
      expect(view).toMatchObject({ guid: null, pending: true });
      expect(view?.lastError).toMatch(/network error|ECONNREFUSED/);
    } finally {
      await f.peer.start();
    }
    const lines = (await conversation(f.t, ticket.id)).filter((m) => m.authorKind === "SYSTEM");
    expect(lines.map((m) => [m.systemCode, m.visibility])).toEqual([["escalated", "STAFF_ONLY"]]);
    expect(lines[0]!.body).toMatch(/^该工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客服\[超级管理员\]转移到远程技术客服$/);
    expect((await outbox(ticket.id)).map((o) => o.type)).toEqual(["ticket.create"]);
    expect((await ticketState(f.t, ticket.id)).escalation).toBe("ESCALATED");
  });

  it("R3: public staff replies are forwarded once, notes and system lines never; the upstream's replies join the conversation as 云技术客服", async () => {
    const { ticket, guid } = await escalatedTicket();
    await replyToTicket(db(), admin, { ticketId: ticket.id, body: "已转交云技术客服，请稍候。", attachmentIds: [] });
    await addInternalNote(db(), admin, { ticketId: ticket.id, body: "内部备注：客户很急", attachmentIds: [] });
    await f.worker().tick();
    await f.worker().tick(); // a second run finds nothing left to send
    const atPeer = f.peer.messages(f.peer.tickets.get(guid)!);
    expect(atPeer.map((m) => [m.author.kind, m.author.name, m.body])).toEqual([
      ["partner", "客户", "备案需要什么？"],
      ["partner", "超级管理员", "已转交云技术客服，请稍候。"],
    ]);
    expect(JSON.stringify(atPeer)).not.toMatch(/内部备注|转移到远程技术客服/);

    f.peer.agentReply(guid, "您好，请提供营业执照扫描件。");
    expect(await f.peer.flushCallbacks()).toEqual([200]);
    const reply = (await conversation(f.t, ticket.id)).find((m) => m.authorKind === "UPSTREAM_AGENT");
    expect(reply).toMatchObject({ agentId: "404907", visibility: "PUBLIC", body: "您好，请提供营业执照扫描件。" });
    expect(authorLine({ ...reply!, attachments: [] }, "zh-CN", "staff")).toBe("云技术客服404907(ID: 404907)");
    const state = await ticketState(f.t, ticket.id);
    expect(state).toMatchObject({ status: "REPLIED", escalation: "ESCALATED" });
    expect(state.lastReplyAt).not.toBeNull();
    // R3 both ways at once: staff may keep replying while the upstream holds the ticket.
    await replyToTicket(db(), admin, { ticketId: ticket.id, body: "客户已补充材料。", attachmentIds: [] });
    await f.worker().tick();
    expect(f.peer.messages(f.peer.tickets.get(guid)!)).toHaveLength(4);
  });

  it("R3: a reply's files travel inline (by content hash) when the sharing policy forwards files; one missing from the store is named in the text instead", async () => {
    await asSuperAdmin(db()).sharing.save({ connectionId: f.connectionId, policy: { ...DEFAULT_SHARING_POLICY, forwardFilesByDefault: true } });
    const { ticket, guid } = await escalatedTicket();
    const bytes = Buffer.from("安全组已放行 22 端口");
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(await new LocalDiskBlobStore(f.filesDir).put(bytes)).toBe(sha);
    const file = (name: string, key: string) =>
      db().attachment.create({ data: { storageKey: key, fileName: name, mimeType: "text/plain", size: bytes.length, ownerKey: "staff:1" } });
    const present = await file("安全组.txt", sha);
    const missing = await file("丢失.txt", "0".repeat(64));
    await replyToTicket(db(), admin, { ticketId: ticket.id, body: "截图见附件", attachmentIds: [present.id, missing.id] });
    await f.worker().tick();
    const sent = f.peer.messages(f.peer.tickets.get(guid)!).at(-1)!;
    expect(sent.body).toBe("截图见附件\n[附件未转发: 丢失.txt]");
    expect(sent.attachments).toEqual([expect.objectContaining({ fileName: "安全组.txt", sha256: sha, size: bytes.length })]);
    await asSuperAdmin(db()).sharing.save({ connectionId: f.connectionId, policy: DEFAULT_SHARING_POLICY });
  });

  it("R4: a returned ticket is escalated again on the same link and GUID; after the upstream closes its side, escalation is refused for good and a late return reopens nothing", async () => {
    const { ticket, guid } = await escalatedTicket();
    const returned = f.peer.agentReturn(guid, "请客户确认后再提交");
    await f.peer.flushCallbacks();
    expect((await ticketState(f.t, ticket.id)).escalation).toBe("RETURNED");

    const again = await escalateTicket(db(), admin, { ticketId: ticket.id });
    expect(again.result.reEscalation).toBe(true);
    expect((await outbox(ticket.id)).map((o) => o.type)).toEqual(["ticket.create", "ticket.escalate"]);
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ guid, pending: true });
    await f.worker().tick();
    expect(f.peer.tickets.get(guid)!.state).toBe("OPEN");
    expect(f.peer.tickets.size).toBeGreaterThan(0);
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ guid, pending: false, linkState: "OPEN" });

    f.peer.agentClose(guid, "该业务已到期释放");
    await f.peer.flushCallbacks();
    expect((await ticketState(f.t, ticket.id)).escalation).toBe("UPSTREAM_CLOSED");
    const closedLine = (await conversation(f.t, ticket.id)).find((m) => m.systemCode === "upstreamClosed");
    expect(closedLine).toMatchObject({ visibility: "STAFF_ONLY", body: "远程技术客服已关闭该工单，将不再接受该工单的转移请求。" });
    await expect(asStaff(db(), 1, "超级管理员").escalation.escalate({ ticketId: ticket.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "远程技术客服已关闭该工单，不能再转移到云技术客服",
    });

    // The old return redelivered, and a return that happened before the close arriving after it.
    expect(await f.peer.sendCallback(returned)).toBe(200);
    expect(await f.peer.sendCallback({ ...returned, eventId: "e-late-1", occurredAt: new Date(Date.now() - 60_000).toISOString() })).toBe(200);
    expect((await ticketState(f.t, ticket.id)).escalation).toBe("UPSTREAM_CLOSED");
    expect((await conversation(f.t, ticket.id)).filter((m) => m.systemCode === "upstreamReturned")).toHaveLength(1);
  });

  it("R5: the final close is reported upstream; afterwards nobody replies or escalates, and a late upstream message reopens nothing", async () => {
    const { ticket, guid } = await escalatedTicket();
    await closeTicket(db(), admin, { ticketId: ticket.id });
    await f.worker().tick();
    expect(f.peer.tickets.get(guid)!.state).toBe("FINISHED");
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ linkState: "FINISHED", pending: false });

    await expect(replyToTicket(db(), admin, { ticketId: ticket.id, body: "还有一句", attachmentIds: [] })).rejects.toMatchObject({ rule: "R5" });
    await expect(escalateTicket(db(), admin, { ticketId: ticket.id })).rejects.toMatchObject({ rule: "R5", messageKey: "errors.rules.TICKET_FINISHED" });

    const late = {
      eventId: "e-late-msg",
      type: "message.created" as const,
      guid,
      externalId: String(ticket.id),
      occurredAt: new Date().toISOString(),
      data: { id: "m-late", author: { kind: "agent" as const, id: "404907", name: "云技术客服404907" }, body: "迟到的回复", createdAt: new Date().toISOString(), attachments: [] },
    };
    expect(await f.peer.sendCallback(late)).toBe(200);
    expect((await ticketState(f.t, ticket.id)).status).toBe("COMPLETED");
    expect((await conversation(f.t, ticket.id)).some((m) => m.body === "迟到的回复")).toBe(true);

    // What the member may read: the close line; every escalation line is staff-only (R6/R7).
    const lines = (await conversation(f.t, ticket.id)).filter((m) => m.authorKind === "SYSTEM");
    expect(lines.map((m) => [m.systemCode, m.visibility])).toEqual([
      ["escalated", "STAFF_ONLY"],
      ["closedByStaff", "PUBLIC"],
    ]);
  });

  it("R8: 同步工单 pulls messages and state now with a staff-only line; a second sync adds nothing; an unreachable upstream changes nothing", async () => {
    const { ticket, guid } = await escalatedTicket();
    f.peer.agentAccept(guid);
    f.peer.agentReply(guid, "已为您重启宿主机网络服务，请再试。");
    f.peer.agentReturn(guid, "请客户确认");
    const missed = f.peer.outbox.splice(0); // callbacks lost on the way

    const summary = await syncTicketNow(db(), f.deps, admin, { ticketId: ticket.id });
    expect(summary).toEqual({ newMessages: 1, newEvents: 2, state: "RETURNED" });
    expect(await ticketState(f.t, ticket.id)).toMatchObject({ escalation: "RETURNED", status: "REPLIED" });
    const synced = (await conversation(f.t, ticket.id)).filter((m) => m.systemCode === "synced");
    expect(synced.map((m) => m.visibility)).toEqual(["STAFF_ONLY"]);
    expect(synced[0]!.body).toMatch(/被客服\[超级管理员\]同步$/);

    const before = await conversation(f.t, ticket.id);
    expect(await syncTicketNow(db(), f.deps, admin, { ticketId: ticket.id })).toEqual({ newMessages: 0, newEvents: 0, state: "RETURNED" });
    expect((await conversation(f.t, ticket.id)).filter((m) => m.systemCode !== "synced")).toEqual(before.filter((m) => m.systemCode !== "synced"));

    // The lost callbacks arrive after all: duplicates of what the sync applied.
    for (const event of missed) expect(await f.peer.sendCallback(event)).toBe(200);
    expect((await conversation(f.t, ticket.id)).filter((m) => m.authorKind === "UPSTREAM_AGENT")).toHaveLength(1);
    expect((await conversation(f.t, ticket.id)).filter((m) => m.systemCode === "upstreamReturned")).toHaveLength(1);

    await f.peer.stop();
    try {
      const unchanged = await ticketState(f.t, ticket.id);
      const count = (await conversation(f.t, ticket.id)).length;
      await expect(asStaff(db(), 1, "超级管理员").escalation.sync({ ticketId: ticket.id })).rejects.toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: "上级资源[小鸟云]暂时无法连接，请稍后再试（未做任何更改）",
      });
      expect(await ticketState(f.t, ticket.id)).toEqual(unchanged);
      expect(await conversation(f.t, ticket.id)).toHaveLength(count);
    } finally {
      await f.peer.start();
    }
  });

  it("R8: sync is refused on a ticket never escalated, naming the rule", async () => {
    const ticket = await newTicket(f.t);
    await expect(syncTicketNow(db(), f.deps, admin, { ticketId: ticket.id })).rejects.toMatchObject({ code: "RULE_VIOLATION", rule: "R8" });
  });
});

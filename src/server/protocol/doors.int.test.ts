import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_URL, admin, newTicket, setUpEscalation, SETUP_TIMEOUT_MS, type Fixture } from "@/test/escalation-fixture";
import { asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { createBody, createPartner, protocolEnv, type TestPartner } from "@/test/partner-world";
import { dispatch, json, signedRequest } from "@/test/protocol";
import { POST as callbackRoute } from "@/app/api/upstream/v1/callbacks/[connectionId]/route";
import { acceptTicket, addInternalNote, closeTicket } from "@/server/services/staff-ticket-service";
import { readAttachment, uploadAttachment } from "@/server/services/file-service";
import { escalateTicket, getEscalationView } from "@/server/upstream/escalate";
import { returnToPartner } from "@/server/partners/staff-partner-actions";
import type { ProtocolEnv } from "@/server/partners/partner-door";
import type { MemberViewer } from "@/server/viewer";
import { signedHeaders } from "./signature";
import { MAX_BODY_BYTES, MAX_CREATE_MESSAGES, MAX_MESSAGE_BODY_LENGTH, MAX_REQUEST_TEXT_LENGTH, type AttachmentRef, type CallbackEvent } from "./schemas";

// The holes an outside review found at the protocol's doors, one test each, on both ends: a
// partner's requests (we are the upstream) and an upstream's callbacks (we are the downstream).

let f: Fixture;
let env: ProtocolEnv;
let p: TestPartner;
const member: MemberViewer = { kind: "member", memberId: 1100001, name: "张三" };
const TICKETS = "/api/upstream/v1/tickets";
const db = () => f.t.prisma;

beforeAll(async () => {
  f = await setUpEscalation();
  env = protocolEnv(f.t, { store: f.deps.files });
  p = await createPartner(f.t, "下级合作商门");
}, SETUP_TIMEOUT_MS);
afterAll(() => f?.close());

const post = (path: string, body: unknown, opts: Parameters<typeof signedRequest>[4] = {}) => dispatch(env, signedRequest(p, "POST", path, body, opts));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function escalatedTicket() {
  const ticket = await newTicket(f.t);
  await acceptTicket(db(), admin, { ticketId: ticket.id });
  await escalateTicket(db(), admin, { ticketId: ticket.id });
  await f.worker().tick();
  return { ticket, guid: (await getEscalationView(db(), ticket.id))!.guid! };
}

/** A callback signed as the peer signs it, posted to the real route. */
async function postCallback(body: string, secret = f.peer.secret, now = new Date()) {
  const url = `${PUBLIC_URL}/api/upstream/v1/callbacks/${f.connectionId}`;
  const headers = signedHeaders({ partnerId: f.peer.partnerId, keyId: f.peer.keyId, secret, method: "POST", pathWithQuery: new URL(url).pathname, body, now });
  const res = await callbackRoute(new Request(url, { method: "POST", headers, body }), { params: Promise.resolve({ connectionId: String(f.connectionId) }) });
  return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
}

function agentMessage(ticketId: number, guid: string, id: string, body: string, attachments: AttachmentRef[] = []): CallbackEvent {
  return {
    eventId: `e-${id}`,
    type: "message.created",
    guid,
    externalId: String(ticketId),
    occurredAt: new Date().toISOString(),
    data: { id, author: { kind: "agent", id: "404907", name: "云技术客服404907" }, body, createdAt: new Date().toISOString(), attachments },
  };
}

const attachmentsOf = (ticketId: number) => db().attachment.findMany({ where: { ticketId, ownerKey: { startsWith: "upstream:" } }, orderBy: { id: "asc" } });

describe(`protocol doors (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("R7 through a remote attachment hash: a hash the upstream names never resolves to a file we hold; its own file is downloadable only once fetched and verified", async () => {
    const { ticket, guid } = await escalatedTicket();
    // A file that arrived another way: a staff-only note's attachment on the member's own ticket.
    const secret = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.from("staff-only evidence")]);
    const upload = await uploadAttachment(db(), f.deps.files, admin, { fileName: "内部.png", bytes: secret });
    await addInternalNote(db(), admin, { ticketId: ticket.id, body: "内部备注", attachmentIds: [upload.id] });

    // A signed message.created naming that hash: recorded, but it stays "not yet available" …
    const claim = agentMessage(ticket.id, guid, "m-claim", "请看附件", [{ fileName: "x.png", mimeType: "image/png", size: secret.length, sha256: sha256(secret) }]);
    expect((await postCallback(JSON.stringify(claim))).status).toBe(200);
    const [claimed] = await attachmentsOf(ticket.id);
    expect(claimed!.storageKey).not.toBe(sha256(secret));
    await expect(readAttachment(db(), f.deps.files, member, claimed!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // … and the upstream cannot serve bytes it never had: after the fetch it is still nothing.
    await f.worker().tick();
    await expect(readAttachment(db(), f.deps.files, member, claimed!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });

    // The upstream's own file: unavailable until fetched over the protocol, then exactly its bytes.
    const bytes = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.from("the agent's screenshot")]);
    f.peer.agentReply(guid, "截图见附件", undefined, { fileName: "截图.png", mimeType: "image/png", bytes });
    await f.peer.flushCallbacks();
    const own = (await attachmentsOf(ticket.id)).at(-1)!;
    await expect(readAttachment(db(), f.deps.files, member, own.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The pages say so rather than offering a link that fails: "not yet available" for both audiences.
    const fileOn = async () => {
      const [memberPage, staffPage] = await Promise.all([asMember(db()).portal.ticket({ ticketId: ticket.id }), asStaff(db()).console.ticket({ ticketId: ticket.id })]);
      const find = (messages: { attachments: { id: number; available: boolean }[] }[]) => messages.flatMap((m) => m.attachments).find((a) => a.id === own.id)?.available;
      return [find(memberPage.messages), find(staffPage.messages)];
    };
    expect(await fileOn()).toEqual([false, false]);
    await f.worker().tick();
    expect(Buffer.from((await readAttachment(db(), f.deps.files, member, own.id)).bytes).equals(bytes)).toBe(true);
    expect(await fileOn()).toEqual([true, true]);

    // Bytes that do not match the hash they were announced with are never stored for it.
    const honest = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.from("announced")]);
    f.peer.agentReply(guid, "再一张", undefined, { fileName: "b.png", mimeType: "image/png", bytes: honest });
    const peerFiles = f.peer.tickets.get(guid)!.files;
    peerFiles.set(sha256(honest), { ...peerFiles.get(sha256(honest))!, bytes: Buffer.from(secret) });
    await f.peer.flushCallbacks();
    await f.worker().tick();
    const swapped = (await attachmentsOf(ticket.id)).at(-1)!;
    await expect(readAttachment(db(), f.deps.files, member, swapped.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a partner can stall the instance: a create at the documented maximum completes; one message or one character more is 422, a body over 8 MiB 413", async () => {
    const perMessage = Math.floor(MAX_REQUEST_TEXT_LENGTH / MAX_CREATE_MESSAGES);
    expect(perMessage).toBeLessThanOrEqual(MAX_MESSAGE_BODY_LENGTH);
    const history = (id: string, n: number, length: number) =>
      Array.from({ length: n }, (_, i) => ({ externalMessageId: `${id}-${i}`, author: { role: "member", name: "客户" }, body: "问".repeat(length) }));
    const atMax = { ...createBody("MAX-1"), messages: history("MAX-1", MAX_CREATE_MESSAGES, perMessage) };
    const started = Date.now();
    const res = await post(TICKETS, atMax);
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(15_000);
    const created = await db().ticket.findUniqueOrThrow({ where: { guid: (await json<{ guid: string }>(res)).guid } });
    expect(await db().ticketMessage.count({ where: { ticketId: created.id } })).toBe(MAX_CREATE_MESSAGES);

    const tooMany = await post(TICKETS, { ...createBody("MAX-2"), messages: history("MAX-2", MAX_CREATE_MESSAGES + 1, 1) });
    expect(tooMany.status).toBe(422);
    expect(await tooMany.json()).toMatchObject({ error: { code: "validation_failed", issues: [{ path: "messages" }] } });
    const messages = history("MAX-3", MAX_CREATE_MESSAGES, perMessage);
    messages[0]!.body += "问";
    const tooLong = await post(TICKETS, { ...createBody("MAX-3"), messages });
    expect(tooLong.status).toBe(422);
    expect((await post(TICKETS, undefined, { rawBody: "x".repeat(MAX_BODY_BYTES + 1) })).status).toBe(413);
    expect(await db().ticket.count({ where: { partnerTicketNo: { in: ["MAX-2", "MAX-3"] } } })).toBe(0);
  });

  it("NUL and lone surrogates lose no callback and break no partner request: stripped and kept at every door", async () => {
    const { ticket, guid } = await escalatedTicket();
    // JSON escapes, as a sender's serializer writes them.
    const raw = JSON.stringify(agentMessage(ticket.id, guid, "m-nul", "PLACEHOLDER")).replace("PLACEHOLDER", "第一行\\u0000第二行\\ud800尾");
    expect((await postCallback(raw)).status).toBe(200);
    const reply = await db().ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id, externalId: "up:m-nul" } });
    expect(reply.body).toBe("第一行第二行\ufffd尾");

    const body = JSON.stringify(createBody("NUL-1")).replace("服务器无法远程连接", "标题\\u0000含\\udc00");
    const created = await post(TICKETS, undefined, { rawBody: body });
    expect(created.status).toBe(201);
    const { guid: partnerGuid } = await json<{ guid: string }>(created);
    expect((await db().ticket.findUniqueOrThrow({ where: { guid: partnerGuid } })).title).toBe("标题含\ufffd");
    const message = JSON.stringify({ externalMessageId: "NUL-1-2", author: { role: "member", name: "客\u0000户" }, body: "x" }).replace('"x"', '"补充\\u0000\\ud83d"');
    expect((await post(`${TICKETS}/${partnerGuid}/messages`, undefined, { rawBody: message })).status).toBe(201);
    const stored = await db().ticketMessage.findFirstOrThrow({ where: { externalId: "NUL-1-2" } });
    expect([stored.body, stored.agentName]).toEqual(["补充\ufffd", "客户"]);
  });

  it("a replayed escalate cannot re-open a returned ticket: the signature is accepted once", async () => {
    const res = await post(TICKETS, createBody("REPLAY-1"));
    const { guid } = await json<{ guid: string }>(res);
    const ticket = await db().ticket.findUniqueOrThrow({ where: { guid } });
    await returnToPartner(db(), admin, { ticketId: ticket.id });
    const now = new Date();
    expect((await post(`${TICKETS}/${guid}/escalate`, {}, { now })).status).toBe(200);
    await returnToPartner(db(), admin, { ticketId: ticket.id });
    // The captured request, replayed inside the 300 s window.
    const replay = await post(`${TICKETS}/${guid}/escalate`, {}, { now });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: "invalid_signature" } });
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).partnerState).toBe("RETURNED");
    // The same for a callback: a replayed ticket.returned signature is refused.
    const { ticket: ours, guid: upstreamGuid } = await escalatedTicket();
    const event = JSON.stringify(agentMessage(ours.id, upstreamGuid, "m-replay", "一次"));
    expect((await postCallback(event, undefined, now)).status).toBe(200);
    expect(await postCallback(event, undefined, now)).toMatchObject({ status: 401, json: { error: { code: "invalid_signature" } } });
  });

  it("the upstream's staff cannot final-close a partner's ticket: the table refuses staff.close; 关闭工单(上级侧) closes our side", async () => {
    const { guid } = await json<{ guid: string }>(await post(TICKETS, createBody("CLOSE-1")));
    const ticket = await db().ticket.findUniqueOrThrow({ where: { guid } });
    await expect(closeTicket(db(), admin, { ticketId: ticket.id })).rejects.toMatchObject({ code: "RULE_VIOLATION", rule: "R5" });
    await expect(asSuperAdmin(db()).console.close({ ticketId: ticket.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: "PENDING", partnerState: "OPEN" });
    await asSuperAdmin(db()).partnerTickets.closeUpstreamSide({ ticketId: ticket.id });
    expect(await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ partnerState: "CLOSED" });
  });

  it("secret rotation keeps two chained instances talking: the previous upstream secret is accepted until its grace ends, and 上级资源 shows it", async () => {
    const { ticket, guid } = await escalatedTicket();
    const old = f.peer.secret;
    const fresh = "rotated-peer-secret-0123456789";
    const connection = (await asSuperAdmin(db()).upstreams.list()).find((c) => c.id === f.connectionId)!;
    const { id, name, baseUrl, partnerId, keyId, enabled, isDefault } = connection;
    await asSuperAdmin(db()).upstreams.update({ id, name, baseUrl, partnerId, keyId, enabled, isDefault, secret: fresh });
    const listed = (await asSuperAdmin(db()).upstreams.list()).find((c) => c.id === f.connectionId)!;
    expect(listed.rotationGraceUntil).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(old);

    // The vendor keeps signing with the previous secret during its grace; both are accepted.
    expect((await postCallback(JSON.stringify(agentMessage(ticket.id, guid, "m-rot-old", "旧密钥")), old)).status).toBe(200);
    expect((await postCallback(JSON.stringify(agentMessage(ticket.id, guid, "m-rot-new", "新密钥")), fresh)).status).toBe(200);
    await db().upstreamConnection.update({ where: { id: f.connectionId }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    expect((await postCallback(JSON.stringify(agentMessage(ticket.id, guid, "m-rot-late", "过期")), old)).status).toBe(401);
    expect((await asSuperAdmin(db()).upstreams.list()).find((c) => c.id === f.connectionId)!.rotationGraceUntil).toBeNull();
    // Back to the peer's secret for the other tests (a second rotation).
    await asSuperAdmin(db()).upstreams.update({ id, name, baseUrl, partnerId, keyId, enabled, isDefault, secret: old });
  });

  it("order of checks: a repeated create is 200 before its body is judged; an unknown GUID is 404 before any 422; nobody unknown gets a body read", async () => {
    const first = await post(TICKETS, createBody("ORDER-1"));
    expect(first.status).toBe(201);
    const repeat = await post(TICKETS, { externalId: "ORDER-1", title: "" });
    expect(repeat.status).toBe(200);
    expect((await json<{ guid: string }>(repeat)).guid).toBe((await json<{ guid: string }>(first)).guid);

    for (const path of [`${TICKETS}/nope/messages`, `${TICKETS}/nope/escalate`, `${TICKETS}/nope/close`]) {
      expect((await post(path, undefined, { rawBody: "{not json" })).status, path).toBe(404);
      expect((await post(path, { reason: 42 })).status, path).toBe(404);
    }
    // A callback for no ticket of ours: 404 (the upstream retries), whatever its body holds.
    expect((await postCallback(JSON.stringify({ externalId: "999999", guid: "g", type: "ticket.exploded" }))).status).toBe(404);

    // Unknown signer, 9 MiB streamed without Content-Length: 401 after reading nothing.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        if (pulled > 9) c.close();
        else c.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const headers = signedRequest({ partnerId: "p-unknown", keyId: "k", secret: "s".repeat(20) }, "POST", TICKETS, {}).headers;
    headers.delete("content-length");
    const res = await dispatch(env, new Request(`http://upstream.test${TICKETS}`, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit));
    expect(res.status).toBe(401);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("R10 at the partner door: a category in a disabled group takes no partner ticket", async () => {
    const categories = await db().category.findMany({ where: { type: "ICP_FILING" }, include: { group: true } });
    await db().categoryGroup.updateMany({ where: { id: { in: categories.map((c) => c.groupId) } }, data: { enabled: false } });
    try {
      const res = await post(TICKETS, createBody("R10-1", "ICP_FILING"));
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed", issues: [{ path: "type" }] } });
    } finally {
      for (const c of categories) await db().categoryGroup.update({ where: { id: c.groupId }, data: { enabled: c.group.enabled } });
    }
  });
});

// Shared set-up for the escalation integration tests: a real database (PGlite, or PostgreSQL with
// TEST_DATABASE_URL), the demo data, a protocol test peer on 127.0.0.1, an upstream connection
// configured through the super admin's API, and callbacks sent to the real route handler.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { asSuperAdmin } from "./callers.ts";
import { UpstreamPeer } from "./upstream-peer.ts";
import { seedDemoData } from "@/server/db/seed-demo";
import type { Database, Tx } from "@/server/db/client";
import { upstreamDepsFromConfig, type UpstreamDeps } from "@/server/upstream/deps";
import { createWorker, type Worker } from "@/server/outbox/worker";
import type { StaffViewer } from "@/server/viewer";

// The route handler reads the process config; a fixed secret keeps it off the data folder.
process.env.AUTH_SECRET ??= "escalation-tests-auth-secret-0123456789abcdef";
export const PUBLIC_URL = "http://localhost:3000";

export const admin: StaffViewer = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" };

export type Fixture = {
  t: TestDatabase;
  peer: UpstreamPeer;
  deps: UpstreamDeps;
  connectionId: number;
  /** Where attachment bytes live for these tests (content-addressed, <sha256>). */
  filesDir: string;
  /** A fresh worker instance, as after a process restart. */
  worker: () => Worker;
  close(): Promise<void>;
};

export async function setUpEscalation(): Promise<Fixture> {
  const t = await createTestDatabase();
  await seedPatiently(t);
  // The route handler's getDb() finds this database instead of opening the default one.
  (globalThis as unknown as { __relaydeskDb?: Promise<Database> }).__relaydeskDb = Promise.resolve(t);
  const { POST } = await import("@/app/api/upstream/v1/callbacks/[connectionId]/route");

  const peer = new UpstreamPeer({
    sendCallback: async (url, init) => {
      const connectionId = url.split("/").at(-1)!;
      const response = await POST(new Request(url, init), { params: Promise.resolve({ connectionId }) });
      return { status: response.status };
    },
  });
  await peer.start();
  const connection = await asSuperAdmin(t.prisma).upstreams.create({
    name: "小鸟云",
    baseUrl: peer.baseUrl,
    partnerId: peer.partnerId,
    keyId: peer.keyId,
    secret: peer.secret,
    enabled: true,
    isDefault: true,
  });
  peer.callbackUrl = `${PUBLIC_URL}/api/upstream/v1/callbacks/${connection.id}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-esc-"));
  const deps = upstreamDepsFromConfig({ authSecret: process.env.AUTH_SECRET!, publicUrl: PUBLIC_URL, dataDir });
  const worker = () => createWorker(t.prisma, deps, { syncEveryMs: 3_600_000 });
  return {
    t,
    peer,
    deps,
    connectionId: connection.id,
    filesDir: path.join(dataDir, "files"),
    worker,
    async close() {
      await peer.stop();
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * seedDemoData hashes four passwords (scrypt) inside one transaction with Prisma's default 5 s
 * limit, which a loaded 2-core machine sometimes passes (P2028). The tests care about the data,
 * not that limit, so the seed gets a client whose transactions may take longer.
 */
export async function seedPatiently(t: TestDatabase) {
  const patient = new Proxy(t.prisma, {
    get: (target, key) =>
      key === "$transaction"
        ? <R>(work: (tx: Tx) => Promise<R>) => target.$transaction(work, { timeout: 120_000, maxWait: 60_000 })
        : Reflect.get(target, key),
  });
  await seedDemoData(patient);
}

/** Set-up opens a database, migrates and seeds it: slow on a busy machine. */
export const SETUP_TIMEOUT_MS = 180_000;

/** A ticket of member 1100001 in the named demo category, with the member's first message. */
export async function newTicket(t: TestDatabase, categoryName = "备案类问题", body = "备案需要什么？") {
  const category = await t.prisma.category.findFirstOrThrow({ where: { name: categoryName } });
  const ticket = await t.prisma.ticket.create({ data: { title: `测试 ${categoryName}`, memberId: 1100001, categoryId: category.id, contactPhone: "13800138000" } });
  await t.prisma.ticketMessage.create({ data: { ticketId: ticket.id, authorKind: "MEMBER", memberId: 1100001, body } });
  return ticket;
}

export function ticketState(t: TestDatabase, id: number) {
  return t.prisma.ticket.findUniqueOrThrow({ where: { id }, select: { status: true, escalation: true, version: true, lastReplyAt: true } });
}

export function conversation(t: TestDatabase, ticketId: number) {
  return t.prisma.ticketMessage.findMany({ where: { ticketId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./client.ts";
import { inTransaction } from "./transaction.ts";
import type { LiveSignal } from "./live-bus.ts";
import { createTestDatabase, type TestDatabase } from "@/test/db";

// docs/OPERATIONS.md: on the machine of the database, DATABASE_URL names its Unix socket
// (`?host=/var/run/postgresql`). The pool, transactions and the live bus's LISTEN connection
// must all take that form of the URL.
const SOCKET_DIR = "/var/run/postgresql";
const hasSocket = fs.existsSync(`${SOCKET_DIR}/.s.PGSQL.5432`);

describe.skipIf(!process.env.TEST_DATABASE_URL || !hasSocket)("PostgreSQL over its Unix socket", () => {
  let test: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    test = await createTestDatabase();
    const tcp = new URL(test.url!);
    const socketUrl = `postgresql://${tcp.username}@localhost${tcp.pathname}?host=${encodeURIComponent(SOCKET_DIR)}`;
    db = await openDatabase({ kind: "postgres", url: socketUrl });
  });
  afterAll(async () => {
    await db?.close();
    await test?.close();
  });

  it("runs statements and transactions over the socket, not TCP", async () => {
    const outside = await db.prisma.$queryRaw<{ address: string | null }[]>`SELECT inet_client_addr()::text AS address`;
    expect(outside).toEqual([{ address: null }]); // a Unix-socket session has no client address
    const inside = await inTransaction(db.prisma, (tx) => tx.$queryRaw<{ local: boolean }[]>`SELECT inet_client_addr() IS NULL AS local`);
    expect(inside).toEqual([{ local: true }]);
  });

  it("hears the live bus over the socket", async () => {
    const bus = await db.openLiveBus();
    try {
      const heard = new Promise<LiveSignal>((resolve) => bus.subscribe(resolve));
      await db.prisma.$executeRaw`SELECT pg_notify('relaydesk_live', '{"k":"link","t":7}')`;
      await expect(heard).resolves.toEqual({ kind: "link", ticketId: 7 });
    } finally {
      await bus.close();
    }
  });
});

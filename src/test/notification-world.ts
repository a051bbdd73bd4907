// Shared set-up for the notification tests: a real database with the demo data, a real SMTP server
// that receives our mails (MailSink), the super admin's SMTP settings pointing at it, and a worker
// built the way the product builds it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { asSuperAdmin } from "./callers.ts";
import { seedDemoData } from "@/server/db/seed-demo";
import { MailSink } from "./mail-sink.ts";
import { upstreamDepsFromConfig } from "@/server/upstream/deps";
import type { NotificationDeps } from "@/server/notifications/deps";
import { notificationDepsFromConfig } from "@/server/notifications/deps";
import { createWorker } from "@/server/outbox/worker";
import { fanOutNotifications } from "@/server/notifications/fan-out";
import { deliverDueOutbox, type DeliveryDeps } from "@/server/outbox/dispatcher";

/** The process's secret (set by the escalation fixture): the routers' config and the worker must agree. */
export const AUTH_SECRET = process.env.AUTH_SECRET!;
export const PUBLIC_URL = "http://desk.example.test";
export const REPLY_DOMAIN = "reply.example.test";

export type NotificationWorld = {
  t: TestDatabase;
  sink: MailSink;
  deps: NotificationDeps;
  delivery: DeliveryDeps;
  /** Fan out and deliver until nothing is left (one worker tick's work, repeated). */
  drain(): Promise<void>;
  close(): Promise<void>;
};

export async function setUpNotifications(opts: { smtp?: boolean } = {}): Promise<NotificationWorld> {
  const t = await createTestDatabase();
  await seedDemoData(t.prisma);
  const sink = new MailSink();
  await sink.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-notify-"));
  const config = { authSecret: AUTH_SECRET, publicUrl: PUBLIC_URL, dataDir, mail: { smtp: null, replyDomain: REPLY_DOMAIN, inbound: null } };
  const deps = notificationDepsFromConfig(config);
  const delivery: DeliveryDeps = { ...upstreamDepsFromConfig(config), notifications: deps };
  if (opts.smtp !== false) {
    await asSuperAdmin(t.prisma).notificationChannels.saveSmtp({
      enabled: true,
      host: "127.0.0.1",
      port: sink.port,
      security: "none",
      user: "",
      password: "",
      fromAddress: "desk@example.test",
      fromName: "Relaydesk",
    });
  }
  const worker = createWorker(t.prisma, delivery, { syncEveryMs: 3_600_000 });
  return {
    t,
    sink,
    deps,
    delivery,
    async drain() {
      for (let i = 0; i < 5; i++) {
        await worker.tick();
        const more = (await fanOutNotifications(t.prisma, deps)) + (await deliverDueOutbox(t.prisma, delivery)).claimed;
        if (more === 0) return;
      }
    },
    async close() {
      await sink.stop();
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

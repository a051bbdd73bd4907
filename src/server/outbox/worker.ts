// The background loop: sweep SLA deadlines and auto-close, turn new audit rows into notifications, deliver the outbox, retry stored
// callbacks and reply mails, and every few minutes walk each upstream's changed-tickets feed. The same code runs in the web process (PGlite: the only owner
// of the database) and in `npm run worker` processes on PostgreSQL, any number of them.
import type { Db } from "../db/client.ts";
import { logger, safeError } from "../logger.ts";
import { retryStoredCallbacks } from "../upstream/callbacks.ts";
import { syncAllConnections } from "../upstream/sync.ts";
import { fanOutNotifications } from "../notifications/fan-out.ts";
import { notificationDepsOf } from "../notifications/deps.ts";
import { retryStoredMails } from "../notifications/inbound-mail.ts";
import { deliverDueOutbox, type DeliveryDeps } from "./dispatcher.ts";
import { RETRY_POLICY } from "./backoff.ts";
import { sweepSla } from "../services/sla-sweep.ts";
import { forgetUnreplayableSignatures } from "../protocol/inbound-frame.ts";

export const WORKER_DEFAULTS = {
  /** How often the outbox is polled when idle: a click's request goes out within ~2 s. */
  pollMs: 2_000,
  /** The periodic reconciliation (§10.5); callbacks carry the news in between. */
  syncEveryMs: 120_000,
  /** How often protocol signatures too old to replay are forgotten. */
  forgetSignaturesEveryMs: 60_000,
  /** Rounds per tick while there is more to deliver, so one tick never runs unbounded. */
  maxRoundsPerTick: 10,
  /** The first retry's wait (doubling after); RELAYDESK_RETRY_BASE_MS. */
  retryBaseMs: RETRY_POLICY.baseMs,
} as const;

export type Worker = {
  /** Runs ticks every pollMs until stopped. */
  start(): void;
  /** One full tick (deliver until idle, stored callbacks, sync when due); for tests and the CLI. */
  tick(options?: { forceSync?: boolean }): Promise<void>;
  stop(): Promise<void>;
};

export type WorkerSettings = { pollMs: number; syncEveryMs: number; forgetSignaturesEveryMs: number; maxRoundsPerTick: number; retryBaseMs: number };

export function createWorker(db: Db, deps: DeliveryDeps, options: Partial<WorkerSettings> = {}): Worker {
  const settings: WorkerSettings = { ...WORKER_DEFAULTS, ...options };
  let lastSync = 0;
  let lastForget = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function tick(opts: { forceSync?: boolean } = {}) {
    // SLA warnings, breaches and auto-close write audit rows: sweep before the fan-out tells people.
    for (let round = 0; round < settings.maxRoundsPerTick; round++) {
      const swept = await sweepSla(db);
      if (swept.checked + swept.reminded + swept.closed === 0) break;
    }
    // Fan out first: the mails and chat messages it queues go out in this same tick.
    for (let round = 0; round < settings.maxRoundsPerTick; round++) {
      if ((await fanOutNotifications(db, notificationDepsOf(deps))) === 0) break;
    }
    for (let round = 0; round < settings.maxRoundsPerTick; round++) {
      const result = await deliverDueOutbox(db, deps, { retryBaseMs: settings.retryBaseMs });
      if (result.claimed === 0) break;
    }
    await retryStoredCallbacks(db);
    await retryStoredMails(db, notificationDepsOf(deps));
    if (Date.now() - lastForget >= settings.forgetSignaturesEveryMs) {
      lastForget = Date.now();
      await forgetUnreplayableSignatures(db, new Date());
    }
    if (opts.forceSync || Date.now() - lastSync >= settings.syncEveryMs) {
      lastSync = Date.now();
      await syncAllConnections(db, deps);
    }
  }

  async function loop() {
    if (stopped) return;
    running = tick().catch((e: unknown) => logger.error({ err: safeError(e) }, "background tick failed"));
    await running;
    if (!stopped) timer = setTimeout(loop, settings.pollMs);
  }

  return {
    tick,
    start() {
      void loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Creates and starts the loop. */
export function startWorker(db: Db, deps: DeliveryDeps, options: Partial<WorkerSettings> = {}): Worker {
  const worker = createWorker(db, deps, options);
  worker.start();
  return worker;
}

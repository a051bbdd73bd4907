import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** The kinds of HTTP door a request is counted under (a route label of low cardinality). */
export type RouteKind = "trpc" | "protocol" | "callback" | "files" | "uploads" | "auth" | "health" | "metrics";

export type Metrics = {
  registry: Registry;
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route" | "method" | "status">;
  outboxPending: Gauge<"kind">;
  outboxDead: Gauge<"kind">;
  outboxOldestPendingSeconds: Gauge<"kind">;
  slaBreachesOpen: Gauge;
  liveStreams: Gauge;
};

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "relaydesk_" });
  const labelNames = ["route", "method", "status"] as const;
  return {
    registry,
    httpRequests: new Counter({ name: "relaydesk_http_requests_total", help: "HTTP requests answered, by door (route kind), method and status.", labelNames, registers: [registry] }),
    httpDuration: new Histogram({
      name: "relaydesk_http_request_duration_seconds",
      help: "Time to the response's headers (a live stream counts until it opened), by door, method and status.",
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    outboxPending: new Gauge({ name: "relaydesk_outbox_pending", help: "Outbox rows waiting for delivery, by kind (read at scrape time).", labelNames: ["kind"], registers: [registry] }),
    outboxDead: new Gauge({ name: "relaydesk_outbox_dead", help: "Outbox rows given up on (dead letters), by kind.", labelNames: ["kind"], registers: [registry] }),
    outboxOldestPendingSeconds: new Gauge({ name: "relaydesk_outbox_oldest_pending_seconds", help: "Age of the oldest pending outbox row, by kind (0 = none).", labelNames: ["kind"], registers: [registry] }),
    slaBreachesOpen: new Gauge({ name: "relaydesk_sla_breaches_open", help: "Tickets past their nearest service-level deadline of ours, not settled yet.", registers: [registry] }),
    liveStreams: new Gauge({ name: "relaydesk_live_streams", help: "Live update streams (server-sent events) open on this process.", registers: [registry] }),
  };
}

// One registry per process, on globalThis: the production build copies modules per chunk, and a
// registry per copy would split the counts of different routes (and register default metrics twice).
const holder = globalThis as unknown as { __relaydeskMetrics?: Metrics };

export function getMetrics(): Metrics {
  holder.__relaydeskMetrics ??= createMetrics();
  return holder.__relaydeskMetrics;
}

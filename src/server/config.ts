import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { S3Settings } from "./storage/s3-store.ts";

/**
 * Every setting, read and validated once (documented in .env.example). A wrong value stops the
 * start with one line naming it — see `formatConfigError`.
 */
const optionalText = z.string().trim().optional().transform((v) => v || undefined);

const ZEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Connections each process keeps to PostgreSQL (web and worker alike). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2, "must be at least 2").max(200, "must be at most 200").default(10),
  RELAYDESK_DATA_DIR: z.string().min(1).default("./data"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url("must be a URL such as http://localhost:3000").optional(),
  RELAYDESK_DEMO_DATA: z.enum(["auto", "yes", "no"]).default("auto"),
  RELAYDESK_WORKER: z.enum(["inprocess", "off"]).optional(),
  /** The outbox's first retry wait in ms (doubling after); lowered by tests, 30 s otherwise. */
  RELAYDESK_RETRY_BASE_MS: z.coerce.number().int().min(100, "must be at least 100").max(600_000, "must be at most 600000").optional().or(z.literal("").transform(() => undefined)),
  /** Reverse proxies in front (their X-Forwarded-For is believed); read by scripts/serve.mjs. */
  TRUST_PROXY: z.string().regex(/^\d{1,2}$/, "must be the number of proxies in front (0, 1, 2 …)").optional().or(z.literal("")),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Rate-limit counters in Redis instead of the database (which stays the fallback). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Put before every Redis key, so several instances (or tests) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().max(64).default("relaydesk:"),
  /** Bearer token for GET /api/metrics; unset = the endpoint answers 404. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional().or(z.literal("").transform(() => undefined)),
  // Where files live: the data folder (one machine), or any S3 API (docs/OPERATIONS.md).
  FILE_STORE: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
  S3_ENDPOINT: z.url("must be a URL such as https://minio.example.com:9000").optional().or(z.literal("").transform(() => undefined)),
  S3_REGION: z.string().trim().min(1).default("us-east-1"),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name (3–63 lower-case letters, digits, dots, hyphens)").optional().or(z.literal("").transform(() => undefined)),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"], { error: "must be true or false" }).optional().or(z.literal("").transform(() => undefined)),
  S3_PREFIX: z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, "must be empty or folders ending in / (e.g. relaydesk/)").default(""),
  // Outgoing mail when the console has no SMTP settings (docs/NOTIFICATIONS.md).
  SMTP_HOST: optionalText,
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional().or(z.literal("").transform(() => undefined)),
  SMTP_SECURITY: z.enum(["tls", "starttls", "none"]).optional().or(z.literal("").transform(() => undefined)),
  SMTP_USER: optionalText,
  SMTP_PASSWORD: optionalText,
  MAIL_FROM: z.email("must be an e-mail address").optional().or(z.literal("").transform(() => undefined)),
  MAIL_FROM_NAME: optionalText,
  // Reply by e-mail: reply+<token>@MAIL_REPLY_DOMAIN, received by our SMTP listener.
  MAIL_REPLY_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$/i, "must be a domain name such as reply.example.com")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  MAIL_INBOUND_PORT: z.coerce.number().int().min(1).max(65535).optional().or(z.literal("").transform(() => undefined)),
  MAIL_INBOUND_HOST: z.string().min(1).default("0.0.0.0"),
});

export type AppConfig = {
  database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string; poolSize?: number };
  dataDir: string;
  authSecret: string;
  port: number;
  publicUrl: string;
  /** Load the manual's demo data into an empty database. */
  demoData: boolean;
  /** Run outbox delivery and sync inside the web process (always so on PGlite). */
  inProcessWorker: boolean;
  /** RELAYDESK_RETRY_BASE_MS when set; the outbox's own default otherwise. */
  retryBaseMs: number | undefined;
  /** REDIS_URL: rate-limit counters in Redis; null = in the database. */
  redisUrl: string | null;
  /** REDIS_KEY_PREFIX (default "relaydesk:"). */
  redisKeyPrefix: string;
  /** METRICS_TOKEN: the bearer token of GET /api/metrics; null = no metrics endpoint. */
  metricsToken: string | null;
  /** FILE_STORE: the data folder, or object storage with its settings. */
  files: { kind: "local" } | ({ kind: "s3" } & S3Settings);
  mail: MailConfig;
};

export type SmtpSettings = {
  host: string;
  port: number;
  security: "tls" | "starttls" | "none";
  user: string | null;
  password: string | null;
  fromAddress: string;
  fromName: string | null;
};

export type MailConfig = {
  /** SMTP from the environment; the console's settings, once saved, take precedence. */
  smtp: SmtpSettings | null;
  /** Domain of reply+<token>@… addresses; null = notification mails carry no reply address. */
  replyDomain: string | null;
  /** Our inbound SMTP listener for replies; null = not started. */
  inbound: { host: string; port: number } | null;
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`relaydesk: setting ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.RELAYDESK_DATA_DIR);
  const embedded = !e.DATABASE_URL;
  const authSecret = e.AUTH_SECRET ?? (embedded ? readOrCreateSecret(dataDir) : undefined);
  if (!authSecret) {
    throw new ConfigError(
      "relaydesk: setting AUTH_SECRET is required with DATABASE_URL (generate one: openssl rand -hex 32)",
    );
  }
  return {
    database: embedded
      ? { kind: "pglite", dataDir: path.join(dataDir, "pglite") }
      : { kind: "postgres", url: e.DATABASE_URL!, poolSize: e.DATABASE_POOL_SIZE },
    dataDir,
    authSecret,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    demoData: e.RELAYDESK_DEMO_DATA === "auto" ? embedded : e.RELAYDESK_DEMO_DATA === "yes",
    inProcessWorker: embedded ? true : (e.RELAYDESK_WORKER ?? "inprocess") === "inprocess",
    retryBaseMs: e.RELAYDESK_RETRY_BASE_MS,
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    metricsToken: e.METRICS_TOKEN ?? null,
    files: filesConfig(e),
    mail: mailConfig(e),
  };
}

function filesConfig(e: z.infer<typeof ZEnv>): AppConfig["files"] {
  if (e.FILE_STORE === "local") return { kind: "local" };
  if (!e.S3_BUCKET) throw new ConfigError("relaydesk: setting S3_BUCKET is required with FILE_STORE=s3");
  if (!e.S3_ACCESS_KEY_ID !== !e.S3_SECRET_ACCESS_KEY) throw new ConfigError("relaydesk: settings S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together");
  return {
    kind: "s3",
    endpoint: e.S3_ENDPOINT ?? null,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    credentials: e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : null,
    // An S3-compatible server (an endpoint of its own) nearly always wants the bucket in the path.
    forcePathStyle: e.S3_FORCE_PATH_STYLE ? e.S3_FORCE_PATH_STYLE === "true" : e.S3_ENDPOINT !== undefined,
    prefix: e.S3_PREFIX,
  };
}

function mailConfig(e: z.infer<typeof ZEnv>): MailConfig {
  if (e.SMTP_HOST && !e.MAIL_FROM) throw new ConfigError("relaydesk: setting MAIL_FROM is required with SMTP_HOST");
  const security = e.SMTP_SECURITY ?? (e.SMTP_PORT === 465 ? "tls" : "starttls");
  return {
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT ?? (security === "tls" ? 465 : 587),
          security,
          user: e.SMTP_USER ?? null,
          password: e.SMTP_PASSWORD ?? null,
          fromAddress: e.MAIL_FROM!,
          fromName: e.MAIL_FROM_NAME ?? null,
        }
      : null,
    replyDomain: e.MAIL_REPLY_DOMAIN?.toLowerCase() ?? null,
    inbound: e.MAIL_INBOUND_PORT ? { host: e.MAIL_INBOUND_HOST, port: e.MAIL_INBOUND_PORT } : null,
  };
}

/**
 * The embedded demo keeps a generated secret in its data folder so sessions survive restarts.
 * Created exclusively: whoever reads first (another module copy, a second start) gets the same one.
 */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return fs.readFileSync(file, "utf8").trim();
}

let cached: AppConfig | undefined;
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}

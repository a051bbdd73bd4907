import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Every setting, read and validated once (documented in .env.example). A wrong value stops the
 * start with one line naming it — see `formatConfigError`.
 */
const ZEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  RELAYDESK_DATA_DIR: z.string().min(1).default("./data"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url("must be a URL such as http://localhost:3000").optional(),
  RELAYDESK_DEMO_DATA: z.enum(["auto", "yes", "no"]).default("auto"),
  RELAYDESK_WORKER: z.enum(["inprocess", "off"]).optional(),
  /** Reverse proxies in front (their X-Forwarded-For is believed); read by scripts/serve.mjs. */
  TRUST_PROXY: z.string().regex(/^\d{1,2}$/, "must be the number of proxies in front (0, 1, 2 …)").optional().or(z.literal("")),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type AppConfig = {
  database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };
  dataDir: string;
  authSecret: string;
  port: number;
  publicUrl: string;
  /** Load the manual's demo data into an empty database. */
  demoData: boolean;
  /** Run outbox delivery and sync inside the web process (always so on PGlite). */
  inProcessWorker: boolean;
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
      : { kind: "postgres", url: e.DATABASE_URL! },
    dataDir,
    authSecret,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    demoData: e.RELAYDESK_DEMO_DATA === "auto" ? embedded : e.RELAYDESK_DEMO_DATA === "yes",
    inProcessWorker: embedded ? true : (e.RELAYDESK_WORKER ?? "inprocess") === "inprocess",
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

import pino from "pino";

/**
 * Structured JSON logs. Anything that could hold a secret is redacted by path, so a careless
 * `log.info({ connection })` still cannot leak one.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { app: "relaydesk" },
  redact: {
    paths: [
      "*.password",
      "*.passwordHash",
      "*.secret",
      "*.secretEncrypted",
      "*.previousSecretEncrypted",
      "*.authSecret",
      "*.secretAccessKey",
      "*.credentials",
      "headers.authorization",
      'headers["x-signature"]',
      "*.cookie",
    ],
    censor: "[redacted]",
  },
});

type Logger = typeof logger;

/**
 * What of an unexpected error may be logged. Prisma's messages quote the query's arguments
 * (passwords, secrets, message bodies), so only the name, code, the message's last line (the
 * reason) and the stack's frames are kept.
 */
export function safeError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { value: typeof e };
  const lines = e.message.trim().split("\n").filter(Boolean);
  const prismaLike = e.name.startsWith("PrismaClient");
  return {
    name: e.name,
    code: (e as { code?: unknown }).code,
    message: prismaLike ? lines.at(-1) : lines[0],
    stack: e.stack?.split("\n").filter((l) => l.trimStart().startsWith("at ")).slice(0, 8).join("\n"),
  };
}

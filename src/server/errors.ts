/**
 * The one error model (STYLE.md). Services throw AppError; the tRPC error formatter and the
 * protocol route handlers map it to their transport in one place each. `messageKey` names a
 * sentence in src/messages/<locale>/errors.json so the user reads it in their language; `detail`
 * is for logs only and never reaches a client.
 */
export type AppErrorCode =
  | "VALIDATION"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT" // compare-and-set lost: the ticket changed, reload
  | "RULE_VIOLATION" // a domain rule (R1–R10) refused the action
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "UPSTREAM_UNAVAILABLE"
  | "INTERNAL";

export type MessageParams = Record<string, string | number>;

/**
 * `instanceof` compares classes, and a bundle may hold several copies of this module (one per
 * server chunk): an AppError made in one copy must still be one in another. The brand is a
 * registered symbol, the same in every copy.
 */
const APP_ERROR = Symbol.for("relaydesk.AppError");

export class AppError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
  }
  readonly [APP_ERROR] = true;
  readonly code: AppErrorCode;
  readonly messageKey: string;
  readonly params: MessageParams;
  /** The rule a RULE_VIOLATION names, e.g. "R5". */
  readonly rule?: string;
  readonly detail?: string;

  constructor(
    code: AppErrorCode,
    messageKey: string,
    opts: { params?: MessageParams; rule?: string; detail?: string } = {},
  ) {
    super(`${code}: ${messageKey}${opts.detail ? ` (${opts.detail})` : ""}`);
    this.name = "AppError";
    this.code = code;
    this.messageKey = messageKey;
    this.params = opts.params ?? {};
    this.rule = opts.rule;
    this.detail = opts.detail;
  }
}

export const notFound = (what = "ticket") => new AppError("NOT_FOUND", `errors.notFound.${what}`);
export const conflict = () => new AppError("CONFLICT", "errors.conflict");
export const validation = (messageKey: string, params?: MessageParams) =>
  new AppError("VALIDATION", messageKey, { params });

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

const prismaCode = (e: unknown) => (typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined);

/** Prisma's unique violation, whatever the driver (PGlite reports `fields`, pg `index`). */
export function isUniqueViolation(e: unknown): boolean {
  return prismaCode(e) === "P2002";
}

/** The database was too busy to start (or finish) a transaction in time; it was rolled back whole. */
export function isTransactionTimeout(e: unknown): boolean {
  return prismaCode(e) === "P2028";
}

/** A deadlock or serialization failure (PostgreSQL 40P01 / 40001): retry the whole transaction. */
export function isWriteConflict(e: unknown): boolean {
  return prismaCode(e) === "P2034";
}

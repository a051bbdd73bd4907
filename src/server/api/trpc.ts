import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Db } from "../db/client.ts";
import { AppError, isAppError, type AppErrorCode } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import type { RateLimits } from "../rate-limits.ts";
import type { LiveHub } from "../services/live-service.ts";
import type { Viewer } from "../viewer.ts";
import { translate, type Locale } from "@/i18n/messages";
import { LIVE_MAX_STREAM_MS, LIVE_PING_MS } from "@/lib/live";

/** Everything a procedure may use. Built per request by context.ts (and by tests directly). */
export type Context = {
  db: Db;
  viewer: Viewer;
  locale: Locale;
  timeZone: string;
  /** The shared rate limiters (database-backed), built from `db`. */
  limits: RateLimits;
  /** The client's address as the server resolved it (TRUST_PROXY), for per-address limits. */
  clientAddress: string;
  /** The process's live fan-out (subscriptions); tests hand in their own. */
  live: LiveHub;
};

const TRPC_CODE: Record<AppErrorCode, TRPCError["code"]> = {
  VALIDATION: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RULE_VIOLATION: "PRECONDITION_FAILED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UPSTREAM_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Live streams (docs/LIVE.md): a stream lives at most LIVE_MAX_STREAM_MS, then the browser
  // reconnects and resumes from its last event id; pings keep proxies from idling it out.
  sse: {
    maxDurationMs: LIVE_MAX_STREAM_MS,
    ping: { enabled: true, intervalMs: LIVE_PING_MS },
    client: { reconnectAfterInactivityMs: LIVE_PING_MS * 3 },
  },
  /**
   * The one place errors meet the client: a sentence in the viewer's language, the AppError code
   * and rule; zod issues as field → message. Never a stack trace.
   */
  errorFormatter({ shape, error }) {
    const app = error.cause instanceof AppError ? error.cause : undefined;
    return {
      message: error.message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        appCode: app?.code ?? null,
        rule: app?.rule ?? null,
        fieldErrors: (error as { fieldErrors?: Record<string, string> }).fieldErrors ?? null,
      },
    };
  },
});

/**
 * The one place errors meet the client (HTTP and server-side callers alike): AppError → TRPCError
 * with a sentence in the viewer's language; zod issues → field → message; anything unexpected is
 * logged and reported as an internal error. Never a stack trace.
 */
const errorMapping = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  const locale = ctx.locale;
  if (isAppError(cause)) {
    if (cause.code === "INTERNAL") logger.error({ path, detail: cause.detail }, "internal error");
    result.error = new TRPCError({ code: TRPC_CODE[cause.code], message: translate(locale, cause.messageKey, cause.params), cause });
  } else if (cause instanceof ZodError) {
    const error = new TRPCError({ code: "BAD_REQUEST", message: translate(locale, "errors.validation"), cause });
    Object.assign(error, {
      fieldErrors: Object.fromEntries(
        cause.issues.map((i) => [
          i.path.join("."),
          // Schemas may name a message key ("errors.phoneInvalid"); zod's own texts are English.
          translate(locale, /^[a-z]+\.[\w.]+$/.test(i.message) ? i.message : "errors.invalidField"),
        ]),
      ),
    });
    result.error = error;
  } else if (result.error.code === "INTERNAL_SERVER_ERROR") {
    logger.error({ path, err: safeError(cause ?? result.error) }, "unhandled error in procedure");
    result.error = new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: translate(locale, "errors.internal") });
  } else {
    result.error = new TRPCError({ code: result.error.code, message: translate(locale, `errors.trpc.${result.error.code}`) });
  }
  return result;
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(errorMapping);

/** A signed-in member (会员) of the portal. */
export const memberProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.kind !== "member") throw new AppError(ctx.viewer.kind === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN", ctx.viewer.kind === "anonymous" ? "errors.unauthorized" : "errors.forbidden");
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

/** Any active staff member (客服) of the console. */
export const staffProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.kind !== "staff") throw new AppError(ctx.viewer.kind === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN", ctx.viewer.kind === "anonymous" ? "errors.unauthorized" : "errors.forbidden");
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

/** Anyone signed in, member or staff (e.g. their own notifications). */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.kind === "anonymous") throw new AppError("UNAUTHORIZED", "errors.unauthorized");
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

/** The super admin (超级管理员) only: staff accounts, upstreams, partners. */
export const superAdminProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.role !== "SUPER_ADMIN") throw new AppError("FORBIDDEN", "errors.superAdminOnly");
  return next({ ctx });
});

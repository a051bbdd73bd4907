import type { AppErrorCode } from "../errors.ts";
import { AppError, isAppError } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import { resolveLocale, translate, type Locale } from "@/i18n/messages";

/** The same status for each AppError code as the tRPC side reports, so both doors agree. */
const HTTP_STATUS: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RULE_VIOLATION: 412,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The language switch's cookie, as the pages and tRPC read it (default zh-CN). */
export function requestLocale(req: Request): Locale {
  const match = /(?:^|;\s*)locale=([^;]*)/.exec(req.headers.get("cookie") ?? "");
  return resolveLocale(match ? decodeURIComponent(match[1]!) : undefined);
}

/** `{ error: { code, message } }` with a sentence in the viewer's language; never a stack trace. */
export function errorResponse(e: unknown, locale: Locale, where: string): Response {
  const error = isAppError(e) ? e : new AppError("INTERNAL", "errors.internal");
  if (!isAppError(e)) logger.error({ where, err: safeError(e) }, "unhandled error in route handler");
  return Response.json(
    { error: { code: error.code, message: translate(locale, error.messageKey, error.params) } },
    { status: HTTP_STATUS[error.code], headers: { "Cache-Control": "no-store" } },
  );
}

/**
 * RFC 6266 / 5987: an ASCII fallback for old clients plus the exact UTF-8 name, so
 * "截图 1.png" arrives as itself and no quote or line break can break out of the header.
 */
export function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

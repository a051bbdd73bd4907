/**
 * The browser-facing security rules of every web door, as pure functions the proxy applies
 * (src/proxy.ts): the Content-Security-Policy with a per-request nonce, the other security
 * headers, and the Origin check on state-changing requests. Listed in docs/SECURITY.md.
 */

/** Pages: scripts only from us or carrying this response's nonce (Next adds it to its own). */
export function contentSecurityPolicy(nonce: string, opts: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    // React and Next set style attributes (the route announcer); styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // blob: for the icon preview before upload; attachments and icons come from us.
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** No feature a support desk does not use: camera, microphone, location, payment … */
export const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=(), interest-cohort=()";

/** HSTS only when the instance is served over https (PUBLIC_URL), never on a plain-http demo. */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  return publicUrl?.startsWith("https://") ? "max-age=31536000; includeSubDomains" : null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request a browser sent on behalf of another site (CSRF), which the session
 * cookie would otherwise authorize: its Origin is neither this instance's public address nor
 * the host it was sent to; without an Origin, Sec-Fetch-Site says it came from elsewhere.
 * The signed upstream protocol carries no cookie and is called server to server: not checked.
 */
export function isCrossSiteWrite(
  req: { method: string; url: string; headers: { get(name: string): string | null } },
  publicUrl: string | undefined,
): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  const url = new URL(req.url);
  if (url.pathname.startsWith("/api/upstream/")) return false;
  const origin = req.headers.get("origin");
  if (origin) {
    const host = req.headers.get("host");
    const allowed = new Set([url.origin, ...(host ? [`${url.protocol}//${host}`] : []), ...(publicUrl ? [new URL(publicUrl).origin] : [])]);
    return !allowed.has(origin);
  }
  const site = req.headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

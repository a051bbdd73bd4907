import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, isCrossSiteWrite, PERMISSIONS_POLICY, strictTransportSecurity } from "@/server/http/web-security";
import { resolveLocale, translate } from "@/i18n/messages";

/**
 * Runs before every request: refuses cross-site writes (CSRF) to any cookie-authenticated
 * endpoint, and gives pages a fresh CSP nonce (Next puts it on its own scripts) plus HSTS when
 * served over https.
 */
export function proxy(request: NextRequest) {
  const publicUrl = process.env.PUBLIC_URL;
  if (isCrossSiteWrite(request, publicUrl)) {
    const locale = resolveLocale(request.cookies.get("locale")?.value);
    return NextResponse.json(
      { error: { code: "FORBIDDEN", message: translate(locale, "errors.crossSiteRequest") } },
      { status: 403, headers: { "Cache-Control": "no-store" } },
    );
  }
  const hsts = strictTransportSecurity(publicUrl);
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const response = NextResponse.next();
    if (hsts) response.headers.set("Strict-Transport-Security", hsts);
    return response;
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, { https: !!hsts, dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("Permissions-Policy", PERMISSIONS_POLICY);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

/**
 * Not the machine doors: the signed upstream protocol, the health check and the metrics scrape
 * carry no session cookie (nothing for the CSRF check to protect) and render no page (no CSP).
 */
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/upstream/|api/health|api/metrics).*)"],
};

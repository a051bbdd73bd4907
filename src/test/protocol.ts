import { freshSigningTime } from "./fresh-signing-time";
import { signedHeaders } from "@/server/protocol/signature";
import {
  attachmentEndpoint,
  closeEndpoint,
  createTicketEndpoint,
  escalateEndpoint,
  getTicketEndpoint,
  listChangedEndpoint,
  postMessageEndpoint,
} from "@/server/partners/protocol-endpoints";
import type { ProtocolEnv, ProtocolHandler } from "@/server/partners/partner-door";

/**
 * Routes a Request the way Next's file-system router does for src/app/api/upstream/v1/tickets/…,
 * so tests exercise the very handlers the route files export, with real signed requests.
 */
const ROUTES: { method: string; pattern: RegExp; handler: ProtocolHandler; names: string[] }[] = [
  { method: "POST", pattern: /^\/api\/upstream\/v1\/tickets$/, handler: createTicketEndpoint, names: [] },
  { method: "GET", pattern: /^\/api\/upstream\/v1\/tickets$/, handler: listChangedEndpoint, names: [] },
  { method: "GET", pattern: /^\/api\/upstream\/v1\/tickets\/([^/]+)$/, handler: getTicketEndpoint, names: ["guid"] },
  { method: "POST", pattern: /^\/api\/upstream\/v1\/tickets\/([^/]+)\/messages$/, handler: postMessageEndpoint, names: ["guid"] },
  { method: "POST", pattern: /^\/api\/upstream\/v1\/tickets\/([^/]+)\/escalate$/, handler: escalateEndpoint, names: ["guid"] },
  { method: "POST", pattern: /^\/api\/upstream\/v1\/tickets\/([^/]+)\/close$/, handler: closeEndpoint, names: ["guid"] },
  { method: "GET", pattern: /^\/api\/upstream\/v1\/tickets\/([^/]+)\/attachments\/([^/]+)$/, handler: attachmentEndpoint, names: ["guid", "sha256"] },
];

export function dispatch(env: ProtocolEnv, req: Request): Promise<Response> {
  const url = new URL(req.url);
  for (const route of ROUTES) {
    const m = route.pattern.exec(url.pathname);
    if (m && route.method === req.method) {
      return route.handler(req, env, Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])));
    }
  }
  throw new Error(`no route for ${req.method} ${url.pathname}`);
}

export type Credentials = { partnerId: string; keyId: string; secret: string };

/**
 * A request signed exactly as a downstream would sign it (string bodies are sent verbatim). Two
 * identical requests are two attempts (freshSigningTime); pass the same `now` to sign a replay.
 */
export function signedRequest(
  creds: Credentials,
  method: "GET" | "POST",
  pathWithQuery: string,
  body?: unknown,
  opts: { now?: Date; headers?: Record<string, string>; rawBody?: string | Uint8Array } = {},
): Request {
  const raw = opts.rawBody ?? (body === undefined ? "" : JSON.stringify(body));
  const headers = { ...signedHeaders({ ...creds, method, pathWithQuery, body: raw, now: opts.now ?? freshSigningTime(`${creds.secret} ${method} ${pathWithQuery} ${typeof raw === "string" ? raw : Buffer.from(raw).toString("base64")}`) }), ...opts.headers };
  return new Request(`http://upstream.test${pathWithQuery}`, { method, headers, body: method === "GET" ? undefined : typeof raw === "string" ? raw : Buffer.from(raw) });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

// The production web server: Next's request handler on our own HTTP server. Two things
// `next start` cannot do:
// - tell the app the client's real address (the TCP peer, or what TRUST_PROXY proxies report) in
//   the x-relaydesk-client header — one no client can set, because it is overwritten here;
// - order the stop (SIGTERM, Ctrl-C): stop taking connections, let requests in flight finish,
//   stop background work, close the database (PGlite flushed, its lock released), exit.
import http from "node:http";
import path from "node:path";
import { parseTrustProxy, resolveClientAddress } from "./client-address.mjs";

const CLIENT_HEADER = "x-relaydesk-client";
let trustProxy;
try {
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

process.env.NODE_ENV = "production";
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = Number(process.env.PORT ?? 3000);
/** Requests still running after this are cut off (long polls, streams); then the database closes. */
const GRACE_MS = Number(process.env.RELAYDESK_SHUTDOWN_GRACE_MS ?? 10_000);

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  req.headers[CLIENT_HEADER] = resolveClientAddress({ socketAddress: req.socket.remoteAddress, forwardedFor: req.headers["x-forwarded-for"], trustProxy });
  if (!trustProxy) {
    // Next fills these from the connection only when absent: a client must not claim them.
    delete req.headers["x-forwarded-for"];
    delete req.headers["x-forwarded-proto"];
    delete req.headers["x-forwarded-host"];
  }
  void handle(req, res);
});
server.keepAliveTimeout = 65_000; // longer than a reverse proxy's idle pool, so it never reuses a closing socket
server.listen(port, () => console.log(`relaydesk: listening on http://localhost:${port}`));

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`relaydesk: ${signal}: finishing requests, then closing the database`);
  const closed = new Promise((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cutOff = setTimeout(() => server.closeAllConnections(), GRACE_MS);
  await closed;
  clearTimeout(cutOff);
  try {
    await app.close();
    // Registered by the app's start-up (src/server/bootstrap.ts): background work, then the database.
    await globalThis.__relaydeskShutdown?.();
  } catch (e) {
    console.error(`relaydesk: error while stopping: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void shutdown(signal));

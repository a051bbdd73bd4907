#!/usr/bin/env node
// The production web server: Next's request handler behind a plain Node HTTP server, so the
// application learns the client's real address (the TCP peer, or what TRUST_PROXY proxies
// report) in the x-relaydesk-client header — a header no client can set, because it is
// overwritten here on every request. `next start` cannot tell the app the peer address.
import http from "node:http";
import path from "node:path";
import next from "next";
import { parseTrustProxy, resolveClientAddress } from "./client-address.mjs";

const CLIENT_HEADER = "x-relaydesk-client";

let trustProxy;
try {
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

const app = next({ dev: false, dir, port, hostname });
await app.prepare();
const handle = app.getRequestHandler();

http
  .createServer((req, res) => {
    req.headers[CLIENT_HEADER] = resolveClientAddress({
      socketAddress: req.socket.remoteAddress,
      forwardedFor: req.headers["x-forwarded-for"],
      trustProxy,
    });
    if (!trustProxy) {
      // Next fills these from the connection only when absent: a client must not claim them.
      delete req.headers["x-forwarded-for"];
      delete req.headers["x-forwarded-proto"];
      delete req.headers["x-forwarded-host"];
    }
    handle(req, res);
  })
  .listen(port, hostname, () => console.log(`relaydesk: listening on http://localhost:${port}`));

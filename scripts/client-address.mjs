// The client's address as the web server sees it. Only the proxies TRUST_PROXY counts are
// believed: each appends the address it received the request from to X-Forwarded-For, so the
// client is the entry that many places from the right of (X-Forwarded-For + the TCP peer).
// With TRUST_PROXY=0 (the default) X-Forwarded-For is ignored: anyone can send one.

/** TRUST_PROXY: the number of reverse proxies in front of this server (0 = none, the default). */
export function parseTrustProxy(value) {
  if (value === undefined || value === "") return 0;
  if (!/^\d{1,2}$/.test(value)) throw new Error(`relaydesk: setting TRUST_PROXY must be the number of proxies in front (0, 1, 2 …), not "${value}"`);
  return Number(value);
}

const normalize = (address) => (address ?? "").trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");

export function resolveClientAddress({ socketAddress, forwardedFor, trustProxy }) {
  const peer = normalize(socketAddress) || "unknown";
  if (!trustProxy) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map(normalize)
    .filter(Boolean);
  const chain = [...hops, peer];
  return chain[Math.max(0, chain.length - 1 - trustProxy)];
}

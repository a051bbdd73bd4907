/**
 * The header our server (scripts/serve.mjs) sets on every request to the client's address: the
 * TCP peer, or — only when TRUST_PROXY names the proxies in front — the address those proxies
 * report. Whatever a client sends under this name is overwritten there, so it cannot be forged.
 */
export const CLIENT_ADDRESS_HEADER = "x-relaydesk-client";

type HeaderSource = Headers | { get(name: string): string | null } | Record<string, unknown> | undefined;

export function clientAddressOf(headers: HeaderSource): string {
  const raw =
    headers && typeof (headers as Headers).get === "function"
      ? (headers as Headers).get(CLIENT_ADDRESS_HEADER)
      : (headers as Record<string, unknown> | undefined)?.[CLIENT_ADDRESS_HEADER];
  const value = typeof raw === "string" ? raw.trim() : "";
  // An address is short and plain; anything else (or nothing: not behind our server) is "unknown".
  return /^[0-9A-Za-z.:%_-]{1,64}$/.test(value) ? value : "unknown";
}

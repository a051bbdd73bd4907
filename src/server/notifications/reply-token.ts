// Reply addresses: reply+<ticket>.<member>.<signature>@<reply domain>. The signature (HMAC-SHA256
// under a key derived from AUTH_SECRET, 96 bits in lower-case hex) makes the address name its
// ticket and member without guessing: nobody can forge one for another ticket. Lower-case hex
// survives mail systems that fold the case of local parts.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

const HKDF_INFO = "relaydesk/mail-reply-token/v1";
const SIGNATURE_HEX = 24;

function signature(authSecret: string, ticketId: number, memberId: number): string {
  const key = Buffer.from(hkdfSync("sha256", authSecret, "relaydesk", HKDF_INFO, 32));
  return createHmac("sha256", key).update(`reply/v1:${ticketId}:${memberId}`).digest("hex").slice(0, SIGNATURE_HEX);
}

export function replyAddress(authSecret: string, domain: string, ticketId: number, memberId: number): string {
  return `reply+${ticketId}.${memberId}.${signature(authSecret, ticketId, memberId)}@${domain}`;
}

/** The ticket and member an address names, or null when it is not one of ours (or is forged). */
export function parseReplyAddress(authSecret: string, address: string, domain: string | null): { ticketId: number; memberId: number } | null {
  const m = /^reply\+(\d{1,10})\.(\d{1,10})\.([0-9a-f]+)@([^@\s>]+)$/i.exec(address.trim().replace(/^<|>$/g, ""));
  if (!m) return null;
  if (domain && m[4]!.toLowerCase() !== domain.toLowerCase()) return null;
  const ticketId = Number(m[1]);
  const memberId = Number(m[2]);
  const expected = Buffer.from(signature(authSecret, ticketId, memberId));
  const given = Buffer.from(m[3]!.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ticketId, memberId } : null;
}

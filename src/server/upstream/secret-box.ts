// Upstream secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from AUTH_SECRET, so a
// database dump alone never yields a credential. The secret is written once and never shown again.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const FORMAT = "v1";
// Distinct `info` per purpose: the same AUTH_SECRET also signs sessions; keys must never coincide.
const INFO = "relaydesk/upstream-connection-secret/v1";
const SALT = "relaydesk";

function keyFrom(authSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret, SALT, INFO, 32));
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url parts; a fresh 96-bit IV each time. */
export function encryptSecret(authSecret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(authSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [FORMAT, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** Throws on a wrong key or a tampered value: GCM authenticates, so garbage never decrypts. */
export function decryptSecret(authSecret: string, sealed: string): string {
  const [format, iv, tag, ciphertext] = sealed.split(".");
  if (format !== FORMAT || !iv || !tag || ciphertext === undefined) throw new Error("unsupported secret format");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(authSecret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

// Secrets at rest (partner secrets here; upstream connection secrets on the escalation side):
// AES-256-GCM under a key derived from the instance's AUTH_SECRET with HKDF, so a database dump
// alone reveals no secret. Shared helper: import it rather than rolling another one.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const FORMAT = "v1";
const IV_BYTES = 12; // GCM's standard nonce size
const TAG_BYTES = 16;
/** Changing this label re-keys every stored secret: never change it, add a v2 instead. */
const HKDF_INFO = "relaydesk/secret-box/v1";
const HKDF_SALT = "relaydesk";

export type SecretBox = {
  /** "v1.<iv>.<tag>.<ciphertext>", base64url parts; a fresh random IV every call. */
  seal(plaintext: string): string;
  /** Throws on a tampered value or a value sealed under another AUTH_SECRET. */
  open(sealed: string): string;
};

/**
 * The last key derived, with its instance secret: every signed protocol request, mail and chat
 * delivery opens a secret, and HKDF each time was a measurable share of the protocol door's CPU.
 * A pure function of the secret (a process has one; a test switching secrets derives anew), so a
 * copy of this module in another bundle only derives its own.
 */
let lastKey: { authSecret: string; key: Buffer } | undefined;

function keyFor(authSecret: string): Buffer {
  if (lastKey?.authSecret !== authSecret) lastKey = { authSecret, key: Buffer.from(hkdfSync("sha256", authSecret, HKDF_SALT, HKDF_INFO, 32)) };
  return lastKey.key;
}

export function createSecretBox(authSecret: string): SecretBox {
  if (authSecret.length < 16) throw new TypeError("secret box: the instance secret is too short");
  const key = keyFor(authSecret);
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [FORMAT, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
    },
    open(sealed) {
      const [format, iv, tag, ciphertext] = sealed.split(".");
      if (format !== FORMAT || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error("secret box: not a sealed value");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}

/** A new shared secret for a partnership: 256 random bits, URL-safe so it pastes cleanly. */
export function generateSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** The box keyed by this instance's AUTH_SECRET (read lazily, so importing has no side effect). */
export async function getInstanceSecretBox(): Promise<SecretBox> {
  const { getConfig } = await import("../config.ts");
  return createSecretBox(getConfig().authSecret);
}

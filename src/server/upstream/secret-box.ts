// Upstream connection secrets at rest: the instance's one secret box (src/server/crypto), so
// connection and partner secrets share a single, reviewed implementation.
import { createSecretBox } from "../crypto/secret-box.ts";

export function encryptSecret(authSecret: string, plaintext: string): string {
  return createSecretBox(authSecret).seal(plaintext);
}

/** Throws on a wrong key or a tampered value: GCM authenticates, so garbage never decrypts. */
export function decryptSecret(authSecret: string, sealed: string): string {
  return createSecretBox(authSecret).open(sealed);
}

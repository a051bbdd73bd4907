// What the escalation services need from outside the database, passed in rather than imported so
// tests run them against a real test peer with their own keys, and the worker with its own config.
import type { AppConfig } from "../config.ts";
import type { ConnectionWithSecret } from "../db/repos/upstream.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { blobStoreFromConfig, type StoreConfig } from "../storage/from-config.ts";
import { createUpstreamClient, type SentObserver, type UpstreamClient, type UpstreamCredentials } from "./client.ts";
import { PROTOCOL_TIMEOUT_MS } from "../protocol/outbound-sender.ts";
import { createSecretBox } from "../crypto/secret-box.ts";
import { PROTOCOL_BASE_PATH } from "../protocol/schemas.ts";

export type UpstreamDeps = {
  /** Derives the key that seals connection secrets. */
  authSecret: string;
  /** Where upstreams call us back (advisory `callbackUrl` in a create). */
  publicUrl: string;
  /** The same content-addressed store uploads go to. */
  files: BlobStore;
  createClient: (credentials: UpstreamCredentials, onSent?: SentObserver) => UpstreamClient;
};

export function upstreamDepsFromConfig(config: Pick<AppConfig, "authSecret" | "publicUrl"> & StoreConfig): UpstreamDeps {
  return {
    authSecret: config.authSecret,
    publicUrl: config.publicUrl,
    files: blobStoreFromConfig(config),
    createClient: (credentials, onSent) => createUpstreamClient(credentials, PROTOCOL_TIMEOUT_MS, onSent),
  };
}

export function clientForConnection(
  deps: UpstreamDeps,
  connection: Pick<ConnectionWithSecret, "baseUrl" | "partnerId" | "keyId" | "secretEncrypted">,
  onSent?: SentObserver,
): UpstreamClient {
  return deps.createClient({
    baseUrl: connection.baseUrl,
    partnerId: connection.partnerId,
    keyId: connection.keyId,
    secret: createSecretBox(deps.authSecret).open(connection.secretEncrypted),
  }, onSent);
}

/** The URL an upstream registers for our callbacks; it names the connection (partner ids may collide). */
export function callbackPath(connectionId: number): string {
  return `${PROTOCOL_BASE_PATH}/callbacks/${connectionId}`;
}

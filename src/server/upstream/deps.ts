// What the escalation services need from outside the database, passed in rather than imported so
// tests run them against a real test peer with their own keys, and the worker with its own config.
import type { AppConfig } from "../config.ts";
import type { ConnectionWithSecret } from "../db/repos/upstream.ts";
import path from "node:path";
import type { BlobStore } from "../storage/blob-store.ts";
import { LocalDiskBlobStore } from "../storage/local-disk-store.ts";
import { REQUEST_TIMEOUT_MS, createUpstreamClient, type SentObserver, type UpstreamClient, type UpstreamCredentials } from "./client.ts";
import { decryptSecret } from "./secret-box.ts";
import { PROTOCOL_BASE_PATH } from "./protocol.ts";

export type UpstreamDeps = {
  /** Derives the key that seals connection secrets. */
  authSecret: string;
  /** Where upstreams call us back (advisory `callbackUrl` in a create). */
  publicUrl: string;
  /** The same content-addressed store uploads go to. */
  files: BlobStore;
  createClient: (credentials: UpstreamCredentials, onSent?: SentObserver) => UpstreamClient;
};

export function upstreamDepsFromConfig(config: Pick<AppConfig, "authSecret" | "publicUrl" | "dataDir">): UpstreamDeps {
  return {
    authSecret: config.authSecret,
    publicUrl: config.publicUrl,
    files: new LocalDiskBlobStore(path.join(config.dataDir, "files")),
    createClient: (credentials, onSent) => createUpstreamClient(credentials, REQUEST_TIMEOUT_MS, onSent),
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
    secret: decryptSecret(deps.authSecret, connection.secretEncrypted),
  }, onSent);
}

/** The URL an upstream registers for our callbacks; it names the connection (partner ids may collide). */
export function callbackPath(connectionId: number): string {
  return `${PROTOCOL_BASE_PATH}/callbacks/${connectionId}`;
}

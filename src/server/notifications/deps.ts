// What notification delivery needs from outside the database, handed in (tests pass their own
// clock; the worker and the web process build it from the configuration).
import type { AppConfig, SmtpSettings } from "../config.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { blobStoreFromConfig, type StoreConfig } from "../storage/from-config.ts";

export type NotificationDeps = {
  /** Seals SMTP passwords and robot secrets; keys the reply-address tokens. */
  authSecret: string;
  /** Links in mails and chat messages point here. */
  publicUrl: string;
  /** Raw inbound mails and their attachments (the same content-addressed store as uploads). */
  files: BlobStore;
  /** SMTP settings from the environment, used while the console has none. */
  envSmtp: SmtpSettings | null;
  /** Domain of reply+<token>@… addresses; null = mails carry no reply address. */
  replyDomain: string | null;
  now: () => Date;
  fetch: typeof fetch;
};

export function notificationDepsFromConfig(config: Pick<AppConfig, "authSecret" | "publicUrl" | "mail"> & StoreConfig): NotificationDeps {
  return {
    authSecret: config.authSecret,
    publicUrl: config.publicUrl,
    files: blobStoreFromConfig(config),
    envSmtp: config.mail.smtp,
    replyDomain: config.mail.replyDomain,
    now: () => new Date(),
    fetch: (input, init) => fetch(input, init),
  };
}

/** The worker's delivery deps carry notification deps; tests that pass only upstream deps get these. */
export function notificationDepsOf(deps: { authSecret: string; publicUrl: string; files: BlobStore; notifications?: NotificationDeps }): NotificationDeps {
  return (
    deps.notifications ?? {
      authSecret: deps.authSecret,
      publicUrl: deps.publicUrl,
      files: deps.files,
      envSmtp: null,
      replyDomain: null,
      now: () => new Date(),
      fetch: (input, init) => fetch(input, init),
    }
  );
}

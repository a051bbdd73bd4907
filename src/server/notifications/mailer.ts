// Outgoing mail over SMTP (nodemailer). Settings come from the console (MailSettings, the password
// sealed with the instance key) or, until the super admin saves some, from the environment.
import nodemailer from "nodemailer";
import type { SmtpSettings } from "../config.ts";
import type { DbOrTx } from "../db/client.ts";
import { findMailSettings } from "../db/repos/notification-channels.ts";
import { createSecretBox } from "../crypto/secret-box.ts";
import type { NotificationDeps } from "./deps.ts";

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo?: string;
  messageId?: string;
  references?: string;
  headers?: Record<string, string>;
};

/** The settings in force: the console's when saved (and enabled), else the environment's, else none. */
export async function resolveSmtp(db: DbOrTx, deps: Pick<NotificationDeps, "authSecret" | "envSmtp">): Promise<SmtpSettings | null> {
  const row = await findMailSettings(db);
  if (!row) return deps.envSmtp;
  if (!row.enabled) return null;
  return {
    host: row.host,
    port: row.port,
    security: row.security === "tls" || row.security === "none" ? row.security : "starttls",
    user: row.user,
    password: row.passwordEncrypted ? createSecretBox(deps.authSecret).open(row.passwordEncrypted) : null,
    fromAddress: row.fromAddress,
    fromName: row.fromName,
  };
}

/** Sends one mail; throws nodemailer's error (classified by mailFailure). */
export async function sendMail(settings: SmtpSettings, mail: OutgoingMail): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.user ? { user: settings.user, pass: settings.password ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      replyTo: mail.replyTo,
      messageId: mail.messageId,
      references: mail.references,
      inReplyTo: mail.references,
      headers: mail.headers,
    });
  } finally {
    transport.close();
  }
}

type SmtpError = { code?: string; responseCode?: number; response?: string; message?: string };

/**
 * A permanent refusal (5xx for the recipient or the message) is dead at once; anything else —
 * no connection, a timeout, 4xx, a refused login the admin may still fix — is retried.
 */
export function mailFailure(e: unknown): { ok: false; retryable: boolean; error: string } {
  const err = (e ?? {}) as SmtpError;
  const detail = (err.response ?? err.message ?? String(e)).replace(/\s+/g, " ").slice(0, 300);
  const code = err.responseCode;
  const permanent = code !== undefined && code >= 500 && err.code !== "EAUTH";
  return { ok: false, retryable: !permanent, error: `SMTP ${code ?? err.code ?? "error"}: ${detail}` };
}

/** The domain our Message-IDs are minted under (the from-address's). */
export function mailDomain(settings: Pick<SmtpSettings, "fromAddress">): string {
  return settings.fromAddress.split("@").pop()!.toLowerCase();
}

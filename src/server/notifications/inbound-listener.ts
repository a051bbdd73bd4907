// Our inbound SMTP listener for reply mails (smtp-server). It accepts mail only for valid
// reply+<token>@<reply domain> recipients — never an open relay — with no AUTH (it is the
// domain's MX, or sits behind one); STARTTLS is left to a fronting MTA (docs/NOTIFICATIONS.md).
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
import type { Db } from "../db/client.ts";
import { logger, safeError } from "../logger.ts";
import type { NotificationDeps } from "./deps.ts";
import { MAX_INBOUND_BYTES, receiveInboundMail, replyTargetOf } from "./inbound-mail.ts";

export type InboundListener = { port: number; close(): Promise<void> };

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

function readAll(stream: SMTPServerDataStream): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("end", () => resolve(stream.sizeExceeded ? null : Buffer.concat(chunks)));
  });
}

export async function startInboundListener(db: Db, deps: NotificationDeps, at: { host: string; port: number }): Promise<InboundListener> {
  const server = new SMTPServer({
    name: deps.replyDomain ?? "relaydesk",
    banner: "Relaydesk reply mail",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_INBOUND_BYTES,
    disableReverseLookup: true,
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!replyTargetOf(deps, [address.address])) return callback(smtpError(550, "5.1.1 No such reply address"));
      callback();
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(552, "5.3.4 Message too big"));
          const answer = await receiveInboundMail(db, deps, { raw, recipients: session.envelope.rcptTo.map((r) => r.address) });
          if (answer.code === 250) return callback(null, answer.message);
          callback(smtpError(answer.code, answer.message));
        })
        .catch((e: unknown) => {
          logger.error({ err: safeError(e) }, "reply mail could not be received");
          callback(smtpError(451, "4.3.0 Temporary failure, please try again later"));
        });
    },
  });
  server.on("error", (e) => logger.warn({ err: safeError(e) }, "inbound mail listener error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port, at.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : at.port;
  logger.info({ port }, "inbound reply mail listener started");
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

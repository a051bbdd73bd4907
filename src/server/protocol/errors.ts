import { HTTP_STATUS_FOR_ERROR, type ProtocolErrorBody, type ProtocolErrorCode } from "./schemas.ts";
import { isAppError } from "../errors.ts";

/**
 * An answer of the protocol's error table (docs/UPSTREAM_PROTOCOL.md §8). Machine-facing: the
 * message is English prose for the partner's logs, the code is what it acts on.
 */
export class ProtocolError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ProtocolError";
    this.status = HTTP_STATUS_FOR_ERROR[code];
  }

  toBody(): ProtocolErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

export const notFoundError = () => new ProtocolError("not_found", "No such ticket for this partner.");
export const upstreamClosedError = () =>
  new ProtocolError("upstream_closed", "The upstream closed this ticket; it can no longer be escalated.");
export const ticketFinishedError = () =>
  new ProtocolError("ticket_finished", "The ticket was closed by the partner; nothing more is accepted.");

/**
 * The lifecycle table's refusals, seen from the partner: our side closed it (R4) or the partner
 * finished it (R5). Anything else is not a partner's mistake and stays an internal error.
 */
export function protocolErrorForRule(e: unknown): ProtocolError | null {
  if (!isAppError(e) || e.code !== "RULE_VIOLATION") return null;
  const reason = e.messageKey.replace(/^errors\.rules\./, "");
  if (reason === "UPSTREAM_CLOSED" || reason === "PARTNER_CLOSED") return upstreamClosedError();
  if (reason === "TICKET_FINISHED") return ticketFinishedError();
  return null;
}

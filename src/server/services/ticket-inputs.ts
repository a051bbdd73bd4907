import { z } from "zod";

/** Shared input limits (the portal and the console use the same ones). */
export const MAX_TITLE = 200;
export const MAX_BODY = 20_000;
export const MAX_ATTACHMENTS = 10;

export const ZTicketRef = z.object({
  ticketId: z.number().int().positive(),
  /** The version the page showed; a newer one means someone else acted first (CONFLICT). */
  expectedVersion: z.number().int().nonnegative().optional(),
});

export const ZMessageBody = z
  .string()
  .trim()
  .min(1, "errors.bodyRequired")
  .max(MAX_BODY, "errors.bodyTooLong");

export const ZAttachmentIds = z.array(z.number().int().positive()).max(MAX_ATTACHMENTS, "errors.tooManyAttachments").default([]);

export const ZMessageInput = ZTicketRef.extend({ body: ZMessageBody, attachmentIds: ZAttachmentIds });
export type MessageInput = z.infer<typeof ZMessageInput>;

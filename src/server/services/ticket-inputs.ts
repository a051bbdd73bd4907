import { z } from "zod";
import { ZId, ZVersion, zIdList, zText } from "../schemas.ts";

/** Shared input limits (the portal and the console use the same ones). */
export const MAX_TITLE = 200;
export const MAX_BODY = 20_000;
export const MAX_ATTACHMENTS = 10;

export const ZTicketRef = z.object({
  ticketId: ZId,
  /** The version the page showed; a newer one means someone else acted first (CONFLICT). */
  expectedVersion: ZVersion.optional(),
});

export const ZMessageBody = zText({ min: 1, required: "errors.bodyRequired", max: MAX_BODY, tooLong: "errors.bodyTooLong" });

export const ZAttachmentIds = zIdList(MAX_ATTACHMENTS, "errors.tooManyAttachments").default([]);

export const ZMessageInput = ZTicketRef.extend({ body: ZMessageBody, attachmentIds: ZAttachmentIds });
export type MessageInput = z.infer<typeof ZMessageInput>;

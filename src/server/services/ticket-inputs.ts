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

/** The last public entry the writer saw when composing (the stale-reply guard); optional. */
export const ZSeenMessageId = ZId.optional();
export const ZMessageInput = ZTicketRef.extend({ body: ZMessageBody, attachmentIds: ZAttachmentIds, seenMessageId: ZSeenMessageId });
export type MessageInput = z.infer<typeof ZMessageInput>;

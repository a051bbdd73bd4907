import { z } from "zod";
import { TICKET_STATUSES } from "../domain/ticket-lifecycle.ts";
import { MAX_TITLE, ZAttachmentIds, ZMessageBody, ZSeenMessageId, ZTicketRef } from "./ticket-inputs.ts";
import { ZCursor, ZId, zPageSize, zText } from "../schemas.ts";

/** What a member sends from the portal. Limits are the shared ones (ticket-inputs.ts). */

export const MAX_RATING_COMMENT = 1000;
export const MAX_PAGE_SIZE = 50;

const ZTitle = zText({ min: 1, required: "errors.titleRequired", max: MAX_TITLE, tooLong: "errors.titleTooLong" });
/** Same formats as the profile (account-service), so a prefilled value always passes. */
const ZContactPhone = z.string().trim().regex(/^[0-9+\- ]{5,40}$/, "errors.phoneInvalid").or(z.literal(""));
const ZContactQq = z.string().trim().regex(/^\d{5,12}$/, "errors.qqInvalid").or(z.literal(""));
const ZOptionalText = (max: number, message: string) => zText({ max, tooLong: message }).default("");

export const ZCreateTicketInput = z.object({
  categoryId: ZId,
  title: ZTitle,
  body: ZMessageBody,
  contactPhone: ZContactPhone.default(""),
  contactQq: ZContactQq.default(""),
  /** 业务ID / 业务IP / 业务类型: kept only for a BUSINESS_TECH category. */
  businessId: ZOptionalText(64, "portal.errors.businessTooLong"),
  businessIp: ZOptionalText(64, "portal.errors.businessTooLong"),
  businessType: ZOptionalText(64, "portal.errors.businessTooLong"),
  attachmentIds: ZAttachmentIds,
});
export type CreateTicketInput = z.infer<typeof ZCreateTicketInput>;

export const ZMemberTicketListInput = z.object({
  status: z.enum(TICKET_STATUSES).optional(),
  search: zText({ max: MAX_TITLE }).optional(),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: ZCursor.nullish(),
  limit: zPageSize(MAX_PAGE_SIZE, 20),
});
export type MemberTicketListInput = z.infer<typeof ZMemberTicketListInput>;

export const ZMemberReplyInput = z.object({
  ticketId: ZId,
  body: ZMessageBody,
  attachmentIds: ZAttachmentIds,
  seenMessageId: ZSeenMessageId,
});
export type MemberReplyInput = z.infer<typeof ZMemberReplyInput>;

export const ZRateTicketInput = z.object({
  ticketId: ZId,
  rating: z.number({ error: "portal.errors.ratingRange" }).int("portal.errors.ratingRange").min(1, "portal.errors.ratingRange").max(5, "portal.errors.ratingRange"),
  comment: zText({ max: MAX_RATING_COMMENT, tooLong: "portal.errors.commentTooLong" }).default(""),
});
export type RateTicketInput = z.infer<typeof ZRateTicketInput>;

export const ZMemberTicketRef = ZTicketRef;
export type MemberTicketRef = z.infer<typeof ZMemberTicketRef>;

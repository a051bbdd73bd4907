import type { NotificationKind } from "../../domain/notifications.ts";

/**
 * One piece of team news, as the fan-out rendered it for the robot (staff audience, public
 * content only) and stored in the outbox row's payload: a digest is a list of these.
 */
export type ChatItem = {
  channelId: number;
  eventId: number;
  kind: NotificationKind;
  ticketId: number;
  title: string;
  category: string;
  actor: string | null;
  excerpt: string | null;
  /** The ticket's 接单客服 when the event happened (@-mentioned where the vendor can). */
  assigneeId: number | null;
  at: string;
};

import type { Viewer } from "../viewer.ts";

/** What the download decision looks at; nothing else about the file matters. */
export type AttachmentAccessFacts = {
  ownerKey: string;
  messageId: number | null;
  ticket: { memberId: number | null } | null;
  message: { visibility: "PUBLIC" | "STAFF_ONLY" } | null;
};

/** "member:1100001", "staff:1": who uploaded a file; only they may claim it while it is pending. */
export function ownerKeyOf(viewer: Viewer): string | null {
  if (viewer.kind === "member") return `member:${viewer.memberId}`;
  if (viewer.kind === "staff") return `staff:${viewer.staffId}`;
  return null;
}

/**
 * R7: staff read every attachment. A member reads one on their own ticket whose message is public,
 * or their own upload that no message has claimed yet — never a staff-only entry's file, never
 * another member's. Anyone else: no.
 */
export function canDownloadAttachment(viewer: Viewer, file: AttachmentAccessFacts): boolean {
  if (viewer.kind === "staff") return true;
  if (viewer.kind !== "member") return false;
  if (file.messageId === null) return file.ticket === null && file.ownerKey === ownerKeyOf(viewer);
  return file.ticket?.memberId === viewer.memberId && file.message?.visibility === "PUBLIC";
}

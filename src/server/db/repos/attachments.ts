import type { DbOrTx } from "../client.ts";

export const attachmentPublicSelect = { id: true, fileName: true, mimeType: true, size: true } as const;

/** A pending upload: no ticket or message until a message claims it (claimAttachments). */
export function insertAttachment(
  db: DbOrTx,
  data: { storageKey: string; fileName: string; mimeType: string; size: number; ownerKey: string },
) {
  return db.attachment.create({ data, select: attachmentPublicSelect });
}

/** Everything the download decision needs: who owns it, whose ticket, which visibility. */
export function findAttachmentForDownload(db: DbOrTx, id: number) {
  return db.attachment.findUnique({
    where: { id },
    select: {
      ...attachmentPublicSelect,
      storageKey: true,
      ownerKey: true,
      ticketId: true,
      messageId: true,
      ticket: { select: { memberId: true } },
      message: { select: { visibility: true } },
    },
  });
}
type AttachmentForDownload = NonNullable<Awaited<ReturnType<typeof findAttachmentForDownload>>>;

// Our stored message → the protocol's "new message" (6.1/6.2). The wire allows 3 files of at most
// 2 MiB per message; we allow more, so extra files travel in continuation parts `msg-<id>-2` …,
// and a file too large (or gone from the store) is named in the text instead of silently lost.
import type { MessageForUpstream } from "../db/repos/upstream.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { externalMessageId } from "./outbox-types.ts";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE, type InlineAttachment, type NewUpstreamMessage } from "../protocol/schemas.ts";

/** The member's own name stays with us (§13); the upstream sees 客户, as in the manual. */
const MEMBER_NAME = "客户";

export async function toUpstreamMessages(
  row: MessageForUpstream,
  staffNames: Map<number, string>,
  files: BlobStore,
): Promise<{ messages: NewUpstreamMessage[]; skippedFiles: number }> {
  const author =
    row.authorKind === "STAFF"
      ? { role: "staff" as const, name: (row.staffId !== null ? staffNames.get(row.staffId) : undefined) ?? "客服" }
      : { role: "member" as const, name: MEMBER_NAME };
  const inline: InlineAttachment[] = [];
  const skipped: string[] = [];
  for (const file of row.attachments) {
    const bytes = file.size <= MAX_ATTACHMENT_BYTES ? await files.get(file.storageKey) : null;
    if (bytes && bytes.length <= MAX_ATTACHMENT_BYTES) {
      inline.push({ fileName: file.fileName, mimeType: file.mimeType, content: Buffer.from(bytes).toString("base64") });
    } else {
      skipped.push(file.fileName);
    }
  }
  const note = skipped.length > 0 ? `\n[附件未转发: ${skipped.join(", ")}]` : "";
  const body = (row.body + note).trim() === "" && inline.length === 0 ? "-" : row.body + note;
  const createdAt = row.createdAt.toISOString();
  const messages: NewUpstreamMessage[] = [];
  for (let part = 0; part === 0 || part * MAX_ATTACHMENTS_PER_MESSAGE < inline.length; part++) {
    const chunk = inline.slice(part * MAX_ATTACHMENTS_PER_MESSAGE, (part + 1) * MAX_ATTACHMENTS_PER_MESSAGE);
    messages.push({
      externalMessageId: externalMessageId(row.id, part + 1),
      author,
      body: part === 0 ? body : "",
      ...(chunk.length > 0 ? { attachments: chunk } : {}),
      createdAt,
    });
  }
  return { messages, skippedFiles: skipped.length };
}

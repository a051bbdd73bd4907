// Our stored message, as the sharing policy lets it leave → the protocol's "new message" (6.1/6.2).
// The wire allows 3 files of at most 2 MiB per message; we allow more, so extra files travel in
// continuation parts `msg-<id>-2` …, and a file too large (or gone from the store) is named in the
// text instead of silently lost. Files the policy (or staff in the dialog) did not tick stay here.
import type { SharedMessage } from "../domain/sharing-policy.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { externalMessageId } from "./outbox-types.ts";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE, type InlineAttachment, type NewUpstreamMessage } from "./protocol.ts";

type StoredFile = { id: number; fileName: string; mimeType: string; size: number; storageKey: string };

export async function toUpstreamMessages(shared: SharedMessage<StoredFile>, files: BlobStore): Promise<{ messages: NewUpstreamMessage[]; skippedFiles: number }> {
  const inline: InlineAttachment[] = [];
  const skipped: string[] = [];
  for (const file of shared.files) {
    if (!file.forwarded) continue;
    const bytes = file.size <= MAX_ATTACHMENT_BYTES ? await files.get(file.storageKey) : null;
    if (bytes && bytes.length <= MAX_ATTACHMENT_BYTES) {
      inline.push({ fileName: file.fileName, mimeType: file.mimeType, content: Buffer.from(bytes).toString("base64") });
    } else {
      skipped.push(file.fileName);
    }
  }
  const text = shared.body.text;
  const note = skipped.length > 0 ? `\n[附件未转发: ${skipped.join(", ")}]` : "";
  const body = (text + note).trim() === "" && inline.length === 0 ? "-" : text + note;
  const createdAt = shared.createdAt.toISOString();
  const messages: NewUpstreamMessage[] = [];
  for (let part = 0; part === 0 || part * MAX_ATTACHMENTS_PER_MESSAGE < inline.length; part++) {
    const chunk = inline.slice(part * MAX_ATTACHMENTS_PER_MESSAGE, (part + 1) * MAX_ATTACHMENTS_PER_MESSAGE);
    messages.push({
      externalMessageId: externalMessageId(shared.messageId, part + 1),
      author: shared.author,
      body: part === 0 ? body : "",
      ...(chunk.length > 0 ? { attachments: chunk } : {}),
      createdAt,
    });
  }
  return { messages, skippedFiles: skipped.length };
}

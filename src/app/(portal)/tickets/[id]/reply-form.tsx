"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError, Textarea } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";
import type { AttachmentView } from "../../_components/attachment-list";
import { AttachmentPicker } from "../../_components/attachment-picker";
import type { ConversationEntry } from "../../_components/conversation";
import { HeldReply, isHeldReply } from "@/components/live/held-reply";

/**
 * 回复. The reply names the newest entry the page showed when writing began; if support wrote
 * since, the server holds it and the new entries are shown with "send anyway" / "edit".
 */
export function ReplyForm({ ticketId, entries, lastSeenId }: { ticketId: number; entries: ConversationEntry[]; lastSeenId: number }) {
  const t = useTranslations("portal.detail");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [attachments, setAttachments] = useState<AttachmentView[]>([]);
  const [baseline, setBaseline] = useState<number | null>(null);
  const reply = useMutation(
    trpc.portal.reply.mutationOptions({
      onSuccess: () => {
        setBody("");
        setAttachments([]);
        setBaseline(null);
        return queryClient.invalidateQueries(trpc.portal.pathFilter());
      },
    }),
  );
  const held = reply.error && isHeldReply(reply.error);
  const send = (seen: number | null) => reply.mutate({ ticketId, body, attachmentIds: attachments.map((a) => a.id), seenMessageId: seen ?? undefined });
  return (
    <Card title={t("replyTitle")}>
      <form
        className="space-y-3"
        data-testid="reply-form"
        onSubmit={(e) => {
          e.preventDefault();
          send(baseline ?? lastSeenId);
        }}
      >
        {!held && <FormError message={fieldError(reply.error, "body") ?? reply.error?.message} />}
        <Textarea
          name="body"
          rows={4}
          required
          maxLength={20000}
          value={body}
          onChange={(e) => {
            if (body === "" && e.target.value !== "") setBaseline(lastSeenId);
            setBody(e.target.value);
          }}
          placeholder={t("replyPlaceholder")}
        />
        {held && (
          <HeldReply
            unseen={entries.filter((m) => m.id > (baseline ?? lastSeenId))}
            busy={reply.isPending}
            onSendAnyway={() => send(lastSeenId)}
            onEdit={() => {
              setBaseline(lastSeenId);
              reply.reset();
            }}
          />
        )}
        <div className="flex flex-wrap items-start justify-between gap-3">
          <AttachmentPicker value={attachments} onChange={setAttachments} />
          <Button type="submit" disabled={reply.isPending || body.trim() === "" || Boolean(held)} data-testid="send-reply">
            {reply.isPending ? t("sending") : t("send")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

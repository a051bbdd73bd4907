"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError, Textarea } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";
import type { AttachmentView } from "../../_components/attachment-list";
import { AttachmentPicker } from "../../_components/attachment-picker";

export function ReplyForm({ ticketId }: { ticketId: number }) {
  const t = useTranslations("portal.detail");
  const trpc = useTRPC();
  const router = useRouter();
  const [body, setBody] = useState("");
  const [attachments, setAttachments] = useState<AttachmentView[]>([]);
  const reply = useMutation(
    trpc.portal.reply.mutationOptions({
      onSuccess: () => {
        setBody("");
        setAttachments([]);
        router.refresh(); // the Server Component re-reads the conversation and the status
      },
    }),
  );
  return (
    <Card title={t("replyTitle")}>
      <form
        className="space-y-3"
        data-testid="reply-form"
        onSubmit={(e) => {
          e.preventDefault();
          reply.mutate({ ticketId, body, attachmentIds: attachments.map((a) => a.id) });
        }}
      >
        <FormError message={fieldError(reply.error, "body") ?? reply.error?.message} />
        <Textarea name="body" rows={4} required maxLength={20000} value={body} onChange={(e) => setBody(e.target.value)} placeholder={t("replyPlaceholder")} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <AttachmentPicker value={attachments} onChange={setAttachments} />
          <Button type="submit" disabled={reply.isPending || body.trim() === ""} data-testid="send-reply">
            {reply.isPending ? t("sending") : t("send")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

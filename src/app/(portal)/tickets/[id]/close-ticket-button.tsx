"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

/** 关闭工单. Sends the version shown, so a close never lands on a reply the member has not seen. */
export function CloseTicketButton({ ticketId, version }: { ticketId: number; version: number }) {
  const t = useTranslations("portal.detail");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const close = useMutation(trpc.portal.close.mutationOptions({ onSettled: () => queryClient.invalidateQueries(trpc.portal.pathFilter()) }));
  return (
    <div className="flex items-center gap-2">
      {close.error && <span className="text-xs text-rose-600" data-testid="close-error">{close.error.message}</span>}
      <Button
        variant="secondary"
        data-testid="close-ticket"
        disabled={close.isPending}
        onClick={() => {
          if (window.confirm(t("closeConfirm"))) close.mutate({ ticketId, expectedVersion: version });
        }}
      >
        {close.isPending ? t("closing") : t("close")}
      </Button>
    </div>
  );
}

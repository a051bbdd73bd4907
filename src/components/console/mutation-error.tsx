"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export type ConsoleError = { conflict: boolean; message: string } | null;

/** tRPC errors carry the server's translated sentence; a CONFLICT gets the reload offer. */
export function toConsoleError(e: { message: string; data?: { code?: string } | null }): ConsoleError {
  return { conflict: e.data?.code === "CONFLICT", message: e.message };
}

export function MutationError({ error, onReload }: { error: ConsoleError; onReload: () => void }) {
  const t = useTranslations("console.errors");
  if (!error) return null;
  return (
    <div role="alert" data-testid={error.conflict ? "conflict-banner" : "action-error"} className="flex items-center justify-between gap-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
      <span>{error.conflict ? t("conflict") : error.message}</span>
      {error.conflict && (
        <Button variant="secondary" onClick={onReload} data-testid="conflict-reload">
          {t("reload")}
        </Button>
      )}
    </div>
  );
}

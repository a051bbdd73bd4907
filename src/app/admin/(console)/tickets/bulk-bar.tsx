"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { ConfirmButton } from "@/components/console/confirm-button";
import type { QueueItem, QueueOptions, RouterOutputs } from "@/components/console/types";

/**
 * Bulk 接单 / 分配 / 关闭 over the selected rows the rules allow (the row's own lifecycle flags);
 * the server runs each ticket through its single-ticket command and reports each result.
 */
export function BulkBar({ items, staff, viewerId, onClear, onDone }: {
  items: QueueItem[];
  staff: QueueOptions["staff"];
  viewerId: number;
  onClear: () => void;
  onDone: () => void;
}) {
  const t = useTranslations("console.queue");
  const trpc = useTRPC();
  const [assignee, setAssignee] = useState(String(viewerId));
  const [results, setResults] = useState<RouterOutputs["console"]["bulk"] | null>(null);
  const bulk = useMutation(trpc.console.bulk.mutationOptions({ onSuccess: (r) => { setResults(r); onDone(); } }));
  const run = (action: "accept" | "assign" | "close", flag: keyof QueueItem["bulk"]) => {
    const eligible = items.filter((i) => i.bulk[flag]).map((i) => ({ ticketId: i.id, expectedVersion: i.version }));
    if (eligible.length === 0) return;
    bulk.mutate({ action, items: eligible, ...(action === "assign" ? { assigneeId: assignee === "none" ? null : Number(assignee) } : {}) });
  };
  const n = (flag: keyof QueueItem["bulk"]) => items.filter((i) => i.bulk[flag]).length;
  const failed = results?.filter((r) => !r.ok) ?? [];
  return (
    <div className="space-y-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm" data-testid="bulk-bar">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{t("selected", { n: items.length })}</span>
        <Button onClick={() => run("accept", "accept")} disabled={bulk.isPending || n("accept") === 0} data-testid="bulk-accept">
          {t("bulkAccept")} ({n("accept")})
        </Button>
        <Select className="w-36" value={assignee} onChange={(e) => setAssignee(e.target.value)} aria-label={t("bulkAssign")}>
          <option value="none">{t("bulkUnassign")}</option>
          {staff.map((s) => <option key={s.id} value={s.id}>{s.displayName}</option>)}
        </Select>
        <Button variant="secondary" onClick={() => run("assign", "assign")} disabled={bulk.isPending || n("assign") === 0} data-testid="bulk-assign">
          {t("bulkAssignTo")} ({n("assign")})
        </Button>
        <ConfirmButton label={`${t("bulkClose")} (${n("close")})`} question={t("bulkCloseConfirm", { n: n("close") })} onConfirm={() => run("close", "close")} disabled={bulk.isPending || n("close") === 0} testId="bulk-close" />
        <Button variant="ghost" onClick={() => { setResults(null); onClear(); }}>{t("clearSelection")}</Button>
      </div>
      {results && (
        <div data-testid="bulk-results">
          <p>{t("bulkDone", { ok: results.length - failed.length, failed: failed.length })}</p>
          {failed.length > 0 && (
            <ul className="list-disc pl-5 text-xs text-rose-700">
              {failed.map((r) => <li key={r.ticketId}>#{r.ticketId}: {r.ok ? "" : r.message}</li>)}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

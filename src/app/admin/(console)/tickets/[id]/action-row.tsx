"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { ConfirmButton } from "@/components/console/confirm-button";
import type { QueueOptions, TicketDetail } from "@/components/console/types";

export type TicketOps = {
  accept: () => void;
  close: () => void;
  move: (v: { categoryId?: number; assigneeId?: number | null }) => void;
  escalate: () => void;
  sync: () => void;
  returnToPartner: () => void;
  closeUpstreamSide: () => void;
};

/**
 * 操作: exactly the buttons the server's page model (consoleControls) allows — the page never
 * decides a rule itself. 已接单 / 不可移交 are labels, not buttons.
 */
export function ActionRow({ ticket, ops, busy, options }: { ticket: TicketDetail; ops: TicketOps; busy: boolean; options: QueueOptions }) {
  const t = useTranslations("console.ticket");
  const [moving, setMoving] = useState(false);
  const c = ticket.controls;
  const has = (b: (typeof c.buttons)[number]) => c.buttons.includes(b);
  return (
    <div className="mt-3 border-t border-slate-100 pt-3">
      <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="action-row">
        <span className="text-slate-500">{t("operations")}:</span>
        {c.accepted && <Badge tone="green" testId="accepted-label">{t("accepted")}</Badge>}
        {has("accept") && (
          <Button onClick={ops.accept} disabled={busy} data-testid="action-accept">
            {t("buttons.accept")}
          </Button>
        )}
        {has("move") && (
          <Button variant="secondary" onClick={() => setMoving((m) => !m)} disabled={busy} data-testid="action-move" aria-expanded={moving}>
            {t("buttons.move")}
          </Button>
        )}
        {has("sync") && (
          <Button variant="secondary" onClick={ops.sync} disabled={busy} data-testid="action-sync">
            {t("buttons.sync")}
          </Button>
        )}
        {has("escalate") && (
          <Button variant="secondary" onClick={ops.escalate} disabled={busy} data-testid="action-escalate">
            {t("buttons.escalate")}
          </Button>
        )}
        {c.notTransferable && <Badge tone="gray" testId="not-transferable">{t("notTransferable")}</Badge>}
        {has("returnToPartner") && (
          <Button variant="secondary" onClick={ops.returnToPartner} disabled={busy} data-testid="action-return-to-partner">
            {t("buttons.returnToPartner")}
          </Button>
        )}
        {has("close") && (
          <ConfirmButton label={t("buttons.close")} question={t("closeConfirm")} onConfirm={ops.close} disabled={busy} testId="action-close" />
        )}
        {has("closeUpstreamSide") && (
          <ConfirmButton
            label={t("buttons.closeUpstreamSide")}
            question={t("closeUpstreamConfirm")}
            onConfirm={ops.closeUpstreamSide}
            disabled={busy}
            testId="action-close-upstream-side"
          />
        )}
      </div>
      {moving && has("move") && (
        <MoveForm
          ticket={ticket}
          options={options}
          busy={busy}
          onMove={(v) => {
            ops.move(v);
            setMoving(false);
          }}
        />
      )}
    </div>
  );
}

/** 移动工单: another category and/or another assignee (R9 is checked by the server). */
function MoveForm({ ticket, options, busy, onMove }: { ticket: TicketDetail; options: QueueOptions; busy: boolean; onMove: (v: { categoryId?: number; assigneeId?: number | null }) => void }) {
  const t = useTranslations("console.ticket.move");
  const [categoryId, setCategoryId] = useState("");
  const [assignee, setAssignee] = useState("");
  const submit = () =>
    onMove({
      ...(categoryId ? { categoryId: Number(categoryId) } : {}),
      ...(assignee === "none" ? { assigneeId: null } : assignee ? { assigneeId: Number(assignee) } : {}),
    });
  return (
    <form
      className="mt-3 flex flex-wrap items-end gap-3 rounded-md bg-slate-50 p-3 text-sm"
      data-testid="move-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="space-y-1">
        <span className="block text-slate-600">{t("category")}</span>
        <Select name="categoryId" value={categoryId} onChange={(e) => setCategoryId(e.target.value)} className="w-56">
          <option value="">{t("keep")}</option>
          {options.groups.map((g) => (
            <optgroup key={g.id} label={g.name}>
              {g.categories
                .filter((c) => c.enabled && c.id !== ticket.info.categoryId)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                    {c.type !== "NORMAL" && c.submitToApi ? " [API]" : ""}
                  </option>
                ))}
            </optgroup>
          ))}
        </Select>
      </label>
      <label className="space-y-1">
        <span className="block text-slate-600">{t("assignee")}</span>
        <Select name="assigneeId" value={assignee} onChange={(e) => setAssignee(e.target.value)} className="w-44">
          <option value="">{t("keep")}</option>
          <option value="none">{t("unassign")}</option>
          {options.staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName}
            </option>
          ))}
        </Select>
      </label>
      <Button type="submit" disabled={busy || (!categoryId && !assignee)} data-testid="move-submit">
        {t("submit")}
      </Button>
    </form>
  );
}

"use client";

import { useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

/** A destructive action asks once, inline (no browser dialog): 确定 / 取消. */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  disabled,
  testId,
  variant = "danger",
}: {
  label: ReactNode;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
  variant?: "danger" | "secondary";
}) {
  const t = useTranslations("common");
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant={variant} disabled={disabled} data-testid={testId} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <span className="inline-flex items-center gap-2 rounded-md border border-rose-200 bg-rose-50 px-2 py-1 text-sm text-rose-700" data-testid={testId ? `${testId}-confirm` : undefined}>
      {question}
      <Button
        variant="danger"
        autoFocus
        data-testid={testId ? `${testId}-yes` : undefined}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {t("confirm")}
      </Button>
      <Button variant="ghost" onClick={() => setAsking(false)}>
        {t("cancel")}
      </Button>
    </span>
  );
}

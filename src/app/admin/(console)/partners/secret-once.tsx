"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export type ShownSecret = { name: string; partnerId: string; keyId: string; secret: string };

/** The one moment a secret is visible: everything the partner needs to configure its upstream. */
export function SecretOnce({ shown, baseUrl, onDone }: { shown: ShownSecret; baseUrl: string; onDone: () => void }) {
  const t = useTranslations("partners");
  const rows: [string, string, string][] = [
    [t("baseUrl"), baseUrl, "secret-base-url"],
    [t("partnerId"), shown.partnerId, "secret-partner-id"],
    [t("keyId"), shown.keyId, "secret-key-id"],
    [t("secret"), shown.secret, "secret-value"],
  ];
  return (
    <div className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="partner-secret-once">
      <p className="font-semibold text-amber-900">
        {shown.name}: {t("secretOnceTitle")}
      </p>
      <p className="text-amber-800">{t("secretOnceBody")}</p>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        {rows.map(([label, value, testId]) => (
          <div key={testId} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="break-all font-mono" data-testid={testId}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <Button variant="secondary" onClick={onDone} data-testid="secret-done">
        {t("secretDone")}
      </Button>
    </div>
  );
}

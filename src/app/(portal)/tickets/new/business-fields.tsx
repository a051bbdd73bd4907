"use client";

import { useTranslations } from "next-intl";
import { Field, Input, Select } from "@/components/ui/field";

export type ServiceOption = { businessId: string; ip: string | null; type: string };
export type Business = { businessId: string; businessIp: string; businessType: string };

/** 业务ID / 业务IP / 业务类型: picked from the member's services when they have any, else typed. */
export function BusinessFields({ services, value, onChange, error }: { services: ServiceOption[]; value: Business; onChange: (b: Business) => void; error?: string | null }) {
  const t = useTranslations("portal.new");
  if (services.length > 0) {
    const chosen = services.find((s) => s.businessId === value.businessId);
    return (
      <Field label={t("business")} help={t("businessHelp")} error={error}>
        <Select
          name="businessId"
          data-testid="business-select"
          value={value.businessId}
          onChange={(e) => {
            const s = services.find((x) => x.businessId === e.target.value);
            onChange({ businessId: s?.businessId ?? "", businessIp: s?.ip ?? "", businessType: s?.type ?? "" });
          }}
        >
          <option value="">{t("businessNone")}</option>
          {services.map((s) => (
            <option key={s.businessId} value={s.businessId}>
              {[s.businessId, s.ip, s.type].filter(Boolean).join(" · ")}
            </option>
          ))}
        </Select>
        {chosen && (
          <span className="mt-1 block text-xs text-slate-500">
            {t("businessIp")}: {chosen.ip ?? "-"} · {t("businessType")}: {chosen.type}
          </span>
        )}
      </Field>
    );
  }
  const set = (patch: Partial<Business>) => onChange({ ...value, ...patch });
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <Field label={t("businessId")} error={error}>
        <Input name="businessId" value={value.businessId} maxLength={64} onChange={(e) => set({ businessId: e.target.value })} />
      </Field>
      <Field label={t("businessIp")}>
        <Input name="businessIp" value={value.businessIp} maxLength={64} onChange={(e) => set({ businessIp: e.target.value })} />
      </Field>
      <Field label={t("businessType")}>
        <Input name="businessType" value={value.businessType} maxLength={64} onChange={(e) => set({ businessType: e.target.value })} />
      </Field>
    </div>
  );
}

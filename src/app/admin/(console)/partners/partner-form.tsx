"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";

export const PARTNER_TYPES = ["BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];
export type PartnerFormValues = { name: string; partnerId?: string; callbackUrl: string; allowedTypes: PartnerType[]; enabled: boolean };

type FormError = { message: string; data?: { fieldErrors?: Record<string, string> | null } | null } | null;

/** Add or edit a partner. The partner ID is chosen once, at creation (it is the partner's login). */
export function PartnerForm({
  initial,
  withPartnerId,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: Partial<PartnerFormValues>;
  withPartnerId: boolean;
  submitLabel: string;
  pending: boolean;
  error: FormError;
  onSubmit: (values: PartnerFormValues) => void;
  onCancel?: () => void;
}) {
  const t = useTranslations("partners");
  const tc = useTranslations("common");
  return (
    <form
      className="grid gap-3 md:grid-cols-2"
      data-testid="partner-form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        onSubmit({
          name: String(f.get("name") ?? ""),
          ...(withPartnerId ? { partnerId: String(f.get("partnerId") ?? "") } : {}),
          callbackUrl: String(f.get("callbackUrl") ?? ""),
          allowedTypes: PARTNER_TYPES.filter((type) => f.get(`type-${type}`) === "on"),
          enabled: f.get("enabled") === "on",
        });
      }}
    >
      <div className="md:col-span-2">
        <FormError message={error?.message} />
      </div>
      <Field label={t("name")} required error={fieldError(error, "name")}>
        <Input name="name" required maxLength={64} defaultValue={initial?.name} />
      </Field>
      {withPartnerId && (
        <Field label={t("partnerId")} help={t("partnerIdHelp")} error={fieldError(error, "partnerId")}>
          <Input name="partnerId" maxLength={64} pattern="[A-Za-z0-9._~\-]*" />
        </Field>
      )}
      <Field label={t("callbackUrl")} required help={t("callbackUrlHelp")} error={fieldError(error, "callbackUrl")}>
        <Input name="callbackUrl" type="url" required maxLength={300} defaultValue={initial?.callbackUrl} placeholder="https://reseller.example.com/api/upstream/v1/callbacks/1" />
      </Field>
      <Field label={t("allowedTypes")} required error={fieldError(error, "allowedTypes")}>
        <span className="flex flex-wrap gap-3 text-sm">
          {PARTNER_TYPES.map((type) => (
            <label key={type} className="flex items-center gap-1">
              <input type="checkbox" name={`type-${type}`} defaultChecked={initial?.allowedTypes?.includes(type) ?? type !== "TRADEMARK"} />
              {t(`types.${type}`)}
            </label>
          ))}
        </span>
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={initial?.enabled ?? true} />
        {tc("enabled")}
      </label>
      <div className="flex gap-2 md:col-span-2">
        <Button type="submit" disabled={pending} data-testid="partner-submit">
          {submitLabel}
        </Button>
        {onCancel && (
          <Button type="button" variant="secondary" onClick={onCancel}>
            {tc("cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}

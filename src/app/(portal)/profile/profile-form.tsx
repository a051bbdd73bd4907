"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";

export function ProfileForm({ initial }: { initial: { name: string; phone: string; qq: string } }) {
  const t = useTranslations("portal.profile");
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.account.updateProfile.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      className="space-y-3"
      data-testid="profile-form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        save.mutate({ name: String(f.get("name") ?? ""), phone: String(f.get("phone") ?? ""), qq: String(f.get("qq") ?? "") });
      }}
    >
      <FormError message={save.error?.message} />
      <Field label={t("name")} required error={fieldError(save.error, "name")}>
        <Input name="name" defaultValue={initial.name} required maxLength={100} />
      </Field>
      <Field label={t("phone")} error={fieldError(save.error, "phone")}>
        <Input name="phone" defaultValue={initial.phone} maxLength={40} />
      </Field>
      <Field label={t("qq")} error={fieldError(save.error, "qq")}>
        <Input name="qq" defaultValue={initial.qq} maxLength={12} />
      </Field>
      <div className="flex items-center justify-end gap-3">
        {save.isSuccess && <span className="text-sm text-emerald-600" data-testid="profile-saved">{t("saved")}</span>}
        <Button type="submit" disabled={save.isPending}>
          {t("save")}
        </Button>
      </div>
    </form>
  );
}

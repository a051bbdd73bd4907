"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";

/**
 * 修改密码: the change ends every session of the account (stolen ones too); this browser then
 * signs in again with the new password so the member stays where they are.
 */
export function PasswordForm({ memberId }: { memberId: number }) {
  const t = useTranslations("portal.profile");
  const trpc = useTRPC();
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const next = String(f.get("next") ?? "");
        change.mutate(
          { current: String(f.get("current") ?? ""), next },
          {
            onSuccess: async () => {
              form.reset();
              await signIn("member", { login: String(memberId), password: next, redirect: false });
            },
          },
        );
      }}
    >
      <FormError message={change.error?.message} />
      <Field label={t("currentPassword")} required error={fieldError(change.error, "current")}>
        <Input name="current" type="password" autoComplete="current-password" required />
      </Field>
      <Field label={t("newPassword")} required error={fieldError(change.error, "next")}>
        <Input name="next" type="password" autoComplete="new-password" required minLength={8} />
      </Field>
      <div className="flex items-center justify-end gap-3">
        {change.isSuccess && <span className="text-sm text-emerald-600">{t("passwordChanged")}</span>}
        <Button type="submit" disabled={change.isPending}>
          {t("changePassword")}
        </Button>
      </div>
    </form>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";
import { fieldError } from "@/components/trpc-errors";

export function RegisterForm() {
  const t = useTranslations("auth");
  const trpc = useTRPC();
  const router = useRouter();
  const register = useMutation(
    trpc.account.register.mutationOptions({ onSuccess: (m) => router.push(`/login?registered=${m.id}`) }),
  );
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        register.mutate({
          name: String(f.get("name")),
          email: String(f.get("email")),
          phone: String(f.get("phone")),
          qq: String(f.get("qq")),
          password: String(f.get("password")),
        });
      }}
    >
      <FormError message={register.error?.message} />
      <Field label={t("name")} required error={fieldError(register.error, "name")}>
        <Input name="name" required maxLength={100} />
      </Field>
      <Field label={t("email")} required error={fieldError(register.error, "email")}>
        <Input name="email" type="email" required />
      </Field>
      <Field label={t("phone")} error={fieldError(register.error, "phone")}>
        <Input name="phone" />
      </Field>
      <Field label={t("qq")} error={fieldError(register.error, "qq")}>
        <Input name="qq" />
      </Field>
      <Field label={t("password")} required error={fieldError(register.error, "password")}>
        <Input name="password" type="password" required minLength={8} />
      </Field>
      <Button type="submit" className="w-full" disabled={register.isPending}>
        {t("register")}
      </Button>
    </form>
  );
}

"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "./ui/button";
import { Field, FormError, Input } from "./ui/field";

/** One form for both doors: `provider` is "member" (portal) or "staff" (console). */
export function LoginForm({ provider, redirectTo }: { provider: "member" | "staff"; redirectTo: string }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn(provider, {
      login: String(form.get("login") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setBusy(false);
    if (!result || result.error) {
      const code = result?.error ?? "default";
      setError(t.has(`errors.${code}`) ? t(`errors.${code}`) : t("errors.default"));
      return;
    }
    router.replace(redirectTo);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" data-testid={`${provider}-login-form`}>
      <FormError message={error} />
      <Field label={provider === "member" ? t("memberLogin") : t("staffLogin")} required>
        <Input name="login" autoComplete="username" required />
      </Field>
      <Field label={t("password")} required>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? t("signingIn") : t("signIn")}
      </Button>
    </form>
  );
}

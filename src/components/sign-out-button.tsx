"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";

export function SignOutButton({ to }: { to: string }) {
  const t = useTranslations("common");
  return (
    <button
      type="button"
      data-testid="sign-out"
      className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
      onClick={() => signOut({ callbackUrl: to })}
    >
      {t("signOut")}
    </button>
  );
}

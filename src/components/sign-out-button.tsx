"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/trpc/react";

/** 退出登录: the server ends every session of the account first, so a copied cookie stops working too. */
export function SignOutButton({ to }: { to: string }) {
  const t = useTranslations("common");
  const trpc = useTRPC();
  const end = useMutation(trpc.account.signOutEverywhere.mutationOptions());
  return (
    <button
      type="button"
      data-testid="sign-out"
      className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
      disabled={end.isPending}
      onClick={() => end.mutate(undefined, { onSettled: () => void signOut({ callbackUrl: to }) })}
    >
      {t("signOut")}
    </button>
  );
}

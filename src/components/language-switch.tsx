"use client";

import { useLocale } from "next-intl";
import { useRouter } from "next/navigation";

export function LanguageSwitch() {
  const locale = useLocale();
  const router = useRouter();
  const next = locale === "en" ? "zh-CN" : "en";
  return (
    <button
      type="button"
      className="rounded px-2 py-1 text-xs text-slate-500 hover:bg-slate-100"
      onClick={() => {
        document.cookie = `locale=${next}; path=/; max-age=31536000; samesite=lax`;
        router.refresh();
      }}
    >
      {next === "en" ? "English" : "中文"}
    </button>
  );
}

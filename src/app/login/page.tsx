import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AuthCard } from "@/components/auth-card";
import { LoginForm } from "@/components/login-form";

export default async function MemberLoginPage({ searchParams }: { searchParams: Promise<{ registered?: string }> }) {
  const t = await getTranslations("auth");
  const { registered } = await searchParams;
  return (
    <AuthCard
      title={t("memberLoginTitle")}
      footer={
        <div className="flex justify-between">
          <span>
            {t("noAccount")} <Link className="text-brand-600 underline underline-offset-2" href="/register">{t("register")}</Link>
          </span>
          <Link className="text-slate-400" href="/admin/login">{t("staffEntry")}</Link>
        </div>
      }
    >
      {registered && (
        <p data-testid="registered" className="mb-4 rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-700">
          {t("registered", { id: registered })}
        </p>
      )}
      <LoginForm provider="member" redirectTo="/tickets" />
    </AuthCard>
  );
}

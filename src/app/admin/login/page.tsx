import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AuthCard } from "@/components/auth-card";
import { LoginForm } from "@/components/login-form";

export default async function StaffLoginPage({ searchParams }: { searchParams: Promise<{ forbidden?: string }> }) {
  const t = await getTranslations("auth");
  const c = await getTranslations("common");
  const { forbidden } = await searchParams;
  return (
    <AuthCard title={t("staffLoginTitle")} footer={<Link className="text-slate-400" href="/login">{t("memberEntry")}</Link>}>
      {forbidden && (
        <div data-testid="forbidden-notice" className="mb-4 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          <strong className="block">403 · {c("forbiddenTitle")}</strong>
          {c("forbiddenBody")}
        </div>
      )}
      <LoginForm provider="staff" redirectTo="/admin" />
    </AuthCard>
  );
}

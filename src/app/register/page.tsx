import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AuthCard } from "@/components/auth-card";
import { RegisterForm } from "./register-form";

export default async function RegisterPage() {
  const t = await getTranslations("auth");
  return (
    <AuthCard title={t("registerTitle")} footer={<Link className="text-brand-600" href="/login">{t("haveAccount")}</Link>}>
      <RegisterForm />
    </AuthCard>
  );
}

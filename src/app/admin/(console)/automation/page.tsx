import { getTranslations } from "next-intl/server";
import { requireStaffPage } from "@/server/page-guards";
import { AutomationRules } from "./automation-rules";

export default async function AutomationPage() {
  await requireStaffPage({ superAdmin: true });
  const t = await getTranslations("sla.automation");
  return (
    <div className="space-y-4">
      <h1 data-testid="automation-title">{t("title")}</h1>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <AutomationRules />
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { requireStaffPage } from "@/server/page-guards";
import { SlaSettings } from "./sla-settings";

export default async function SlaPage() {
  await requireStaffPage({ superAdmin: true });
  const t = await getTranslations("sla.admin");
  return (
    <div className="space-y-4">
      <h1 data-testid="sla-title">{t("title")}</h1>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <SlaSettings />
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { requireStaffPage } from "@/server/page-guards";
import { UpstreamsManager } from "./upstreams-manager";

export default async function UpstreamsPage() {
  await requireStaffPage({ superAdmin: true });
  const t = await getTranslations("escalation");
  return (
    <div className="space-y-4">
      <h1 data-testid="upstreams-title">{t("title")}</h1>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <UpstreamsManager />
    </div>
  );
}

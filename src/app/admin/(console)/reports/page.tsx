import { getTranslations } from "next-intl/server";
import { requireStaffPage } from "@/server/page-guards";
import { getServerCaller } from "@/trpc/server";
import { Reports } from "./reports";

export default async function ReportsPage() {
  await requireStaffPage();
  const t = await getTranslations("sla.reports");
  // The default range (the last 30 days in the viewer's zone) is the service's.
  const initial = await (await getServerCaller()).reports.get({});
  return (
    <div className="space-y-4">
      <h1 data-testid="reports-title">{t("title")}</h1>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <Reports initial={initial} />
    </div>
  );
}

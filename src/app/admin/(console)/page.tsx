import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requireStaffPage } from "@/server/page-guards";

export default async function ConsoleHome() {
  const viewer = await requireStaffPage();
  const t = await getTranslations("common");
  return (
    <div className="space-y-4">
      <h1 data-testid="console-home">{t("nav.home")}</h1>
      <Card>
        <p className="text-sm text-slate-600">
          {viewer.name}(ID: {viewer.staffId}) — <Link className="text-brand-600" href="/admin/tickets">{t("nav.tickets")}</Link>
        </p>
      </Card>
    </div>
  );
}

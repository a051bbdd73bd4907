import { getTranslations } from "next-intl/server";
import { requireStaffPage } from "@/server/page-guards";
import { getConfig } from "@/server/config";
import { PartnersManager } from "./partners-manager";

/** 下级合作商: the partners this instance serves as their upstream (super admin only). */
export default async function PartnersPage() {
  await requireStaffPage({ superAdmin: true });
  const t = await getTranslations("partners");
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold" data-testid="partners-title">
          {t("title")}
        </h1>
        <p className="mt-1 text-sm text-slate-600">{t("intro")}</p>
      </div>
      <PartnersManager baseUrl={getConfig().publicUrl} />
    </div>
  );
}

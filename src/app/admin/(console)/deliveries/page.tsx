import { getTranslations } from "next-intl/server";
import { requireStaffPage } from "@/server/page-guards";
import { DeliveriesBoard } from "./deliveries-board";
import { SentRequests } from "./sent-requests";

export default async function DeliveriesPage() {
  await requireStaffPage({ superAdmin: true });
  const t = await getTranslations("escalation");
  return (
    <div className="space-y-4">
      <h1 data-testid="deliveries-title">{t("deliveries.title")}</h1>
      <DeliveriesBoard />
      <SentRequests />
    </div>
  );
}

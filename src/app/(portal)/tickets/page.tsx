import { getTranslations } from "next-intl/server";
import { requireMemberPage } from "@/server/page-guards";

export default async function MyTicketsPage() {
  await requireMemberPage();
  const t = await getTranslations("common");
  return <h1 data-testid="my-tickets">{t("nav.myTickets")}</h1>;
}

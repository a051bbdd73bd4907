import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";

/** The same page for a missing ticket and another member's (R7: no existence leak). */
export default async function TicketNotFound() {
  const t = await getTranslations("portal.detail");
  return (
    <Card>
      <div className="py-10 text-center" data-testid="ticket-not-found">
        <p className="text-4xl font-semibold text-slate-300">404</p>
        <h1 className="mt-2">{t("notFoundTitle")}</h1>
        <p className="mt-1 text-sm text-slate-500">{t("notFoundBody")}</p>
        <Link href="/tickets" className="mt-4 inline-block text-sm text-brand-600 hover:underline">
          {t("toList")}
        </Link>
      </div>
    </Card>
  );
}

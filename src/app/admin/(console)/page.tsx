import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requireStaffPage } from "@/server/page-guards";
import { getServerCaller } from "@/trpc/server";
import { STATUSES } from "@/components/console/types";

/** 首页: counts per status (TicketCount, never a COUNT) and the viewer's open tickets. */
export default async function ConsoleHome() {
  const viewer = await requireStaffPage();
  const t = await getTranslations("console.home");
  const ts = await getTranslations("tickets");
  const home = await (await getServerCaller()).console.home();
  return (
    <div className="space-y-4">
      <h1 data-testid="console-home">{t("title")}</h1>
      <Card title={t("countsTitle")} actions={<Link className="text-sm text-brand-600 hover:underline" href="/admin/tickets">{t("toQueue")}</Link>}>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
          {STATUSES.map((s) => (
            <Link key={s} href={`/admin/tickets?status=${s}`} className="rounded-md border border-slate-200 px-3 py-2 hover:border-brand-500" data-testid={`home-count-${s}`}>
              <div className="text-xs text-slate-500">{ts(`status.${s}`)}</div>
              <div className="text-2xl font-semibold tabular-nums text-slate-900">{home.counts[s]}</div>
              <div className="text-xs text-slate-400">{viewer.name}: {home.mineCounts[s]}</div>
            </Link>
          ))}
        </div>
      </Card>
      <Card title={t("mineTitle")}>
        {home.myOpen.length === 0 ? (
          <p className="text-sm text-slate-500">{t("mineEmpty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="home-mine">
            {home.myOpen.map((i) => (
              <li key={i.id} className="flex items-center gap-3 py-1.5">
                <span className="w-14 font-mono text-xs text-slate-500">#{i.id}</span>
                <Link href={`/admin/tickets/${i.id}`} className="flex-1 truncate hover:text-brand-600">{i.title}</Link>
                <span className="text-xs text-slate-500">{ts(`status.${i.status}`)}</span>
                <span className="w-36 text-right font-mono text-xs text-slate-400">{i.updatedAt}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

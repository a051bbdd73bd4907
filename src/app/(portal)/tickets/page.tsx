import Link from "next/link";
import { getTimeZone, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/field";
import { getServerCaller } from "@/trpc/server";
import { TICKET_STATUSES } from "@/server/domain/ticket-lifecycle";
import { TicketList, type TicketListFilter } from "./ticket-list";
import { requireMemberPage } from "@/server/page-guards";

type SearchParams = Promise<{ status?: string; q?: string }>;

/** 我的工单. The filter is a plain GET form, so a filtered list is a link one can share or reload. */
export default async function MyTicketsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireMemberPage(); // before any data: a signed-out visitor is redirected, not errored
  const params = await searchParams;
  const filter: TicketListFilter = {
    status: (TICKET_STATUSES as readonly string[]).includes(params.status ?? "") ? (params.status as TicketListFilter["status"]) : undefined,
    search: params.q?.trim().slice(0, 200) || undefined,
  };
  const [t, ts, timeZone, caller] = await Promise.all([getTranslations("portal.list"), getTranslations("tickets"), getTimeZone(), getServerCaller()]);
  const firstPage = await caller.portal.list(filter);

  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 data-testid="my-tickets">{t("title")}</h1>
        <Link href="/tickets/new" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          + {t("newTicket")}
        </Link>
      </div>
      <Card>
        <form className="mb-4 flex flex-wrap items-center gap-2" method="get" data-testid="ticket-filter">
          <Select name="status" defaultValue={filter.status ?? ""} aria-label={t("statusFilter")} className="w-36">
            <option value="">{t("allStatuses")}</option>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {ts(`status.${s}`)}
              </option>
            ))}
          </Select>
          <Input name="q" defaultValue={filter.search ?? ""} placeholder={t("searchPlaceholder")} className="w-60" maxLength={200} />
          <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 text-sm text-white hover:bg-slate-700">
            {t("filter")}
          </button>
          {(filter.status || filter.search) && (
            <Link href="/tickets" className="text-sm text-slate-500 hover:text-brand-600">
              {t("reset")}
            </Link>
          )}
        </form>
        <TicketList
          key={`${filter.status ?? ""}|${filter.search ?? ""}`}
          filter={filter}
          firstPage={firstPage}
          timeZone={timeZone}
          emptyText={filter.status || filter.search ? t("emptyFiltered") : t("empty")}
        />
      </Card>
    </div>
  );
}

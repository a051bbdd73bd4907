"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/trpc/react";
import { Conversation } from "../../_components/conversation";
import { BasicInfo } from "./basic-info";
import { CloseTicketButton } from "./close-ticket-button";
import { RatingForm } from "./rating-form";
import { ReplyForm } from "./reply-form";

type MemberTicket = inferRouterOutputs<AppRouter>["portal"]["ticket"];

/**
 * 工单信息: 基本信息, 沟通记录, then what the member may do now. The server renders the first
 * view; the live stream's invalidations re-read it (a reply, a status change) without a reload.
 */
export function PortalTicketView({ initial, timeZone }: { initial: MemberTicket; timeZone: string }) {
  const t = useTranslations("portal.detail");
  const trpc = useTRPC();
  const { data: ticket = initial } = useQuery(trpc.portal.ticket.queryOptions({ ticketId: initial.id }, { initialData: initial }));
  const finished = ticket.finished;
  const lastSeenId = ticket.messages.reduce((max, m) => Math.max(max, m.id), 0);

  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1>{t("pageTitle")}</h1>
        <Link href="/tickets" className="text-sm text-slate-600 hover:text-brand-700">
          ← {t("back")}
        </Link>
      </div>
      <Card title={t("basicInfo")} actions={ticket.can.close ? <CloseTicketButton ticketId={ticket.id} version={ticket.version} /> : null}>
        <BasicInfo ticket={ticket} timeZone={timeZone} />
      </Card>
      <Card title={t("conversation")}>
        <Conversation entries={ticket.messages} timeZone={timeZone} />
      </Card>
      {ticket.can.reply && <ReplyForm ticketId={ticket.id} entries={ticket.messages} lastSeenId={lastSeenId} />}
      {finished && (
        <p data-testid="finished-notice" className="rounded-md border border-slate-200 bg-slate-100 px-4 py-3 text-sm text-slate-700">
          {t("finishedNotice")}
        </p>
      )}
      {ticket.can.rate && <RatingForm ticketId={ticket.id} />}
    </div>
  );
}

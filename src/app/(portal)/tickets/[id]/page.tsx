import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { getTimeZone, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getServerCaller } from "@/trpc/server";
import { Conversation } from "../../_components/conversation";
import { BasicInfo } from "./basic-info";
import { CloseTicketButton } from "./close-ticket-button";
import { RatingForm } from "./rating-form";
import { ReplyForm } from "./reply-form";
import { requireMemberPage } from "@/server/page-guards";

async function loadTicket(rawId: string) {
  if (!/^\d{1,9}$/.test(rawId)) notFound();
  const caller = await getServerCaller();
  try {
    return await caller.portal.ticket({ ticketId: Number(rawId) });
  } catch (e) {
    // Another member's ticket reads as missing (R7): the same 404 page, never an error page.
    if (e instanceof TRPCError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

/** 工单信息: 基本信息, 沟通记录, then what the member may do now. */
export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  await requireMemberPage(); // before any data: a signed-out visitor is redirected, not errored
  const ticket = await loadTicket((await params).id);
  const [t, timeZone] = await Promise.all([getTranslations("portal.detail"), getTimeZone()]);
  const finished = ticket.status === "COMPLETED";

  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1>{t("pageTitle")}</h1>
        <Link href="/tickets" className="text-sm text-slate-500 hover:text-brand-600">
          ← {t("back")}
        </Link>
      </div>
      <Card title={t("basicInfo")} actions={ticket.can.close ? <CloseTicketButton ticketId={ticket.id} version={ticket.version} /> : null}>
        <BasicInfo ticket={ticket} timeZone={timeZone} />
      </Card>
      <Card title={t("conversation")}>
        <Conversation entries={ticket.messages} timeZone={timeZone} />
      </Card>
      {ticket.can.reply && <ReplyForm ticketId={ticket.id} />}
      {finished && (
        <p data-testid="finished-notice" className="rounded-md border border-slate-200 bg-slate-100 px-4 py-3 text-sm text-slate-600">
          {t("finishedNotice")}
        </p>
      )}
      {ticket.can.rate && <RatingForm ticketId={ticket.id} />}
    </div>
  );
}

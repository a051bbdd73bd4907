import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { getTimeZone } from "next-intl/server";
import { getServerCaller } from "@/trpc/server";
import { PortalTicketView } from "./ticket-view";
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

/** 工单信息 (rendered here once, then kept current in the browser by PortalTicketView). */
export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  await requireMemberPage(); // before any data: a signed-out visitor is redirected, not errored
  const ticket = await loadTicket((await params).id);
  return <PortalTicketView initial={ticket} timeZone={await getTimeZone()} />;
}

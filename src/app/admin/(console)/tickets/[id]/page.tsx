import { notFound } from "next/navigation";
import { getServerCaller } from "@/trpc/server";
import { requireStaffPage } from "@/server/page-guards";
import { TicketView } from "./ticket-view";

/** 工单信息: rendered with the server caller, then live through tRPC + react-query. */
export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  await requireStaffPage();
  const { id } = await params;
  const ticketId = Number(id);
  if (!Number.isInteger(ticketId) || ticketId <= 0) notFound();
  const caller = await getServerCaller();
  const [ticket, options] = await Promise.all([
    caller.console.ticket({ ticketId }).catch((e: { code?: string }) => (e.code === "NOT_FOUND" ? null : Promise.reject(e))),
    caller.console.options(),
  ]);
  if (!ticket) notFound();
  return <TicketView initial={ticket} options={options} />;
}

import { requireStaffPage } from "@/server/page-guards";
import { getServerCaller } from "@/trpc/server";
import { HomeView } from "./home-view";

/** 首页: counts per status (TicketCount, never a COUNT) and the viewer's open tickets. */
export default async function ConsoleHome() {
  const viewer = await requireStaffPage();
  const home = await (await getServerCaller()).console.home();
  return <HomeView initial={home} viewerName={viewer.name} />;
}

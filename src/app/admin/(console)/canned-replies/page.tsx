import { requireStaffPage } from "@/server/page-guards";
import { getServerCaller } from "@/trpc/server";
import { CannedReplies } from "./canned-replies";

export default async function CannedRepliesPage() {
  const viewer = await requireStaffPage();
  const initial = await (await getServerCaller()).cannedReplies.list();
  return <CannedReplies initial={initial} viewer={{ id: viewer.staffId, superAdmin: viewer.role === "SUPER_ADMIN" }} />;
}

import { requireStaffPage } from "@/server/page-guards";
import { getServerCaller } from "@/trpc/server";
import { StaffAdmin } from "./staff-admin";

/** 客服管理: the super admin only. */
export default async function StaffPage() {
  const viewer = await requireStaffPage({ superAdmin: true });
  const initial = await (await getServerCaller()).staff.list();
  return <StaffAdmin initial={initial} viewerId={viewer.staffId} />;
}

import { getServerCaller } from "@/trpc/server";
import { CategoryHeader } from "../category-header";
import { GroupManager } from "./group-manager";
import { requireStaffPage } from "@/server/page-guards";

export default async function CategoryGroupsPage() {
  await requireStaffPage(); // before any data: a signed-out visitor is redirected, not errored
  const groups = await (await getServerCaller()).categories.groups.list();
  return (
    <div className="space-y-4">
      <CategoryHeader active="groups" />
      <GroupManager groups={groups} />
    </div>
  );
}

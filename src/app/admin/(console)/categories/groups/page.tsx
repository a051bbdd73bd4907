import { getServerCaller } from "@/trpc/server";
import { CategoryHeader } from "../category-header";
import { GroupManager } from "./group-manager";

export default async function CategoryGroupsPage() {
  const groups = await (await getServerCaller()).categories.groups.list();
  return (
    <div className="space-y-4">
      <CategoryHeader active="groups" />
      <GroupManager groups={groups} />
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getServerCaller } from "@/trpc/server";
import { CategoryForm } from "../category-form";
import { CategoryHeader } from "../category-header";

export default async function NewCategoryPage() {
  const t = await getTranslations("categories");
  const caller = await getServerCaller();
  const [groups, categories] = await Promise.all([caller.categories.groups.list(), caller.categories.list()]);
  // New categories go to the end unless the user says otherwise.
  const nextSortOrder = categories.reduce((max, c) => Math.max(max, c.sortOrder), 0) + 1;
  return (
    <div className="space-y-4">
      <CategoryHeader active="categories" />
      <Card title={t("addTitle")}>
        <CategoryForm
          groups={groups}
          initial={{ name: "", description: "", groupId: null, type: "NORMAL", submitToApi: false, iconKey: null, iconUrl: null, sortOrder: nextSortOrder, enabled: true }}
        />
      </Card>
    </div>
  );
}

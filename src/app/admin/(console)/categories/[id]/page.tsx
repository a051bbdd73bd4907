import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getServerCaller } from "@/trpc/server";
import { CategoryForm } from "../category-form";
import { CategoryHeader } from "../category-header";

export default async function EditCategoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d{1,9}$/.test(id)) notFound();
  const t = await getTranslations("categories");
  const caller = await getServerCaller();
  const [category, groups] = await Promise.all([caller.categories.get({ id: Number(id) }).catch(() => null), caller.categories.groups.list()]);
  if (!category) notFound();
  return (
    <div className="space-y-4">
      <CategoryHeader active="categories" />
      <Card title={`${t("editTitle")}：${category.name}`}>
        <CategoryForm groups={groups} initial={category} />
      </Card>
    </div>
  );
}

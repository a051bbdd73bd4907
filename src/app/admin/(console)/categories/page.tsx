import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getServerCaller } from "@/trpc/server";
import { CategoryHeader } from "./category-header";
import { CategoryTable } from "./category-table";

export default async function CategoriesPage() {
  const t = await getTranslations("categories");
  const categories = await (await getServerCaller()).categories.list();
  return (
    <div className="space-y-4">
      <CategoryHeader
        active="categories"
        actions={
          <Link href="/admin/categories/new" data-testid="add-category" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
            {t("add")}
          </Link>
        }
      />
      <p className="text-xs text-slate-500">
        {t("reminder")} {t("onePerTypeNote")}
      </p>
      <CategoryTable categories={categories} />
    </div>
  );
}

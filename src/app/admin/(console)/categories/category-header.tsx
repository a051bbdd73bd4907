import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";

/** Title, the manual's path and the two tabs (分类 / 分组) shared by the category pages. */
export async function CategoryHeader({ active, actions }: { active: "categories" | "groups"; actions?: ReactNode }) {
  const t = await getTranslations("categories");
  const tab = (key: "categories" | "groups", href: string) => (
    <Link
      href={href}
      data-testid={`tab-${key}`}
      className={`border-b-2 px-1 pb-2 text-sm ${active === key ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-500 hover:text-slate-700"}`}
    >
      {t(`tabs.${key}`)}
    </Link>
  );
  return (
    <div className="space-y-3">
      <div className="flex items-end justify-between">
        <div>
          <p className="text-xs text-slate-400">{t("breadcrumb")}</p>
          <h1>{t("title")}</h1>
        </div>
        <div className="flex gap-2">{actions}</div>
      </div>
      <nav className="flex gap-6 border-b border-slate-200">
        {tab("categories", "/admin/categories")}
        {tab("groups", "/admin/categories/groups")}
      </nav>
    </div>
  );
}

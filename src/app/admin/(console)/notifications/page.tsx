import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { PreferencesForm } from "@/components/notifications/preferences-form";
import { requireStaffPage } from "@/server/page-guards";
import { getServerCaller } from "@/trpc/server";

/** 通知设置 of the signed-in staff member. */
export default async function StaffNotificationsPage() {
  await requireStaffPage();
  const caller = await getServerCaller();
  const [t, options] = await Promise.all([getTranslations("notifications.prefs"), caller.console.options()]);
  const categories = options.groups.flatMap((g) => g.categories.map((c) => ({ id: c.id, name: c.name })));
  return (
    <div className="space-y-4">
      <h1 data-testid="notification-settings-title">{t("title")}</h1>
      <Card>
        <PreferencesForm categories={categories} />
      </Card>
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { requireStaffPage } from "@/server/page-guards";
import { ChannelsBoard } from "./channels-board";

/** 通知渠道 (super admin): outgoing mail, replies by e-mail, team chat robots. */
export default async function NotificationChannelsPage() {
  await requireStaffPage({ superAdmin: true });
  const t = await getTranslations("notifications.admin");
  return (
    <div className="space-y-4">
      <h1 data-testid="notification-channels-title">{t("title")}</h1>
      <p className="text-sm text-slate-500">{t("intro")}</p>
      <ChannelsBoard />
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { getServerCaller } from "@/trpc/server";
import { NewTicketForm } from "./new-ticket-form";

/** 提交工单: the picker shows enabled groups and categories (categories.listForNewTicket). */
export default async function NewTicketPage() {
  const caller = await getServerCaller();
  const [t, options, profile] = await Promise.all([getTranslations("portal.new"), caller.categories.listForNewTicket(), caller.account.profile()]);
  return (
    <div className="space-y-4">
      <h1>{t("title")}</h1>
      <NewTicketForm
        groups={options.groups}
        contact={{ phone: profile.phone ?? "", qq: profile.qq ?? "" }}
        services={profile.services.map((s) => ({ businessId: s.businessId, ip: s.ip, type: s.type }))}
      />
    </div>
  );
}

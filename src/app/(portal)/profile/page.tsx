import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getServerCaller } from "@/trpc/server";
import { PasswordForm } from "./password-form";
import { PreferencesForm } from "@/components/notifications/preferences-form";
import { ProfileForm } from "./profile-form";
import { requireMemberPage } from "@/server/page-guards";

/** 个人资料: contact details (prefilled into new tickets), password, and the member's services. */
export default async function ProfilePage() {
  await requireMemberPage(); // before any data: a signed-out visitor is redirected, not errored
  const caller = await getServerCaller();
  const [t, tn, profile] = await Promise.all([getTranslations("portal.profile"), getTranslations("notifications.prefs"), caller.account.profile()]);
  return (
    <div className="space-y-4">
      <h1>{t("title")}</h1>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title={t("account")}>
          <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">{t("memberId")}</dt>
            <dd data-testid="profile-member-id">{profile.id}</dd>
            <dt className="text-slate-500">{t("email")}</dt>
            <dd>{profile.email}</dd>
          </dl>
          <ProfileForm initial={{ name: profile.name, phone: profile.phone ?? "", qq: profile.qq ?? "" }} />
        </Card>
        <Card title={t("password")}>
          <PasswordForm memberId={profile.id} />
        </Card>
      </div>
      <div id="notifications">
        <Card title={tn("title")}>
          <PreferencesForm memberEmail={profile.email} />
        </Card>
      </div>
      <Card title={t("services")}>
        {profile.services.length === 0 ? (
          <p className="text-sm text-slate-500">{t("noServices")}</p>
        ) : (
          <table className="w-full text-sm" data-testid="service-list">
            <thead>
              <tr className="border-b border-slate-100 text-left text-xs text-slate-500">
                <th className="py-2 font-medium">{t("businessId")}</th>
                <th className="py-2 font-medium">{t("businessIp")}</th>
                <th className="py-2 font-medium">{t("businessType")}</th>
              </tr>
            </thead>
            <tbody>
              {profile.services.map((s) => (
                <tr key={s.id} className="border-b border-slate-50">
                  <td className="py-2 font-mono">{s.businessId}</td>
                  <td className="py-2 font-mono">{s.ip ?? "-"}</td>
                  <td className="py-2">{s.type}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

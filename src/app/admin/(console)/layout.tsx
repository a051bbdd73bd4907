import Link from "next/link";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { clientMessages, resolveLocale } from "@/i18n/messages";
import { LanguageSwitch } from "@/components/language-switch";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { SignOutButton } from "@/components/sign-out-button";
import { LiveProvider } from "@/components/live/live-provider";
import { requireStaffPage } from "@/server/page-guards";

const NAV: { href: string; key: string; superAdmin?: boolean }[] = [
  { href: "/admin", key: "home" },
  { href: "/admin/tickets", key: "tickets" },
  { href: "/admin/categories", key: "categories" },
  { href: "/admin/canned-replies", key: "cannedReplies" },
  { href: "/admin/staff", key: "staff", superAdmin: true },
  { href: "/admin/upstreams", key: "upstreams", superAdmin: true },
  { href: "/admin/partners", key: "partners", superAdmin: true },
  { href: "/admin/deliveries", key: "deliveries", superAdmin: true },
  { href: "/admin/notification-channels", key: "notificationChannels", superAdmin: true },
  { href: "/admin/notifications", key: "notifications" },
  { href: "/admin/reports", key: "reports" },
  { href: "/admin/sla", key: "sla", superAdmin: true },
  { href: "/admin/automation", key: "automation", superAdmin: true },
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const viewer = await requireStaffPage();
  const t = await getTranslations("common");
  const locale = resolveLocale(await getLocale());
  return (
    <NextIntlClientProvider messages={clientMessages(locale, "console")}>
    <LiveProvider area="console">
    <div className="flex min-h-screen">
      <aside className="w-52 shrink-0 bg-slate-900 text-slate-200">
        <div className="px-4 py-4 text-sm font-semibold text-white">
          {t("appName")}
          <div className="text-xs font-normal text-slate-300">{t("consoleName")}</div>
        </div>
        <nav className="flex flex-col text-sm" data-testid="console-nav">
          {NAV.filter((n) => !n.superAdmin || viewer.role === "SUPER_ADMIN").map((n) => (
            <Link key={n.href} href={n.href} className="px-4 py-2 hover:bg-slate-800">
              {t(`nav.${n.key}`)}
            </Link>
          ))}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 py-2 text-sm text-slate-600">
          <NotificationBell settingsHref="/admin/notifications" />
          <span data-testid="viewer-name">
            {viewer.name}(ID: {viewer.staffId})
          </span>
          <LanguageSwitch />
          <SignOutButton to="/admin/login" />
        </header>
        <main className="min-w-0 flex-1 p-6">{children}</main>
      </div>
    </div>
    </LiveProvider>
    </NextIntlClientProvider>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { clientMessages, resolveLocale } from "@/i18n/messages";
import { LanguageSwitch } from "@/components/language-switch";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { SignOutButton } from "@/components/sign-out-button";
import { LiveProvider } from "@/components/live/live-provider";
import { requireMemberPage } from "@/server/page-guards";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const viewer = await requireMemberPage();
  const t = await getTranslations("common");
  const locale = resolveLocale(await getLocale());
  return (
    <NextIntlClientProvider messages={clientMessages(locale, "portal")}>
    <LiveProvider area="portal">
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
          <Link href="/tickets" className="font-semibold text-brand-700">
            {t("appName")} · {t("portalName")}
          </Link>
          <nav className="flex gap-4 text-sm">
            <Link href="/tickets" className="hover:text-brand-600">{t("nav.myTickets")}</Link>
            <Link href="/tickets/new" className="hover:text-brand-600">{t("nav.newTicket")}</Link>
            <Link href="/profile" className="hover:text-brand-600">{t("nav.profile")}</Link>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm text-slate-600">
            <NotificationBell settingsHref="/profile#notifications" />
            <span data-testid="viewer-name">
              {viewer.name} · {viewer.memberId}
            </span>
            <LanguageSwitch />
            <SignOutButton to="/login" />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-6">{children}</main>
    </div>
    </LiveProvider>
    </NextIntlClientProvider>
  );
}
